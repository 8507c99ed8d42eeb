"""The agent and technician pages' texts: both languages, the same placeholders in each."""

from __future__ import annotations

import string

import pytest

from kiosk.ui.agent import forms
from kiosk.ui.agent.texts import TEXTS as AGENT
from kiosk.ui.technician.texts import TEXTS as TECHNICIAN


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("texts", [AGENT, TECHNICIAN, forms.TEXTS],
                         ids=["agent", "technician", "forms"])
def test_every_text_has_both_languages_and_the_same_placeholders(
        texts: dict[str, tuple[str, str]]) -> None:
    """No text is empty in either language, and a placeholder in one exists in the other."""
    for key, (zh, en) in texts.items():
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key
