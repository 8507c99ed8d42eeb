"""Run a Python script inside a network namespace of its own, and read its JSON report.

WebRTC tries every address a machine has; a test's call must try none but loopback. In a
new namespace (``unshare --net``, root) the only interface is ``lo``: it is brought up with
127.0.0.1 and given 127.0.0.2 as well, because aioice leaves 127.0.0.1 out of its
candidates (``../shared/reference/face-and-video-setup.md``). The script prints one JSON
object as the last line of its stdout; anything before it is its progress.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import pytest

from tests.conftest import REPO

#: what the namespace's shell does before the script: loopback up, a second address on it
SETUP = "ip link set lo up && ip addr add 127.0.0.2/32 dev lo"


def namespace_problem() -> str | None:
    """Why this user may not make a network namespace here, or None when it may. Missing
    tools are not a reason to skip: they fail the test (scripts/bootstrap.sh installs them)."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.fail("unshare (util-linux) and ip (iproute2) are needed: scripts/bootstrap.sh")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True,
                           timeout=30)
    if probe.returncode != 0:
        return f"this user may not make a network namespace: {probe.stderr.strip()}"
    return None


def run_in_netns(module: str, args: Sequence[str] = (), *, timeout: float = 300,
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    """``python -m module args`` in a new network namespace (cwd: the repository); its JSON
    report. Skips the test, saying why, only when this user may not make the namespace; a
    script that fails or prints no report fails the test with its output."""
    problem = namespace_problem()
    if problem is not None:
        pytest.skip(problem)
    command = " ".join([SETUP, "&&", "exec", sys.executable, "-m", module,
                        *(shlex.quote(a) for a in args)])
    proc = subprocess.run(["unshare", "--net", "sh", "-c", command], cwd=REPO,
                          env=dict(os.environ, **(env or {})), capture_output=True,
                          text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    tail = f"\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
    assert proc.returncode == 0 and lines, f"{module} exited {proc.returncode}{tail}"
    try:
        report: dict[str, Any] = json.loads(lines[-1])
    except ValueError:
        raise AssertionError(f"{module} printed no JSON report{tail}") from None
    return report

