"""Fixtures shared by the whole suite.

Every test runs with its own data directory under ``tmp_path`` and must leave no thread of
its own running: a test that starts a worker and forgets to stop it fails here, not as a
mystery in a later test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from central.platform import SandboxServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """The real sandbox platform on 127.0.0.1, one per test module, its workflow steps
    immediate (a test module that needs other settings defines its own)."""
    from central.platform import SandboxServer, SandboxSettings
    from central.workflow import WorkflowSchedule

    settings = SandboxSettings(tmp_path_factory.mktemp("central"),
                               workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 3.0
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()
                  and not t.name.startswith(("QDBus", "Dummy-", "pydevd"))]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"test left threads running: {[t.name for t in leaked]}"


def run_kiosk(*args: str, data_dir: Path | None = None, input: str | None = None,
              env: dict[str, str] | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real ``kiosk`` command line in a child process, as a technician would."""
    cmd = [sys.executable, "-m", "kiosk.cli.main", *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, input=input, env=full_env,
                          timeout=timeout, cwd=REPO)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_tool(name: str, why: str) -> str:
    """The path of a system tool; skip (outside CI) or fail (in CI) when it is missing."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/sbin/{name}") if os.path.exists(p)), None)
    if path is None:
        message = f"{name} is not installed ({why}); run scripts/bootstrap.sh"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    """A real X server for tests that the offscreen platform cannot serve."""
    xvfb = require_tool("Xvfb", "tests of the on-screen keyboard need a real X server")
    for number in range(90, 140):
        if not os.path.exists(f"/tmp/.X{number}-lock"):
            break
    proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1920x1080x24", "-nolisten",
                             "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket_path = f"/tmp/.X11-unix/X{number}"
    deadline = time.monotonic() + 10
    while not os.path.exists(socket_path):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
