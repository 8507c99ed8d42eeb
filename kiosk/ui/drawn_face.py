"""A DRAWN face (QPainter) for screenshots: the documentation never shows a photograph of a
person, not even a public-domain one. :class:`DrawnFaceFrames` is a frame source of it,
for the screenshots of a video call (``tests/kiosk/ui/video_help_inside.py``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from kiosk.ui.face_frames import FrameSource


def drawn_face(width: int = 640, height: int = 480) -> QImage:
    """A camera frame of a drawn face, centred in the face check's guide."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#7d8792"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    cx, cy = width / 2, height / 2
    p.setPen(QPen(QColor("#24303b"), 4))
    p.setBrush(QColor("#3d5a80"))
    p.drawRoundedRect(QRectF(cx - 130, cy + 100, 260, 200), 60, 60)      # shoulders
    p.setBrush(QColor("#f2d2b6"))
    p.drawEllipse(QPointF(cx, cy - 10), 72, 95)                         # head
    p.setBrush(QColor("#24303b"))
    for dx in (-35, 35):
        p.drawEllipse(QPointF(cx + dx, cy - 30), 9, 9)                  # eyes
    p.setBrush(QColor("#f2d2b6"))
    p.drawLine(QPointF(cx, cy - 15), QPointF(cx - 8, cy + 25))
    p.drawLine(QPointF(cx - 8, cy + 25), QPointF(cx + 6, cy + 25))      # nose
    p.drawArc(QRectF(cx - 30, cy + 35, 60, 30), 200 * 16, 140 * 16)     # mouth
    p.end()
    return image


class DrawnFaceFrames(FrameSource):
    """The drawn face, ``fps`` times a second."""

    def __init__(self, fps: float = 15.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._image = drawn_face()
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(1000 / fps)))
        self._timer.timeout.connect(lambda: self.frame.emit(self._image))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
