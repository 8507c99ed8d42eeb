"""Fixtures for the screens: the real main window over a real flow.

The flow gets the real catalog and outbox; prefill and printing are the flow tests' small
synchronous fakes unless a test wires the real bridges (the journeys do).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.flows import CitizenFlow
from tests.kiosk.flows.conftest import (  # noqa: F401 - fixtures shared with the flow tests
    FakeClock,
    HeldPrefill,
    RecordingPrinter,
    catalog,
    clock,
    flow,
    id_cards,
    outbox,
    prefill,
    printer,
)


@pytest.fixture
def window(qtbot, flow: CitizenFlow) -> Iterator[object]:  # noqa: F811
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import ui_font
    from kiosk.ui.main_window import MainWindow

    QApplication.instance().setFont(ui_font())
    from kiosk.ui.focus_speech import FocusSpeech
    from kiosk.ui.keyboard import VirtualKeyboard
    from kiosk.ui.narrator import Narrator
    from kiosk.ui.speech import NullSpeaker
    from kiosk.ui.wipe import Wiper

    win = MainWindow(flow.prefs, tick_ms=3_600_000,   # the tests tick the flow themselves
                     has_camera=lambda: False)
    win.bind(flow)
    qtbot.addWidget(win)
    win.keyboard = VirtualKeyboard()
    win.speaker = NullSpeaker()
    win.wiper = Wiper(flow, win, win.keyboard, win.speaker)
    win.narrator = Narrator(flow, win.speaker)
    win.focus_speech = FocusSpeech(win, flow.prefs, win.speaker)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.focus_speech.close()
    win.narrator.close()
    win.wiper.close()
    win.keyboard.close()
    win.shutdown()
