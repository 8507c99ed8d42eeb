"""Every user-visible string exists in Chinese and English with the same placeholders."""

from __future__ import annotations

import re

from kiosk.flows.messages import MESSAGES, placeholders, tr


def test_both_languages_complete_with_matching_placeholders() -> None:
    """No message lacks a language, and {placeholders} agree between zh and en."""
    for key, text in MESSAGES.items():
        assert text.zh.strip() and text.en.strip(), key
        assert placeholders(text.zh) == placeholders(text.en), key


def test_chinese_is_chinese_and_english_is_english() -> None:
    """zh texts hold Chinese characters (or are the language switch); en texts hold none."""
    han = re.compile(r"[\u4e00-\u9fff]")
    for key, text in MESSAGES.items():
        if key in ("lang.switch",):
            continue
        assert han.search(text.zh), key
        assert not han.search(text.en), key


def test_tr_fills_placeholders() -> None:
    """tr() picks the language and fills named values."""
    assert tr("receipt.case", "en", number="X1") == "Case number: X1"
    assert tr("receipt.case", "zh", number="X1") == "受理编号：X1"
