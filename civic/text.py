"""Bilingual text: every word a resident reads exists in Simplified Chinese and English.

One type for the catalog's names and reasons, the terminal's messages and the notices of
the flows and screens. It is the first thing the citizen screen loads, so this module
imports nothing but the standard library's dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Chinese (``zh``, shown by default) and English (``en``)."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language``: ``"en"`` gives English, anything else Chinese."""
        return self.en if language == "en" else self.zh

    def as_dict(self) -> dict[str, str]:
        """``{"zh", "en"}``, as the platform's JSON carries a text."""
        return {"zh": self.zh, "en": self.en}

    def __str__(self) -> str:
        return self.zh
