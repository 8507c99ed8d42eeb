"""Controls that assistive technology and a tactile keypad can use: names, descriptions,
focus, and the focus order of the screen.

Every window names its controls through here, in the session's language, so no internal
identifier (a ``role``, an object name) ever reaches AT-SPI: a button's name is its visible
text (a symbol is given a word), its description says what it does
(:mod:`kiosk.ui.accessible_texts`). Buttons take focus from the keyboard only
(``TabFocus``): a tap must not pull focus from the field the on-screen keyboard types into.
The focus order is the screen's reading order (rows top to bottom, each left to right),
computed from where the widgets are, so it follows the screen whatever order they were
built in. Enums are set by name: the attract screen is built before Qt's enums are
(``kiosk.ui.qt_names``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget

from kiosk.ui.accessible_texts import NAMES, description, symbol_name
from kiosk.ui.qt_names import set_by_name

if TYPE_CHECKING:
    from PySide6.QtCore import Qt


def describe(widget: QWidget, name: str, what: str = "") -> None:
    """Give ``widget`` its accessible name and description (both in the session's language;
    written only when changed, since each write is an AT-SPI event)."""
    if widget.accessibleName() != name:
        widget.setAccessibleName(name)
    if widget.accessibleDescription() != what:
        widget.setAccessibleDescription(what)


def keyboard_reachable(*widgets: QWidget) -> None:
    """Reached with Tab and the keypad's arrows, never by a tap; a push button is pressed with
    Enter as well as Space."""
    for widget in widgets:
        set_by_name(widget, "focusPolicy", "TabFocus")
        if isinstance(widget, QPushButton):
            widget.setAutoDefault(True)


def label_controls(root: QWidget, language: str, step: str = "") -> None:
    """Name and describe every button under ``root`` that has a ``role``: its name is its
    text (Qt's default; a word for a symbol), its description what the role does on
    ``step``."""
    for button in root.findChildren(QAbstractButton):
        role = button.property("role")
        if not role:
            continue
        text = button.text()
        if text in NAMES or (bool(text) and not any(c.isalnum() for c in text)):
            button.setAccessibleName(symbol_name(text, language) or symbol_name(role, language))
        what = description(role, language, step)
        if button.accessibleDescription() != what:
            button.setAccessibleDescription(what)


def can_take_focus(widget: QWidget) -> bool:
    """Whether Tab may move to ``widget`` now: shown, enabled and tab-focusable."""
    from PySide6.QtCore import Qt

    return (widget.isVisible() and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and widget.focusProxy() is None)


def reading_order(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab reaches, in the order one reads the screen: lines
    top to bottom (widgets that overlap vertically share a line), each left to right."""
    widgets = [w for w in root.findChildren(QWidget) if can_take_focus(w)]
    placed = []
    for widget in widgets:
        top_left = widget.mapTo(root, widget.rect().topLeft())
        placed.append((top_left.y(), top_left.y() + widget.height(), top_left.x(), widget))
    placed.sort(key=lambda p: (p[0], p[2]))
    lines: list[list[tuple[int, int, int, QWidget]]] = []
    for entry in placed:
        if lines and entry[0] < min(e[1] for e in lines[-1]):
            lines[-1].append(entry)
        else:
            lines.append([entry])
    return [entry[3] for line in lines for entry in sorted(line, key=lambda e: e[2])]


def move_focus(root: QWidget, forward: bool) -> bool:
    """Focus the next (or previous) control under ``root`` in reading order, round the end;
    False when there is none."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    order = reading_order(root)
    if not order:
        return False
    current = QApplication.focusWidget()
    if current in order:
        index = (order.index(current) + (1 if forward else -1)) % len(order)
    else:
        index = 0 if forward else len(order) - 1
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    focus(order[index], reason)
    return True


def focus_first(root: QWidget) -> bool:
    """Focus the first control under ``root`` in reading order (a new screen's); False when
    it has none."""
    from PySide6.QtCore import Qt

    order = reading_order(root)
    if order:
        focus(order[0], Qt.FocusReason.OtherFocusReason)
    return bool(order)


def focus(widget: QWidget, reason: Qt.FocusReason) -> None:
    """Focus ``widget`` and scroll it into sight if it sits in a scroll area."""
    from PySide6.QtWidgets import QScrollArea

    widget.setFocus(reason)
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget, 0, 24)
