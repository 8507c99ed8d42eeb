"""What a screen reader and a keypad find wrong with a window's controls, read through Qt's
accessibility interface (what Qt exports to AT-SPI; test_atspi.py reads the real bus)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWidget

from kiosk.ui.accessible_texts import DESCRIPTIONS

CONTROLS = (QAbstractButton, QLineEdit, QComboBox)


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name).strip()


def problems(window: QWidget) -> list[str]:
    """Every control in sight that is unnamed, named by an internal identifier, or that an
    enabled control the keypad cannot reach."""
    QApplication.processEvents()
    found = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible():
            continue
        name = accessible_name(widget)
        internal = {str(widget.property("role") or ""), widget.objectName()} | set(DESCRIPTIONS)
        if not name:
            found.append(f"unnamed {type(widget).__name__} {widget.property('role')!r}")
        elif name in internal:
            found.append(f"internal name {name!r}")
        if widget.isEnabled() and not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(f"not reachable by Tab: {name!r}")
    return found


def tab_to(qtbot: Any, window: QWidget, wanted: QWidget, limit: int = 60) -> None:
    """Press Tab until ``wanted`` has focus, as a keypad user would."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for _ in range(limit):
        if QApplication.focusWidget() is wanted:
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {accessible_name(wanted)!r}")
