"""The document camera for ``file`` fields: preview, retake, automatic crop.

With a camera (Qt Multimedia, :mod:`kiosk.ui.camera_live`: ``QCamera`` → a live preview
and ``QImageCapture``) the citizen lays the paper down and presses "take picture"; without
one (the demo, tests) a generated sample document stands in, and the screen says so. The
camera is the one ``devices.document_camera`` names (else the first); when the named one is
not connected the screen says so and takes no picture (a sample would pass for the
citizen's document), and the technician finds ``document_camera.missing`` in the log. Either
way the picture is cropped automatically to the paper (the bounding box of everything
darker than the background, with a margin) and shown for "use this picture" or "retake".
Photos live only in memory and in the flow's session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.flows.messages import tr
from kiosk.ui.accessible import describe, keyboard_reachable, label_controls
from kiosk.ui.overlays import Overlay
from kiosk.ui.widgets import ImageView

if TYPE_CHECKING:
    from kiosk.ui.camera_live import LiveCamera


log = logging.getLogger(__name__)


def sample_document(width: int = 1200, height: int = 900) -> QImage:
    """A grey desk with a white sheet of printed lines: what the demo "photographs"."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#6b6f75"))
    painter = QPainter(image)
    sheet = QRect(180, 90, 840, 720)
    painter.fillRect(sheet, QColor("#ffffff"))
    painter.setPen(QColor("#202020"))
    painter.setFont(QFont("Noto Sans CJK SC", 28))
    painter.drawText(sheet.adjusted(40, 30, -40, 0), Qt.AlignmentFlag.AlignTop
                     | Qt.AlignmentFlag.AlignHCenter, "示例材料 SAMPLE DOCUMENT")
    for i in range(12):
        y = sheet.top() + 130 + i * 44
        painter.fillRect(sheet.left() + 50, y, sheet.width() - 100 - (i % 3) * 90, 10,
                         QColor("#9aa0a6"))
    painter.end()
    return image


def auto_crop(image: QImage, margin: int = 8) -> QImage:
    """Crop to the paper: the largest light region's bounding box (sampled, fast)."""
    step = max(1, min(image.width(), image.height()) // 200)
    xs, ys = [], []
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            if image.pixelColor(x, y).lightness() > 200:
                xs.append(x)
                ys.append(y)
    if not xs:
        return image
    box = QRect(min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin,
                max(ys) - min(ys) + 2 * margin).intersected(image.rect())
    return image.copy(box)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stubs type the format as bytes; it accepts only a str
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


class CameraOverlay(Overlay):
    def __init__(self, parent: QWidget, language: Callable[[], str],
                 has_camera: Callable[[], bool] | None = None,
                 document_camera: str = "") -> None:
        super().__init__(parent)
        self._language = language
        # devices.document_camera: the camera to use (description or id; empty: the first)
        self._configured = document_camera
        self._missing = False                    # the configured camera is not connected
        self.has_camera = has_camera or self.probe_camera
        self._done: Callable[[bytes], None] | None = None
        self._image = QImage()
        self.live: LiveCamera | None = None      # while open, when a camera is present
        self.card.setMaximumWidth(1100)
        self.title = QLabel(self.card)
        self.title.setObjectName("title")
        self.demo_note = QLabel(self.card)
        self.demo_note.setObjectName("notice")
        self.view = ImageView(self.card)
        self.view.setMinimumSize(640, 420)
        self.shoot = self._button(self.take, "shoot")
        self.retake = self._button(self.retake_picture, "retake")
        self.use = self._button(self.accept, "use")
        self.use.setObjectName("primary")
        self.cancel = self._button(self.close_camera, "cancel")
        row = QHBoxLayout()
        for button in (self.cancel, self.retake, self.shoot, self.use):
            row.addWidget(button)
        for widget in (self.title, self.demo_note, self.view):
            self.body.addWidget(widget)
        self.body.addLayout(row)

    def _button(self, action: Callable[[], None], role: str) -> QPushButton:
        button = QPushButton(self.card)
        button.setProperty("role", role)
        keyboard_reachable(button)
        button.clicked.connect(lambda _c=False: action())
        return button

    @staticmethod
    def probe_camera() -> bool:
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:
            return False
        return bool(QMediaDevices.videoInputs())

    def open_camera(self, done: Callable[[bytes], None]) -> None:
        lang = self._language()
        self._done = done
        self._image = QImage()
        self.title.setText(tr("camera.title", lang))
        self.demo_note.setText(tr("camera.demo", lang))
        self._missing = False
        # a configured camera is looked for even when none is listed, so its absence is said
        self.demo_note.setVisible(not self._configured and not self.has_camera())
        self.shoot.setText(tr("camera.shoot", lang))
        self.retake.setText(tr("camera.retake", lang))
        self.use.setText(tr("camera.use", lang))
        self.cancel.setText(tr("nav.back", lang))
        describe(self.view, tr("camera.preview", lang))
        label_controls(self.card, lang)
        self.view.clear_image()
        self._buttons()
        self.cover()
        if not self.demo_note.isVisible():
            self._start_live()

    def _start_live(self) -> None:
        from kiosk.ui.camera_live import CameraMissing, LiveCamera

        try:
            self.live = LiveCamera(self._configured, parent=self)
        except CameraMissing:
            log.warning("document_camera.missing", extra={"ctx": {
                "configured": self._configured}})
            self._missing = True
            self.demo_note.setText(tr("camera.missing", self._language()))
            self.demo_note.show()
            self._buttons()
            return
        except LookupError:                  # unplugged since the probe: use the sample
            self.demo_note.show()
            return
        self.live.frame.connect(self._preview)
        self.live.captured.connect(self._captured)
        self.live.failed.connect(lambda _text: self._stop_live(fallback=True))
        self.live.start()

    def _stop_live(self, *, fallback: bool = False) -> None:
        if self.live is not None:
            self.live.stop()
            self.live.deleteLater()
            self.live = None
        if fallback and self.isVisible():    # the device failed: the sample, said so
            self.demo_note.show()

    def _preview(self, image: QImage) -> None:
        if self._image.isNull():             # live view until a picture is taken
            self.view.set_png(png_bytes(image.scaledToWidth(640)))

    def _captured(self, image: QImage) -> None:
        self._image = auto_crop(image)
        self.view.set_png(png_bytes(self._image))
        self._buttons()

    def retake_picture(self) -> None:
        if self.live is not None:            # back to the live view, then "take picture"
            self._image = QImage()
            self._buttons()
            return
        self.take()

    def take(self) -> None:
        if self.live is not None:            # the picture arrives in _captured()
            self._image = QImage()
            self.live.capture()
            return
        self._image = auto_crop(sample_document())
        self.view.set_png(png_bytes(self._image))
        self._buttons()

    def accept(self) -> None:
        done, data = self._done, png_bytes(self._image)
        self.close_camera()
        if done is not None and data:
            done(data)

    def close_camera(self) -> None:
        self._stop_live()
        self._done = None
        self._image = QImage()
        self.view.clear_image()
        self.hide()

    def _buttons(self) -> None:
        taken = not self._image.isNull()
        self.shoot.setVisible(not taken and not self._missing)
        self.retake.setVisible(taken)
        self.use.setVisible(taken)
