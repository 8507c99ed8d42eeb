"""Driving the real widgets the way a citizen's finger would."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from civic.catalog.vocab import FieldType
from tests.kiosk.flows.helpers import answer_for


def current(window: Any) -> QWidget:
    return window.stack.currentWidget()


def tap(qtbot: Any, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def role(window: Any, name: str) -> QPushButton:
    for button in current(window).findChildren(QPushButton):
        if button.property("role") == name and button.isVisible():
            return button
    raise AssertionError(f"no visible button {name!r} on {current(window).objectName()}")


def texts(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def choose_by_search(qtbot: Any, window: Any, query: str, code: str) -> None:
    screen = current(window)
    screen.search.setText(query)
    tap(qtbot, role(window, "search"))
    for _ in range(10):
        button = next((b for b in screen.item_buttons() if b.key == code), None)
        if button is not None:
            tap(qtbot, button)
            return
        tap(qtbot, role(window, "next"))
    raise AssertionError(f"{code} not found by {query!r}")


def fill_form(qtbot: Any, window: Any) -> None:
    """Answer every empty field through its widget: tap buttons, type text, pick combos."""
    screen = current(window)
    for key, row in list(screen.rows.items()):
        field = row.field
        if field.readonly or screen.flow.values.get(key) not in (None, "", []):
            continue
        if row.group is not None:
            tap(qtbot, row.group.buttons()[0])
        elif row.combo is not None:
            combo: QComboBox = row.combo
            combo.setCurrentIndex(1)
            combo.activated.emit(1)
        elif row.photo_button is not None:
            tap(qtbot, row.photo_button)
            camera = window.camera
            tap(qtbot, camera.shoot)
            tap(qtbot, camera.retake)
            tap(qtbot, camera.use)
        elif row.edit is not None:
            value = answer_for(field)
            row.edit.setFocus()
            row.edit.clear()
            type_text(qtbot, row.edit, str(value))
            qtbot.keyClick(row.edit, Qt.Key.Key_Return)
        assert field.type == FieldType.FILE or key in screen.flow.values, key


def to_proof(qtbot: Any, window: Any, flow: Any, card: Any, item_code: str) -> None:
    """A query-and-print item from the card to its proof screen: start, agree, fill the
    form, next (whatever the platform's stand-in answers)."""
    flow.card_placed(card)
    flow.choose(item_code)
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "agree"))
    fill_form(qtbot, window)
    tap(qtbot, role(window, "next"))


def type_text(qtbot: Any, edit: Any, text: str) -> None:
    """Digits and Latin letters as key presses; Chinese as the input method commits it
    (QTest cannot press keys for characters outside ASCII)."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def sign(qtbot: Any, window: Any) -> None:
    pad = current(window).pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    for x in range(40, 400, 20):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 60)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(400, 80))
    assert not pad.is_empty()
