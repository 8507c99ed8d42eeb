"""Spoken focus: whenever the terminal speaks (``Prefs.speaks``: elder mode, a headphone in
the jack, or a citizen who pressed a key on the attract screen), each control that takes
focus in the window is spoken — its accessible name, then its description, in the
session's language.

Only a control's name and description are spoken, never what it holds: a field is read as
its label ("联系电话"), not as the number typed into it, and every text still goes through
:func:`kiosk.ui.speech.speakable` (the narrator's rules, ``kiosk.ui.narrator``), since a
headphone can be unplugged and a loudspeaker is heard by the queue behind the citizen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.flows.prefs import Prefs
from kiosk.ui.accessible_texts import joined
from kiosk.ui.speech import Speaker


def spoken(widget: QWidget, language: str) -> str:
    """What is said when ``widget`` takes focus: its name (a button's text when it has no
    other), then what it does."""
    name = widget.accessibleName()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text()
    return joined([name, widget.accessibleDescription()], language)


class FocusSpeech:
    """Speaks the focused control of ``window`` through ``speaker`` while ``prefs.speaks``."""

    def __init__(self, window: QWidget, prefs: Prefs, speaker: Speaker) -> None:
        self.window, self.prefs, self.speaker = window, prefs, speaker
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._app = app
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.window() is not self.window or not self.prefs.speaks:
            return
        text = spoken(new, self.prefs.language)
        if text:
            self.speaker.say(text, self.prefs.language)

    def close(self) -> None:
        self._app.focusChanged.disconnect(self._focus_changed)
