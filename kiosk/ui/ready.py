""""Ready" means the first screen has been drawn and the event loop is free to take a touch.

A zero-delay timer alone fires before the first frame (Qt paints on the expose that
follows ``show()``), so :func:`after_first_frame` waits for the widget's first paint event
and only then queues the callback behind it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)     # runs once this frame is finished
            self.deleteLater()
        return False


def after_first_frame(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has been painted and the event loop is idle again."""
    _FirstPaint(widget, callback)
