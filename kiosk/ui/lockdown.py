"""Citizen mode's lockdown: full screen, frameless, no escape shortcuts, optional hidden
cursor — and the application-wide event filter that also counts every touch, click and key
as activity for the idle timer (../shared/reference/kiosk.md §2.3)."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.qt_names import set_by_name
from kiosk.ui.ready import after_first_frame

# lock_down() runs before the first frame and does without PySide6's Qt namespace (its Python
# enums take ~25 ms to build, kiosk.ui.qt_names); the filter, installed after the first
# frame, and settle() use it.

#: the main window's flags in citizen mode (``|``-joined names of ``Qt.WindowType``)
LOCKED_FLAGS = "Window|FramelessWindowHint|WindowStaysOnTopHint"


def is_escape_shortcut(event: QKeyEvent) -> bool:
    """Alt+F4, Ctrl+Q, Ctrl+W, Alt+Tab, F11, Escape, the Super/Menu keys."""
    from PySide6.QtCore import Qt

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


def lock_down(window: QWidget, first_screen: QWidget, *, hide_cursor: bool) -> None:
    """Frameless, always on top, full screen, no context menu; optionally no pointer.

    The flags go to the native window before it is first shown. The widget itself learns them
    (:func:`settle`) once ``first_screen`` has been painted, in a turn of the event loop queued
    behind "ready" (kiosk.app.launch hooks it later, so its turn comes first) and before the
    keyboard's QQuickWidget, whose arrival makes Qt recreate the native window from the
    widget's flags.
    """
    window.create()                 # the native window, not shown yet
    handle = window.windowHandle()
    assert handle is not None
    set_by_name(handle, "flags", LOCKED_FLAGS)
    set_by_name(window, "contextMenuPolicy", "NoContextMenu")
    window.showFullScreen()
    if hide_cursor:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QCursor

        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    held = weakref.ref(window)      # not kept alive by this: its owner decides its lifetime

    def settle_if_alive() -> None:
        if (alive := held()) is not None:
            settle(alive)

    after_first_frame(first_screen, settle_if_alive)


def settle(window: QWidget) -> None:
    """The widget's own flags become those its native window was given by :func:`lock_down`
    (without telling the window system again)."""
    handle = window.windowHandle()
    if handle is not None:
        window.overrideWindowFlags(handle.flags())
