"""Technician mode by keyboard alone and as a screen reader reads it: the gate and every
page have no unnamed, internally named or unreachable control (fields are named by their
labels); number, PIN and Enter open the console, and Tab and Space switch its pages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.kiosk.ui.controls import accessible_name, problems, tab_to
from tests.kiosk.ui.technician.conftest import PIN, WAIT, Bench


def test_gate_and_pages_by_keyboard_with_every_control_named(qtbot: Any,
                                                             bench: Bench) -> None:
    """Gate: named fields, typed in and Enter; then each page reached by Tab and Space on its
    tab, each with every control named and reachable."""
    window = bench.window
    gate = window.gate_page
    assert problems(window) == []
    assert accessible_name(gate.pin) == gate.pin_label.text()
    tab_to(qtbot, window, gate.number)
    qtbot.keyClicks(gate.number, "T07")
    qtbot.keyClick(gate.number, Qt.Key.Key_Return)
    qtbot.keyClicks(gate.pin, PIN)
    qtbot.keyClick(gate.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current == "devices", timeout=WAIT)
    for name, tab in window.tabs.items():
        tab_to(qtbot, window, tab)
        qtbot.keyClick(tab, Qt.Key.Key_Space)
        assert window.current == name
        assert problems(window) == [], name
