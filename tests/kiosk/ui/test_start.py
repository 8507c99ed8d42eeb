"""The application starts to an interactive first screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_kiosk


@pytest.mark.parametrize("mode", [None, "citizen", "agent", "technician"])
def test_run_quit_after_ready_reports_start_time(data_dir: Path, mode: str | None) -> None:
    """`kiosk run [--mode M] --quit-after-ready` shows the mode's first screen, prints
    'ready in N ms', exits 0."""
    proc = run_kiosk("run", *(["--mode", mode] if mode else []), "--quit-after-ready",
                     data_dir=data_dir, env={"QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^ready in \d+ ms$", proc.stderr, re.MULTILINE)


def test_first_screen_shows_where_to_put_the_card(window) -> None:
    """The attract screen tells the citizen, in Chinese and English, to place the card."""
    from PySide6.QtWidgets import QLabel

    texts = " ".join(label.text() for label in window.attract.findChildren(QLabel))
    assert "请将身份证" in texts and "ID card" in texts
