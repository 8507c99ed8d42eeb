"""The tactile keypad (or any keyboard) as a way through a window: Tab and Shift-Tab move in
the screen's reading order (the window's ``focusNextPrevChild`` asks
:func:`kiosk.ui.accessible.move_focus`), the arrows do too where the focused control has
no use for them, Enter and Space press the focused button (``autoDefault``, set by
:func:`kiosk.ui.accessible.keyboard_reachable`).

Installed on the application once the first screen is up (a Python event filter makes
PySide6 build every event type on its first calls, ~30 ms), one per window, removed on
close. It also tells its owner that a key was pressed, which starts spoken focus on the
attract screen (:mod:`kiosk.ui.focus_speech`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from kiosk.ui.accessible import move_focus

#: arrows that move focus forward (the others move it back)
FORWARD = frozenset({Qt.Key.Key_Down, Qt.Key.Key_Right})
ARROWS = FORWARD | {Qt.Key.Key_Up, Qt.Key.Key_Left}


def arrows_belong_to(widget: QWidget | None) -> frozenset[Qt.Key]:
    """The arrows ``widget`` uses itself: a text field moves its cursor left and right, a
    combo box or spin box steps through its values, a scroll area scrolls."""
    if isinstance(widget, QLineEdit) and not widget.isReadOnly():
        return frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right})
    if isinstance(widget, QComboBox | QAbstractSpinBox | QAbstractScrollArea):
        return ARROWS                 # a scroll area in focus scrolls (a review's long text)
    return frozenset()


class KeypadNavigation(QObject):
    """``KeypadNavigation(window, scope)``: arrows move focus within ``scope()`` (the
    window's controls in sight, or the overlay over them); ``on_key`` hears every key
    pressed in the window."""

    def __init__(self, window: QWidget, scope: Callable[[], QWidget],
                 on_key: Callable[[], None] = lambda: None) -> None:
        super().__init__(window)
        self.window, self.scope, self.on_key = window, scope, on_key
        #: a key was pressed since the last :meth:`reset`: this citizen uses the keypad
        self.used = False
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def reset(self) -> None:
        self.used = False

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) \
                or not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        self.used = True
        self.on_key()
        key = Qt.Key(event.key())
        if key in ARROWS and key not in arrows_belong_to(QApplication.focusWidget()) \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            return move_focus(self.scope(), key in FORWARD)
        return False
