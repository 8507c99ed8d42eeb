"""Citizen mode's lockdown: frameless, always on top, full screen, no context menu, an
optional hidden pointer — given before the first frame, and kept when Qt recreates the
native window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from tests.kiosk.ui.test_keyboard import run_probe


def locked_window(qtbot: Any, *, hide_cursor: bool) -> tuple[QMainWindow, QLabel]:
    from kiosk.ui.lockdown import lock_down

    window = QMainWindow()
    qtbot.addWidget(window)
    screen = QLabel("请将身份证放在读卡区", window)
    window.setCentralWidget(screen)
    lock_down(window, screen, hide_cursor=hide_cursor)
    return window, screen


def test_window_is_locked_before_its_first_frame_and_the_widget_learns_it_after(
        qtbot: Any) -> None:
    """The native window is frameless and on top before anything is drawn, the window is
    full screen without a context menu; once the first screen is painted the widget's own
    flags say so too."""
    from PySide6.QtCore import Qt

    wanted = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
    window, _screen = locked_window(qtbot, hide_cursor=False)
    handle = window.windowHandle()
    assert handle is not None and handle.flags() & wanted == wanted
    assert window.isFullScreen()
    assert window.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert QApplication.overrideCursor() is None
    qtbot.waitUntil(lambda: window.windowFlags() & wanted == wanted)
    assert window.windowFlags() == handle.flags()


def test_hidden_cursor_option_blanks_the_pointer(qtbot: Any) -> None:
    """With ``hide_cursor`` the pointer is a blank cursor over the whole application."""
    from PySide6.QtCore import Qt

    _window, _screen = locked_window(qtbot, hide_cursor=True)
    try:
        cursor = QApplication.overrideCursor()
        assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        QApplication.restoreOverrideCursor()


@pytest.mark.xvfb
def test_kiosk_window_stays_locked_when_the_keyboard_recreates_it(xvfb_display: str) -> None:
    """On a real X server, citizen mode's window is locked down at "ready" (reached without
    building PySide6's Qt enums) and still is after the keyboard's panel made Qt recreate the
    native window."""
    result = run_probe("lockdown_probe.py", xvfb_display)
    assert result["enums_built_at_ready"] is False
    assert result["panel"], result
    at_ready, after = result["at_ready"], result["after_keyboard"]
    assert at_ready["native_locked"] and at_ready["full_screen"], result
    assert at_ready["no_context_menu"], result
    assert after["win_id"] != at_ready["win_id"], "the native window was not recreated"
    assert after["native_locked"] and after["widget_locked"] and after["full_screen"], result
