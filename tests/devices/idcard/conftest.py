"""Fixtures for the ID-card reader tests: demo cards, an emulated reader on a real pty.

The emulator's timing model is off here (replies at once) to keep the suite fast; the
tests about timing switch it on themselves.
"""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from devices.idcard import IdCardReader, Timeouts, connect
from devices.idcard.emulator import IdCardEmulator, IdCardProfile, load_profiles
from devices.idcard.portscan import ports_matching
from seeds import seeds_dir

RESIDENTS = seeds_dir() / "residents.toml"

#: short time-outs: the emulator answers in milliseconds, so failures show up fast
FAST = Timeouts(short=0.5, reset=0.5, read=1.0, read_fingerprint=1.0, probe=0.4)


@pytest.fixture(scope="session")
def profiles() -> dict[str, IdCardProfile]:
    return load_profiles(RESIDENTS)


@pytest.fixture
def link(tmp_path: Path) -> Path:
    """The reader's stable path (a symlink the emulator points at its current pty)."""
    return tmp_path / "ttyIDCARD"


@pytest.fixture
def emulator(profiles: dict[str, IdCardProfile], link: Path) -> Iterator[IdCardEmulator]:
    emu = IdCardEmulator(profiles, link_path=link, pacing=False, seed=1)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def reader(emulator: IdCardEmulator) -> Iterator[IdCardReader]:
    r = connect(emulator.device_path, timeouts=FAST)
    try:
        yield r
    finally:
        r.close()


@contextmanager
def bare_ptys(directory: Path, *names: str) -> Iterator[list[Path]]:
    """Serial ports with nothing behind them: a pty per name, linked from ``directory``.

    The master side is held open (so the slave opens and takes writes) and never answers:
    a reader probe times out at every speed, as on a port whose device is not a reader.
    """
    fds: list[int] = []
    links = []
    try:
        for name in names:
            master, slave = os.openpty()
            fds += [master, slave]
            tty.setraw(slave)
            link = directory / name
            link.symlink_to(os.ttyname(slave))
            links.append(link)
        yield links
    finally:
        for fd in fds:
            os.close(fd)


class CountingPorts:
    """A port lister for auto-detection: the ``tty*`` under a directory, counting the
    searches that asked for them."""

    def __init__(self, directory: Path) -> None:
        self.calls = 0
        self._list = ports_matching(str(directory / "tty*"))

    def __call__(self) -> list[str]:
        self.calls += 1
        return self._list()
