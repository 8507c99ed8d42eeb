"""The embedded Qt Virtual Keyboard on a real X server (it does not show offscreen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


def run_probe(name: str, display: str) -> dict:
    """Run tests/kiosk/ui/<name> on the X server ``display``; its JSON line, parsed."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QT_IM_MODULE", None)
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "kiosk" / "ui" / name)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.xvfb
def test_embedded_keyboard_shows_and_forgets_what_it_learned(xvfb_display: str) -> None:
    """The InputPanel loads in the main window, appears when a field takes focus, keeps its
    user dictionary in our temporary directory, and the wipe's reset empties it."""
    result = run_probe("vkb_probe.py", xvfb_display)
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
    result = run_probe("vkb_typing.py", xvfb_display)
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


def test_elder_keys_are_bigger_and_shrink_only_to_the_floor() -> None:
    """Elder mode's keys are taller, with bigger labels and word candidates, than normal
    mode's; with too little room their rows are lowered to fit, never below 60 px."""
    from kiosk.ui.keyboard import ELDER, MIN_ROW_PX, NORMAL

    assert ELDER.row_px >= 88 and ELDER.row_px > NORMAL.row_px
    assert ELDER.scale > NORMAL.scale
    assert NORMAL.panel_px == 4 * 98 + 2 * 3 + 43          # the keys, their margins, the bar
    assert ELDER.fitted(2000) == ELDER
    squeezed = ELDER.fitted(400)
    assert squeezed.scale == ELDER.scale and squeezed.panel_px <= 400
    assert MIN_ROW_PX < squeezed.row_px < ELDER.row_px
    assert ELDER.fitted(100).row_px == MIN_ROW_PX == 60


@pytest.mark.xvfb
def test_elder_mode_draws_bigger_keys_on_the_real_panel(xvfb_display: str) -> None:
    """On a 1280×800 window, measured on what the panel drew: elder mode's keys are touch
    targets of at least 88 px (normal mode's at least 60 px) and taller than normal mode's,
    key labels and word candidates at least 20 pt, every labelled key and candidate at
    least 4.5:1 — whether elder mode is switched on while the panel is up or before it
    shows — and the panel is neither cut off nor over the field being typed into."""
    result = run_probe("vkb_sizes.py", xvfb_display)
    assert result["root"] and result["errors"] == [] and result["shown"], result
    assert result["hidden"], "the panel stays up after the field is left"
    normal = result["normal"]
    assert normal["smallest_key"][1] >= 60, normal
    for elder in (result["elder_switched"], result["elder"]):
        assert elder["smallest_key"][1] >= 88, elder
        assert elder["smallest_key"][1] > normal["smallest_key"][1], (elder, normal)
        assert elder["label_pt"] >= 20 and elder["label_pt"] > normal["label_pt"], elder
        assert elder["candidate_pt"] >= 20 and elder["candidate_bar"] >= 60, elder
    for measured in (normal, result["elder_switched"], result["elder"]):
        assert measured["key_contrast"] >= 4.5, measured
        assert measured["candidate_contrast"] >= 4.5, measured
        height, drawn = measured["panel"]
        assert drawn <= height, f"the panel's top is cut off: {measured}"
        window, bottom = measured["window"]
        assert window == 800 and bottom <= window, f"the panel runs off the window: {measured}"
        assert measured["field_above_panel"], measured
