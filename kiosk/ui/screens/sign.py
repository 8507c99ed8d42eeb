"""The signature pad: the citizen signs with a finger; the strokes become a PNG."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.flows.states import Topic
from kiosk.ui.accessible import describe
from kiosk.ui.screens.base import Screen


class SignaturePad(QWidget):
    """Strokes drawn with mouse or touch (touch arrives as synthesised mouse events)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_pad")
        self.setMinimumSize(600, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.strokes: list[list[QPointF]] = []
        self.on_stroke: Callable[[], None] = lambda: None

    def is_empty(self) -> bool:
        return not any(len(s) > 1 for s in self.strokes)

    def clear(self) -> None:
        self.strokes = []
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.strokes.append([event.position()])
        self.on_stroke()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.strokes:
            self.strokes[-1].append(event.position())
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#0b3d91"), 3))
        painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        self._draw(painter)
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#000000"), 4, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)

    def png(self) -> bytes:
        """The signature as a PNG, ink on white, the size of the pad."""
        image = QImage(self.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        self._draw(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6's stubs type the format as bytes; it accepts only a str
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        return bytes(data.data())


class SignScreen(Screen):
    step = Step.SIGN
    topics = frozenset({Topic.NOTICE})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        self.pad = SignaturePad(self)
        self.pad.on_stroke = self.flow.activity
        self.notice = self.label("notice")
        self.back = self.button(self.flow.back, name="back")
        self.clear_button = self.button(self.pad.clear, name="clear")
        # a citizen who cannot draw (blind, or on the tactile keypad) confirms instead
        self.keypad_confirm = self.button(self.flow.confirm_by_keypad, name="keypad_confirm")
        self.submit = self.button(self._submit, primary=True, name="submit")
        self.root.addWidget(self.title)
        self.root.addWidget(self.pad, 1)
        self.root.addWidget(self.notice)
        self.root.addLayout(self.row(self.back, self.clear_button, self.keypad_confirm,
                                     self.submit, stretch_first=True))

    def _submit(self) -> None:
        self.flow.sign(b"" if self.pad.is_empty() else self.pad.png())

    def refresh(self) -> None:
        self.title.setText(self.t("sign.title"))
        notice = self.flow.notice
        self.notice.setText(notice.get(self.flow.language) if notice else "")
        self.notice.setVisible(notice is not None)
        self.back.setText(self.t("nav.back"))
        self.clear_button.setText(self.t("sign.clear"))
        self.keypad_confirm.setText(self.t("sign.keypad"))
        self.keypad_confirm.setVisible(self.flow.can_confirm_by_keypad)
        self.submit.setText(self.t("sign.submit"))
        describe(self.pad, self.t("sign.pad"), self.t("sign.keypad_hint"))

    def clear(self) -> None:
        self.pad.clear()
