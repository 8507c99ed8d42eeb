"""A private pcscd with vsmartcard's vpcd reader, and virtual cards to put into it.

The daemon runs in its own network namespace (vpcd listens on 0.0.0.0:35963/35964, where
anyone could insert a card) and its own mount namespace, where a directory of ours is
bound over ``/run/pcscd``: its socket and pid file are then private, so it neither
collides with a system pcscd nor is reachable from outside. pyscard (in this process and
in ``kiosk`` child processes) finds it through ``PCSCLITE_CSOCK_NAME``; the virtual card
connects from a thread that has entered the daemon's network namespace.

Needs root (namespaces), pcscd and vsmartcard-vpcd: skipped outside CI when missing,
failed in CI.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devices.smartcard.pcsc import PcscContext
from devices.smartcard.virtual_applet import CardProfile
from devices.smartcard.virtual_card import VPCD_PORT, Connector, VirtualCard
from devices.smartcard.virtual_profiles import load_profiles
from seeds import seeds_dir
from tests.conftest import IN_CI, require_tool

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_0 = "Virtual PCD 00 00"
READER_1 = "Virtual PCD 00 01"
_CLONE_NEWNET = 0x40000000


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _connect_in_netns(netns: str, port: int) -> socket.socket:
    """A TCP connection to 127.0.0.1:port made from inside another network namespace.

    setns() moves only the calling thread, so a short-lived thread enters the namespace,
    connects and ends; the socket stays bound to the namespace it was made in.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    result: list[socket.socket | BaseException] = []

    def enter_and_connect() -> None:
        try:
            fd = os.open(netns, os.O_RDONLY)
            try:
                if libc.setns(fd, _CLONE_NEWNET) != 0:
                    errno = ctypes.get_errno()
                    raise OSError(errno, f"setns: {os.strerror(errno)}")
            finally:
                os.close(fd)
            result.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except BaseException as exc:  # handed to the caller's thread below
            result.append(exc)

    thread = threading.Thread(target=enter_and_connect, name="netns-connect")
    thread.start()
    thread.join()
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


@dataclass
class Pcscd:
    """The running private daemon."""

    pid: int
    socket_path: Path
    log_path: Path

    def connector(self, slot: int = 0) -> Connector:
        netns = f"/proc/{self.pid}/ns/net"
        return lambda: _connect_in_netns(netns, VPCD_PORT + slot)

    def wait_card(self, reader: str, present: bool, timeout: float = 5.0) -> None:
        """Poll pcscd (with a deadline) until the reader shows the card in or out."""
        with PcscContext(allow_virtual=True) as ctx:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                statuses = {s.name: s.card_present for s in ctx.statuses()}
                if statuses.get(reader) is present:
                    return
                time.sleep(0.02)
        raise AssertionError(f"{reader}: card present={present} not seen within {timeout} s")


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    daemon = require_tool("pcscd", "PC/SC tests run a private pcscd")
    unshare = require_tool("unshare", "the private pcscd runs in its own namespaces")
    ip = require_tool("ip", "the private pcscd's namespace needs its loopback up")
    if not VPCD_DRIVER.exists():
        _unavailable(f"{VPCD_DRIVER} is missing (package vsmartcard-vpcd); "
                     "run scripts/bootstrap.sh")
    if os.geteuid() != 0:
        _unavailable("PC/SC tests need root to give pcscd its own network namespace")
    base = tmp_path_factory.mktemp("pcscd")
    conf, run = base / "reader.conf.d", base / "run"
    conf.mkdir()
    run.mkdir()
    (conf / "vpcd").write_text(f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x8C7B\n'
                               f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x8C7B\n")
    log_path = base / "pcscd.log"
    script = (f"{ip} link set lo up && mkdir -p /run/pcscd && mount --bind {run} /run/pcscd "
              f"&& exec {daemon} --foreground --info --config {conf}")
    socket_path = run / "pcscd.comm"
    saved = os.environ.get("PCSCLITE_CSOCK_NAME")
    # pcsc-lite reads this once per process, at its first call: set before any PC/SC use.
    os.environ["PCSCLITE_CSOCK_NAME"] = str(socket_path)
    with log_path.open("wb") as log:
        proc = subprocess.Popen([unshare, "--net", "--mount", "--propagation", "private",
                                 "sh", "-c", script], stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_readers(proc, log_path)
        yield Pcscd(proc.pid, socket_path, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if saved is None:
            os.environ.pop("PCSCLITE_CSOCK_NAME", None)
        else:
            os.environ["PCSCLITE_CSOCK_NAME"] = saved


def _wait_for_readers(proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"pcscd exited ({proc.returncode}): {log_path.read_text()[-2000:]}")
        with contextlib.suppress(Exception), PcscContext(allow_virtual=True) as ctx:
            if READER_0 in ctx.reader_names():
                return
        time.sleep(0.05)
    pytest.fail(f"pcscd showed no virtual reader within 10 s: {log_path.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def profiles() -> dict[str, CardProfile]:
    """Virtual cards of the demo residents, by ref (R001 generation 2, R003 generation 3)."""
    return load_profiles(seeds_dir() / "residents.toml")


@pytest.fixture
def virtual_card(pcscd: Pcscd) -> Iterator[VirtualCard]:
    """An empty slot 0 of the virtual reader; insert() a profile to put a card in it."""
    card = VirtualCard(pcscd.connector(0))
    try:
        yield card
    finally:
        card.close()
        pcscd.wait_card(READER_0, present=False)
