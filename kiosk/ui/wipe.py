"""The wipe: when a session ends, nothing of the citizen is left anywhere.

The flow drops its own state first (``CitizenFlow.wipe``) and announces ``"wiped"``; this
module does the Qt half, in one place: every screen's widgets emptied (form rows deleted,
images dropped, the signature cleared), focus and clipboard cleared, the on-screen
keyboard's learned words reset, speech stopped and volume back to the default, the theme
back to normal (the flow has already reset language and elder mode), and deleted widgets
actually destroyed before the next citizen arrives.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk.flows.states import Topic

if TYPE_CHECKING:     # only named here: the agent's window imports this module too
    from kiosk.flows import CitizenFlow
    from kiosk.ui.keyboard import VirtualKeyboard
    from kiosk.ui.main_window import MainWindow
    from kiosk.ui.speech import Speaker

log = logging.getLogger(__name__)


def wipe_application_state() -> None:
    """What every window's wipe does beyond its own widgets: no focus left on a field, an
    empty clipboard, and the widgets deleted with ``deleteLater()`` destroyed now, before
    the next citizen (or resident) arrives rather than at some later turn of the loop."""
    focus = QApplication.focusWidget()
    if focus is not None:
        focus.clearFocus()
    clipboard = QApplication.clipboard()
    if clipboard is not None:
        clipboard.clear()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class Wiper:
    def __init__(self, flow: CitizenFlow, window: MainWindow, keyboard: VirtualKeyboard,
                 speaker: Speaker) -> None:
        self.flow, self.window, self.keyboard, self.speaker = flow, window, keyboard, speaker
        self.count = 0
        self._unsubscribe = flow.subscribe(self._on_topic)

    def _on_topic(self, topic: Topic) -> None:
        if topic is Topic.WIPED:
            self.wipe_widgets()

    def wipe_widgets(self) -> None:
        self.count += 1
        for screen in self.window.screens.values():
            screen.clear()
        self.window.close_overlays()               # a photo being taken is discarded
        self.keyboard.reset()
        self.speaker.stop()
        self.speaker.set_volume(self.flow.volume)
        wipe_application_state()                   # deleted form rows go now, too
        log.info("ui.wiped", extra={"ctx": {"count": self.count}})

    def close(self) -> None:
        self._unsubscribe()
