"""Auto-detecting the reader's port, through real ptys and the emulator, on the monitor."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from devices.idcard import AutoDetect, EventKind, ReaderMonitor
from devices.idcard.emulator import IdCardEmulator, IdCardProfile
from devices.idcard.errors import ReaderNotFound
from devices.idcard.portscan import ports_matching
from tests.devices.idcard.conftest import FAST, CountingPorts, bare_ptys
from tests.devices.idcard.test_monitor import Recorder


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_searches_are_spaced_and_a_later_reader_is_found(
        tmp_path: Path, profiles: dict[str, IdCardProfile],
        caplog: pytest.LogCaptureFixture) -> None:
    """Nothing answers: the ports are searched once, then not again before the interval;
    a reader plugged in meanwhile is found by the next search, past an empty port, and
    its port (only) is logged."""
    lister, clock = CountingPorts(tmp_path), Clock()
    finder = AutoDetect(lister, rescan_interval=30, timeouts=FAST, clock=clock)
    with bare_ptys(tmp_path, "ttyA"):
        with pytest.raises(ReaderNotFound) as info:
            finder()
        assert lister.calls == 1 and "30 s" in info.value.en and info.value.zh
        with IdCardEmulator(profiles, link_path=tmp_path / "ttyB", pacing=False) as emulator:
            clock.now = 29.9
            with pytest.raises(ReaderNotFound):
                finder()
            assert lister.calls == 1 and not emulator.commands
            clock.now = 30.0
            with caplog.at_level(logging.INFO, logger="devices.idcard.autodetect"), \
                    finder() as reader:
                assert reader.device == emulator.device_path and reader.baudrate == 115200
    assert finder.port == emulator.device_path
    (record,) = [r for r in caplog.records if r.getMessage() == "idcard.autodetected"]
    assert record.ctx == {"device": emulator.device_path, "baudrate": 115200,  # type: ignore[attr-defined]
                          "sam_id": "05.01-123456789-3221971278-0000001234"}


def test_the_found_port_is_reopened_first_and_a_moved_reader_found_again(
        tmp_path: Path, profiles: dict[str, IdCardProfile]) -> None:
    """After a replug on the same port the reader is opened there without a search; a
    reader that comes back on another port is searched for once its old port fails."""
    lister, clock = CountingPorts(tmp_path), Clock()
    finder = AutoDetect(lister, rescan_interval=30, timeouts=FAST, clock=clock)
    emulator = IdCardEmulator(profiles, link_path=tmp_path / "ttyUSB0", pacing=False)
    with emulator:
        finder().close()
        emulator.unplug()
        emulator.replug()
        clock.now = 40.0                  # a search would be due: the old port comes first
        finder().close()
    assert lister.calls == 1
    with IdCardEmulator(profiles, link_path=tmp_path / "ttyUSB1", pacing=False) as moved, \
            finder() as reader:
        assert reader.device == moved.device_path
    assert lister.calls == 2 and finder.port == moved.device_path


def test_monitor_reports_lost_until_a_reader_appears_then_its_cards(
        tmp_path: Path, profiles: dict[str, IdCardProfile]) -> None:
    """Given to the monitor as its opener, detection keeps retrying on the monitor's thread:
    READER_LOST while there is no reader, READER_BACK and the card once one is plugged in."""
    finder = AutoDetect(ports_matching(str(tmp_path / "tty*")), rescan_interval=0.2,
                        timeouts=FAST)
    recorder = Recorder()
    monitor = ReaderMonitor(finder, poll_interval=0.05, reopen_interval=0.05)
    monitor.add_observer(recorder)
    with monitor:
        lost = recorder.wait_for(EventKind.READER_LOST)
        assert isinstance(lost.error, ReaderNotFound)
        with IdCardEmulator(profiles, link_path=tmp_path / "ttyIDCARD",
                            pacing=False) as emulator:
            recorder.wait_for(EventKind.READER_BACK)
            emulator.place("R001")
            placed = recorder.wait_for(EventKind.CARD_PLACED)
            assert placed.card is not None and placed.card.card_type.value == "resident"
            monitor.stop()
