"""What the face-check screen draws: the camera picture inside an oval face guide, and a
drawn picture of the head-turn asked for (a head and an arrow painted with QPainter — never
a photograph of a person).

The guide holds the last preview frame only (a reference, not a copy) and drops it on
:meth:`GuideView.clear`; nothing here writes or logs a frame.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

GUIDE = QColor("#1f7a3a")
INK = QColor("#24303b")
SKIN = QColor("#f2d2b6")


class GuideView(QWidget):
    """The camera picture, mirrored (people expect a mirror), cropped to fill the widget,
    with the area outside an upright oval dimmed and the oval drawn over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 300)

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    def has_frame(self) -> bool:
        return self._image is not None

    def clear(self) -> None:
        self._image = None
        self.update()

    def oval(self) -> QRectF:
        h = self.height() * 0.82
        w = h * 0.72
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#3a4148"))
        if self._image is not None and not self._image.isNull():
            image = self._image
            # cover the widget (crop, never stretch), drawn mirrored: people expect a mirror
            scale = max(self.width() / image.width(), self.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.save()
            painter.translate(self.width(), 0)
            painter.scale(-1, 1)
            painter.drawImage(QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h),
                              image)
            painter.restore()
        outside = QPainterPath()
        outside.addRect(QRectF(self.rect()))
        inside = QPainterPath()
        inside.addEllipse(self.oval())
        painter.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 140))
        painter.setPen(QPen(GUIDE, 6))
        painter.drawEllipse(self.oval())
        painter.end()


class TurnPicture(QWidget):
    """A drawn head seen from above the shoulders, turned the way asked (``left`` /
    ``right``: the citizen's own), with a curved arrow; ``straight`` draws it facing out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.direction = "straight"
        self.setMinimumSize(180, 180)

    def set_direction(self, direction: str) -> None:
        if direction != self.direction:
            self.direction = direction
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        cx, cy, r = self.width() / 2, self.height() / 2 + side * 0.04, side * 0.3
        # The picture faces the citizen like a mirror: their left is the picture's left.
        turn = {"left": -1.0, "right": 1.0}.get(self.direction, 0.0)
        painter.setPen(QPen(INK, max(2.0, side / 60)))
        painter.setBrush(SKIN)
        painter.drawEllipse(QPointF(cx, cy), r * 0.82, r)           # the head
        ex = r * 0.32
        shift = turn * r * 0.3
        painter.setBrush(INK)
        for dx in (-ex, ex):                                          # the eyes
            painter.drawEllipse(QPointF(cx + dx + shift, cy - r * 0.12), r * 0.07, r * 0.07)
        nose = QPolygonF([QPointF(cx + shift * 1.3, cy - r * 0.05),
                          QPointF(cx + shift * 1.3 + turn * r * 0.18 - (0 if turn else r * 0.08),
                                  cy + r * 0.22),
                          QPointF(cx + shift * 1.3 + (0 if turn else r * 0.08), cy + r * 0.22)])
        painter.setBrush(SKIN)
        painter.drawPolygon(nose)
        painter.drawArc(QRectF(cx - r * 0.3 + shift, cy + r * 0.3, r * 0.6, r * 0.3),
                        200 * 16, 140 * 16)                           # the mouth
        if turn:
            # a curved arrow over the head, from its crown towards the side to turn to
            top = cy - r * 1.12
            start = QPointF(cx - turn * r * 0.5, top + r * 0.05)
            end = QPointF(cx + turn * r * 0.95, top + r * 0.3)
            arrow = QPainterPath(start)
            arrow.quadTo(QPointF(cx + turn * r * 0.3, top - r * 0.35), end)
            painter.setPen(QPen(GUIDE, max(5.0, side / 28), Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(arrow)
            tip = QPointF(end.x() + turn * r * 0.12, end.y() + r * 0.2)
            head = QPolygonF([tip, QPointF(end.x() - turn * r * 0.22, end.y() + r * 0.05),
                              QPointF(end.x() + turn * r * 0.2, end.y() - r * 0.18)])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(GUIDE)
            painter.drawPolygon(head)
        painter.end()
