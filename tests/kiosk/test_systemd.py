"""sd_notify over a real AF_UNIX datagram socket the test opens, and the watchdog pinger."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.systemd import (
    CONFIG_EXIT_STATUS,
    DOWNGRADE_EXIT_STATUS,
    LEAVE_KIOSK_EXIT_STATUS,
    QUEUE_REFUSED_EXIT_STATUS,
    UPGRADE_EXIT_STATUS,
    Notifier,
    WatchdogPinger,
    socket_address,
    watchdog_interval_s,
)
from tests.conftest import REPO, require_tool


class Listener:
    """A bound datagram socket standing in for systemd's notify socket."""

    def __init__(self, abstract: bool) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            name = f"kiosk-test-{uuid.uuid4().hex}"
            self.sock.bind(b"\0" + name.encode())
            self.env_value = "@" + name
        else:
            self._dir = tempfile.mkdtemp(prefix="sdn")   # short: sun_path is 108 bytes
            path = os.path.join(self._dir, "notify")
            self.sock.bind(path)
            self.env_value = path
        self.sock.settimeout(5)

    def receive(self) -> dict[str, str]:
        data = self.sock.recv(4096).decode()
        return dict(line.split("=", 1) for line in data.split("\n"))

    def nothing_waiting(self) -> bool:
        self.sock.setblocking(False)
        try:
            self.sock.recv(4096)
        except BlockingIOError:
            return True
        finally:
            self.sock.settimeout(5)
        return False

    def close(self) -> None:
        self.sock.close()
        if not self.env_value.startswith("@"):
            os.unlink(self.env_value)
            os.rmdir(self._dir)


@pytest.fixture(params=[False, True], ids=["path", "abstract"])
def listener(request: pytest.FixtureRequest) -> Iterator[Listener]:
    sock = Listener(abstract=request.param)
    yield sock
    sock.close()


def test_messages_reach_the_socket(listener: Listener) -> None:
    """READY with STATUS, STATUS, WATCHDOG and STOPPING arrive as KEY=VALUE datagrams."""
    notifier = Notifier.from_env({"NOTIFY_SOCKET": listener.env_value})
    assert notifier.enabled
    assert notifier.ready("首页就绪 / first screen ready")
    assert listener.receive() == {"READY": "1", "STATUS": "首页就绪 / first screen ready"}
    assert notifier.status("syncing\n3 left")
    assert listener.receive() == {"STATUS": "syncing 3 left"}
    assert notifier.watchdog()
    assert listener.receive() == {"WATCHDOG": "1"}
    assert notifier.stopping()
    assert listener.receive() == {"STOPPING": "1"}


def test_without_notify_socket_everything_is_a_no_op() -> None:
    """Outside systemd nothing is sent and nothing fails."""
    notifier = Notifier.from_env({})
    assert not notifier.enabled and not notifier.ready() and not notifier.watchdog()
    assert socket_address("vsock:2:1234") is None
    assert socket_address("@x") == b"\0x" and socket_address("/run/x") == "/run/x"


def test_a_vanished_socket_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    """A notify socket that no longer exists gives False and a log event, not an exception."""
    notifier = Notifier(os.path.join(tempfile.gettempdir(), f"gone-{uuid.uuid4().hex}"))
    assert not notifier.watchdog()
    assert any(r.getMessage() == "systemd.notify_failed" for r in caplog.records)


@pytest.mark.parametrize(("environ", "expected"), [
    ({"WATCHDOG_USEC": "30000000"}, 15.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"}, 15.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "soon"}, None),
    ({}, None),
])
def test_watchdog_interval_from_the_environment(environ: dict[str, str],
                                                expected: float | None) -> None:
    """Half of WATCHDOG_USEC, and only for the process WATCHDOG_PID names (if any)."""
    assert watchdog_interval_s(environ, pid=4242) == expected


def test_pinger_pings_when_due_and_healthy(listener: Listener) -> None:
    """Ticks ping once per interval, not more; an unhealthy app withholds the ping."""
    now = [100.0]
    healthy = [True]
    environ = {"NOTIFY_SOCKET": listener.env_value, "WATCHDOG_USEC": "10000000",
               "WATCHDOG_PID": str(os.getpid())}
    pinger = WatchdogPinger.from_env(environ, healthy=lambda: healthy[0],
                                     clock=lambda: now[0])
    assert pinger is not None and pinger.interval_s == 5.0
    assert pinger.timer_interval_ms == 2500
    assert pinger.tick()
    assert listener.receive() == {"WATCHDOG": "1"}
    now[0] += 4.9
    assert not pinger.tick()
    assert listener.nothing_waiting()
    now[0] += 0.2
    assert pinger.tick()
    assert listener.receive() == {"WATCHDOG": "1"}
    healthy[0] = False
    now[0] += 10
    assert not pinger.tick()
    assert listener.nothing_waiting()


def test_no_pinger_without_watchdog() -> None:
    """Without WatchdogSec (or without a socket) there is no timer to start."""
    assert WatchdogPinger.from_env({"NOTIFY_SOCKET": "@x"}) is None
    assert WatchdogPinger.from_env({"WATCHDOG_USEC": "1000000"}) is None


# -- deploy/: the unit and the cage session ------------------------------------------------
DEPLOY = REPO / "deploy"


def unit_settings() -> dict[str, list[str]]:
    """``Key`` -> values of deploy/kiosk.service (systemd allows repeated keys)."""
    settings: dict[str, list[str]] = {}
    for line in (DEPLOY / "kiosk.service").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def test_unit_asks_for_notify_watchdog_restart_and_reboot() -> None:
    """The unit is Type=notify with a watchdog, restarts always, and reboots on a crash loop;
    leaving kiosk mode, a broken configuration, an unreadable queue or a downgrade (the
    app's exit statuses) does not restart it, and the exit for an upgrade (0) does."""
    unit = unit_settings()
    assert unit["Type"] == ["notify"] and unit["NotifyAccess"] == ["all"]
    assert int(unit["WatchdogSec"][0]) >= 10
    assert unit["Restart"] == ["always"]
    assert unit["StartLimitAction"] == ["reboot"]
    assert int(unit["StartLimitBurst"][0]) >= 2 and int(unit["StartLimitIntervalSec"][0]) > 0
    assert unit["RestartPreventExitStatus"] == [
        f"{LEAVE_KIOSK_EXIT_STATUS} {CONFIG_EXIT_STATUS} {QUEUE_REFUSED_EXIT_STATUS} "
        f"{DOWNGRADE_EXIT_STATUS}"]
    assert str(UPGRADE_EXIT_STATUS) not in unit["RestartPreventExitStatus"][0].split()
    assert "SuccessExitStatus" not in unit          # 0 must stay a plain, restarted exit


def test_unit_passes_systemd_analyze(tmp_path: Path) -> None:
    """systemd-analyze verify finds no unknown or invalid setting in the unit."""
    analyze = require_tool("systemd-analyze", "checks the unit file's syntax")
    text = (DEPLOY / "kiosk.service").read_text()
    # verify also checks that ExecStart exists: point it at a binary this machine has
    copy = tmp_path / "kiosk.service"
    copy.write_text("\n".join("ExecStart=/bin/true" if line.startswith("ExecStart=") else line
                              for line in text.splitlines()))
    proc = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True,
                          timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    for complaint in ("Unknown key", "Unknown section", "Failed to parse", "Invalid"):
        assert complaint not in out, out


def test_cage_session_runs_the_app_as_an_x_client(tmp_path: Path) -> None:
    """The session starts cage with the client script, which runs ``kiosk run`` with xcb,
    the embedded virtual keyboard, and WATCHDOG_PID removed so the app may ping."""
    record = tmp_path / "env.txt"
    fake_cage = tmp_path / "cage"
    fake_cage.write_text("#!/bin/sh\n# a stand-in compositor: run the client after --\n"
                         "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\n")
    fake_kiosk = tmp_path / "kiosk"
    fake_kiosk.write_text(f"#!/bin/sh\necho \"ARGS=$*\" > {record}\nenv >> {record}\n")
    for exe in (fake_cage, fake_kiosk):
        exe.chmod(0o755)
    env = {"PATH": os.environ["PATH"], "CAGE": str(fake_cage), "KIOSK_BIN": str(fake_kiosk),
           "KIOSK_MODE": "agent", "WATCHDOG_PID": "1", "WATCHDOG_USEC": "30000000"}
    proc = subprocess.run([str(DEPLOY / "cage-session.sh")], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    lines = record.read_text().splitlines()
    assert lines[0] == "ARGS=run --mode agent"
    assert "QT_QPA_PLATFORM=xcb" in lines and "QT_IM_MODULE=qtvirtualkeyboard" in lines
    assert "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1" in lines
    assert "WATCHDOG_USEC=30000000" in lines
    assert not any(line.startswith("WATCHDOG_PID=") for line in lines)


def test_kiosk_run_tells_systemd_ready_pings_the_watchdog_and_says_stopping(
        data_dir: Path) -> None:
    """The real `kiosk run` in citizen mode as deploy/kiosk.service starts it: READY=1
    once the first screen is up, WATCHDOG=1 from the GUI thread at half WATCHDOG_USEC,
    STOPPING=1 and exit 0 on SIGTERM."""
    import signal
    import sys
    import time

    listener = Listener(abstract=False)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": listener.env_value,
           "WATCHDOG_USEC": "600000"}          # pings every 300 ms
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli.main", "run", "--data-dir",
                             str(data_dir)], env=env, cwd=REPO, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    try:
        listener.sock.settimeout(30)
        ready = listener.receive()
        assert ready["READY"] == "1" and "citizen" in ready["STATUS"]
        listener.sock.settimeout(5)
        started = time.monotonic()
        pings = [listener.receive() for _ in range(3)]
        assert all(p == {"WATCHDOG": "1"} for p in pings)
        assert time.monotonic() - started < 3.0   # three within ~0.9 s, not one a minute
        proc.send_signal(signal.SIGTERM)
        while (message := listener.receive()).get("WATCHDOG") == "1":
            pass
        assert message["STOPPING"] == "1"
        _, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 0, stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        listener.close()
