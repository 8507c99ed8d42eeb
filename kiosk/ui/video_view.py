"""A picture that changes many times a second: the clerk's video and the citizen's own.

Painted from the latest frame only (never queued: a slow paint drops frames rather than
falling behind), scaled to fit with its proportions kept, on black. ``frames_painted``
counts what was drawn, so a test can measure the frame rate a citizen actually sees.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class VideoView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, minimum: QSize | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self.frames_shown = 0            # set_image calls (frames delivered)
        self.frames_painted = 0          # paints with a picture (frames seen)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if minimum is not None:
            self.setMinimumSize(minimum)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.frames_shown += 1
        self.update()

    def clear(self) -> None:
        """Drop the picture (a face: never kept after the call)."""
        self._image = QImage()
        self.frames_shown = self.frames_painted = 0
        self.update()

    @property
    def has_picture(self) -> bool:
        return not self._image.isNull()

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#000000"))
        if not self._image.isNull():
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(self.rect().center())
            painter.drawImage(target, self._image)
            self.frames_painted += 1
        painter.end()
