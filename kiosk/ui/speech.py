"""Speech prompts for elder mode, behind a small interface so a better engine can replace
Qt TextToSpeech (speech-dispatcher + espeak-ng's Mandarin voice) without touching screens.

Never speak an ID number: :func:`speakable` masks every ID number that might hide in a text
(the screens only ever pass titles and prompts, this is the second line of defence).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from civic.pii import redact_text

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)


def speakable(text: str) -> str:
    return redact_text(text).replace("*", "")


class Speaker(Protocol):
    def say(self, text: str, language: str) -> None: ...
    def stop(self) -> None: ...
    def set_volume(self, percent: int) -> None: ...


class NullSpeaker:
    """Speaks nothing; remembers what it was asked (tests, terminals without audio)."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []
        self.volume = 70

    def say(self, text: str, language: str) -> None:
        self.said.append((speakable(text), language))

    def stop(self) -> None:
        self.said.clear()

    def set_volume(self, percent: int) -> None:
        self.volume = percent


class QtSpeaker:
    """Qt TextToSpeech; created lazily so a terminal without speech-dispatcher still starts."""

    def __init__(self) -> None:
        self._engine: QTextToSpeech | None = None
        self._volume = 0.7
        self.available = True

    def _tts(self) -> QTextToSpeech | None:
        if self._engine is None and self.available:
            try:
                from PySide6.QtTextToSpeech import QTextToSpeech

                self._engine = QTextToSpeech()
                self._engine.setVolume(self._volume)
            except (ImportError, RuntimeError):
                log.warning("speech.unavailable", extra={"ctx": {}})
                self.available = False
        return self._engine

    def say(self, text: str, language: str) -> None:
        engine = self._tts()
        if engine is None:
            return
        from PySide6.QtCore import QLocale

        engine.setLocale(QLocale(QLocale.Language.Chinese if language == "zh"
                                 else QLocale.Language.English))
        engine.say(speakable(text))

    def stop(self) -> None:
        if self._engine is not None:
            self._engine.stop()

    def set_volume(self, percent: int) -> None:
        self._volume = max(0.0, min(1.0, percent / 100))
        if self._engine is not None:
            self._engine.setVolume(self._volume)
