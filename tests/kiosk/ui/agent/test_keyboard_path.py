"""The agent's window by keyboard alone and as a screen reader reads it: every control in
sight named in the agent's language (fields by their labels), none by an internal role, all
reachable by Tab; signing in with typed number and PIN and Enter reaches the work list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.agent.visit import Page
from tests.kiosk.ui.agent.conftest import PIN, Rig
from tests.kiosk.ui.agent.test_journey import at, page
from tests.kiosk.ui.controls import accessible_name, problems, tab_to


def test_sign_in_and_work_list_by_keyboard_with_every_control_named(qtbot: Any,
                                                                    rig: Rig) -> None:
    """The sign-in page and the work list have no unnamed, internally named or unreachable
    control; the number and PIN fields are named by their labels; Tab, typing and Enter sign
    the agent in."""
    window = rig.window
    at(qtbot, rig, Page.SIGN_IN)
    screen = page(rig)
    assert problems(window) == []
    assert accessible_name(screen.number) == screen.number_label.text()
    assert accessible_name(screen.pin) == screen.pin_label.text()
    tab_to(qtbot, window, screen.number)
    qtbot.keyClicks(screen.number, rig.agent_number)
    qtbot.keyClick(screen.number, Qt.Key.Key_Return)        # on to the PIN
    assert QApplication.focusWidget() is screen.pin
    qtbot.keyClicks(screen.pin, PIN)
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    at(qtbot, rig, Page.WORKLIST)
    assert problems(window) == []
    tab_to(qtbot, window, window.sign_out_button)
    assert window.sign_out_button.accessibleDescription()
