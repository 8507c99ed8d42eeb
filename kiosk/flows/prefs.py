"""How the terminal looks and speaks to whoever stands at it: language, elder mode, volume.

The preferences exist before a session can (the attract screen shows them and its elder
button sets them while the terminal is still opening its outbox, catalog and devices), so
they are an object of their own that :class:`~kiosk.flows.session.CitizenFlow` is handed
and resets at every wipe. No Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.flows.states import Topic

LANGUAGES = ("zh", "en")
Listener = Callable[[Topic], None]


class Prefs:
    def __init__(self, language: str = "zh", volume: int = 70) -> None:
        if language not in LANGUAGES:
            raise ValueError(language)
        self.default_language, self.default_volume = language, volume
        self.language, self.elder, self.volume = language, False, volume
        #: a headphone is in the jack: the terminal's state, not a citizen's (set by the
        #: audio layer, which can detect it; kept across sessions)
        self.headphone = False
        #: this citizen pressed a key on the attract screen: they use the keypad, maybe
        #: without sight (reset with the session)
        self.keypad_user = False
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners \
            else None

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(language)
        self.language = language
        self._changed()

    def set_elder(self, on: bool) -> None:
        self.elder = on
        self._changed()

    def set_headphone(self, plugged: bool) -> None:
        """The audio layer's report that a headphone was plugged in (or taken out)."""
        self.headphone = plugged
        self._changed()

    def set_keypad_user(self) -> None:
        """A key was pressed on the attract screen."""
        if not self.keypad_user:
            self.keypad_user = True
            self._changed()

    @property
    def speaks(self) -> bool:
        """Whether the terminal speaks (prompts, and each control that takes focus): in
        elder mode, with a headphone in, or for a citizen who started on the keypad."""
        return self.elder or self.headphone or self.keypad_user

    def reset(self) -> None:
        """Back to the terminal's defaults, silently: the wipe that calls this announces
        :attr:`Topic.WIPED`, which every listener treats as a change of preferences too."""
        self.language, self.elder, self.keypad_user = self.default_language, False, False
        self.volume = self.default_volume

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(Topic.PREFS)
