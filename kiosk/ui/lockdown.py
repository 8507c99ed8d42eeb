"""Citizen mode's lockdown: full screen, frameless, no escape shortcuts, optional hidden
cursor — and the application-wide event filter that also counts every touch, click and key
as activity for the idle timer (../shared/reference/kiosk.md §2.3)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# The key and event sets are built by the functions below rather than at import: lock_down()
# runs before the first screen, the filter only after it (start-up time).

def is_escape_shortcut(event: QKeyEvent) -> bool:
    """Alt+F4, Ctrl+Q, Ctrl+W, Alt+Tab, F11, Escape, the Super/Menu keys."""
    key = Qt.Key(event.key())
    if key in (Qt.Key.Key_F11, Qt.Key.Key_Escape, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
               Qt.Key.Key_Meta, Qt.Key.Key_Menu):
        return True
    with_modifier = (Qt.Key.Key_F4, Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_Tab)
    modifiers = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier \
        | Qt.KeyboardModifier.MetaModifier
    return key in with_modifier and bool(event.modifiers() & modifiers)


class SessionEventFilter(QObject):
    """Installed on the QApplication: activity for the idle timer; shortcuts swallowed."""

    def __init__(self, on_activity: Callable[[], None], *, lockdown: bool,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_activity = on_activity
        self.lockdown = lockdown
        self._activity = frozenset({
            QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
            QEvent.Type.TabletPress, QEvent.Type.Wheel})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in self._activity:
            self._on_activity()
        if self.lockdown and kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                and isinstance(event, QKeyEvent) and is_escape_shortcut(event):
            return True
        if self.lockdown and kind == QEvent.Type.Close and isinstance(watched, QWidget) \
                and watched.isWindow() and not watched.property("closing_allowed"):
            event.ignore()
            return True
        return False


def lock_down(window: QWidget, *, hide_cursor: bool) -> None:
    """Frameless, full screen, no context menu; optionally no pointer."""
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint
                          | Qt.WindowType.WindowStaysOnTopHint)
    window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    window.showFullScreen()
    if hide_cursor:
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
