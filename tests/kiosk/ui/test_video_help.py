"""Video help through the real widgets, the real sandbox and the clerk's console in headless
Chromium, inside a network namespace this test makes (issue #18).

The scenario itself is ``video_help_inside.py``: it runs in a child pytest under
``unshare --net``, where the only interface is ``lo`` (127.0.0.1, plus 127.0.0.2 because
aioice skips 127.0.0.1), so WebRTC can try no other address. This test checks that every
step of the scenario passed and prints the figures it measured (answer → first remote
frame, the clerk's frame rate as drawn, network loss → "call ended").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
INSIDE = HERE / "video_help_inside.py"


def run_in_namespace(tmp_path: Path, screenshots: Path | None = None
                     ) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    """The scenario in a new network namespace; its pytest outcome and its report."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.fail("unshare and ip are needed (util-linux, iproute2: scripts/bootstrap.sh)")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"this user cannot make a network namespace: {probe.stderr.strip()}")
    report = tmp_path / "report.json"
    env = dict(os.environ, KIOSK_NETNS="1", KIOSK_REPORT=str(report),
               QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if screenshots is not None:
        env["KIOSK_SCREENSHOTS"] = str(screenshots)
    inner = (f"ip link set lo up && ip addr add 127.0.0.2/32 dev lo && "
             f"exec {sys.executable} -m pytest -q -p no:cacheprovider -o addopts='' "
             f"--timeout=300 {INSIDE}")
    result = subprocess.run(["unshare", "--net", "sh", "-c", inner], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    figures = json.loads(report.read_text()) if report.exists() else {}
    return result, figures


@pytest.mark.timeout(900)
def test_video_help_end_to_end_in_a_network_namespace(tmp_path: Path) -> None:
    result, figures = run_in_namespace(tmp_path)
    tail = (result.stdout + result.stderr)[-6000:]
    assert result.returncode == 0, tail
    assert "3 passed" in result.stdout, tail
    print("video help figures:", json.dumps(figures))
    assert figures["kiosk_accept_to_first_frame_ms"] > 0
    assert figures["leak_check"]["new_threads"] == []
    assert figures["dial"]["frames_received"] > 0
