"""The embedded Qt Virtual Keyboard on a real X server (it does not show offscreen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.xvfb
def test_embedded_keyboard_shows_and_forgets_what_it_learned(xvfb_display: str) -> None:
    """The InputPanel loads in the main window, appears when a field takes focus, keeps its
    user dictionary in our temporary directory, and the wipe's reset empties it."""
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QT_IM_MODULE", None)
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "kiosk" / "ui" / "vkb_probe.py")],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["im_module"] == "qtvirtualkeyboard"
    assert result["errors"] == [] and result["root"], result
    assert result["visible"], result
    assert result["user_data"] == result["expected_user_data"]
    assert result["learned_after_reset"] == []


@pytest.mark.xvfb
def test_pinyin_typed_on_the_panel_commits_chinese(xvfb_display: str) -> None:
    """Tapping n-i-h-a-o on the embedded panel's keys and then its first word candidate
    commits 你好, in an ordinary field and in one marked like every form field
    (ImhSensitiveData | ImhNoPredictiveText), which the keyboard sees with those hints."""
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QT_IM_MODULE", None)
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "kiosk" / "ui" /
                                               "vkb_typing.py")],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["root"] and result["errors"] == [], result
    for field in ("plain", "sensitive"):
        typed = result[field]
        assert typed["shown"], result
        assert typed["first_candidate"] == "你好" and typed["text"] == "你好", result
    assert result["sensitive"]["hints_seen"] == result["sensitive_hints"]
    assert result["learned"] == []
    # keys scale with the panel's width: on a 1280-px window every key is still a touch
    # target of at least 60 px (kiosk.md §4), wider on the kiosk's 1920-px panel
    width, height = result["smallest_key"]
    assert width >= 60 and height >= 60, result["smallest_key"]
