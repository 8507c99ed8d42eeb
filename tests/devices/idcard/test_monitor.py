"""The reader monitor thread against the emulated reader: cards, lifts, unplug and replug."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.idcard import EventKind, IdCardReader, ReaderEvent, ReaderMonitor, connect
from devices.idcard.emulator import IdCardEmulator, IdCardProfile
from devices.idcard.errors import CardReadError, PortError, SamFaultError
from tests.devices.idcard.conftest import FAST

POLL = 0.05


class Recorder:
    """Collects events from the monitor thread; waits for them with a deadline."""

    def __init__(self) -> None:
        self.events: list[ReaderEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: ReaderEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def kinds(self) -> list[EventKind]:
        with self._cond:
            return [e.kind for e in self.events]

    def wait_for(self, kind: EventKind, count: int = 1, timeout: float = 5.0) -> ReaderEvent:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matching = [e for e in self.events if e.kind is kind]
                if len(matching) >= count:
                    return matching[count - 1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {kind} #{count} within {timeout} s; got "
                                         f"{[e.kind.value for e in self.events]}")
                self._cond.wait(remaining)


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


def finds_seen(emulator: IdCardEmulator) -> int:
    return sum(1 for c in list(emulator.commands) if c == (0x20, 0x01))


def opener(link: Path) -> Callable[[], IdCardReader]:
    return lambda: connect(str(link), timeouts=FAST)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def monitor(emulator: IdCardEmulator, link: Path,
            recorder: Recorder) -> Iterator[ReaderMonitor]:
    mon = ReaderMonitor(opener(link), poll_interval=POLL, reopen_interval=POLL)
    mon.add_observer(recorder)
    mon.start()
    try:
        yield mon
    finally:
        mon.stop()


def test_card_placed_then_removed(emulator: IdCardEmulator, monitor: ReaderMonitor,
                                  recorder: Recorder) -> None:
    """A placed card is read and reported once while it stays; taking it away is reported."""
    recorder.wait_for(EventKind.READER_READY)
    emulator.place("R014")
    placed = recorder.wait_for(EventKind.CARD_PLACED)
    assert placed.card is not None and placed.card.name == "阿依古丽·买买提"
    assert placed.found_at is not None and placed.found_at <= placed.at
    polls = finds_seen(emulator)
    wait_until(lambda: finds_seen(emulator) >= polls + 5)
    assert recorder.kinds().count(EventKind.CARD_PLACED) == 1
    assert monitor.current_card == placed.card
    emulator.remove()
    recorder.wait_for(EventKind.CARD_REMOVED)
    assert monitor.current_card is None
    assert recorder.kinds() == [EventKind.READER_READY, EventKind.CARD_PLACED,
                                EventKind.CARD_REMOVED]


def test_lift_required_reader_is_not_read_twice(emulator: IdCardEmulator, link: Path,
                                                recorder: Recorder) -> None:
    """With a must-lift reader the card is read once; lifting and re-placing reads it again."""
    emulator.set_faults(lift_required=True)
    mon = ReaderMonitor(opener(link), poll_interval=POLL, lift_required=True)
    mon.add_observer(recorder)
    with mon:
        emulator.place("R001")
        recorder.wait_for(EventKind.CARD_PLACED)
        polls = finds_seen(emulator)
        wait_until(lambda: finds_seen(emulator) >= polls + 5)
        assert EventKind.CARD_REMOVED not in recorder.kinds()
        emulator.place("R002")
        second = recorder.wait_for(EventKind.CARD_PLACED, 2)
        assert second.card is not None and second.card.name == "李秀英"
        assert recorder.kinds()[-2:] == [EventKind.CARD_REMOVED, EventKind.CARD_PLACED]


def test_unplug_and_replug_recover_by_themselves(emulator: IdCardEmulator,
                                                 monitor: ReaderMonitor,
                                                 recorder: Recorder) -> None:
    """Unplugging reports the card gone and the reader lost; replugging brings both back."""
    emulator.place("H001")
    recorder.wait_for(EventKind.CARD_PLACED)
    emulator.unplug()
    lost = recorder.wait_for(EventKind.READER_LOST)
    assert lost.error is not None and "ID-card reader" in lost.error.en
    assert recorder.kinds()[-2:] == [EventKind.CARD_REMOVED, EventKind.READER_LOST]
    assert not monitor.reader_ok
    polls = finds_seen(emulator)
    emulator.replug()
    recorder.wait_for(EventKind.READER_BACK)
    again = recorder.wait_for(EventKind.CARD_PLACED, 2)
    assert again.card is not None and again.card.pass_number == "H12345678"
    assert recorder.kinds().count(EventKind.READER_LOST) == 1
    assert monitor.reader_ok and finds_seen(emulator) > polls


def test_card_removed_mid_read_reports_one_card_error(emulator: IdCardEmulator,
                                                      monitor: ReaderMonitor,
                                                      recorder: Recorder) -> None:
    """A card pulled away during the read gives one CARD_ERROR; the next placement reads fine."""
    recorder.wait_for(EventKind.READER_READY)
    emulator.set_faults(remove_during_read=True)
    emulator.place("R005")
    error = recorder.wait_for(EventKind.CARD_ERROR)
    assert isinstance(error.error, CardReadError) and error.error.sw3 == 0x41
    assert EventKind.CARD_PLACED not in recorder.kinds()
    emulator.set_faults(remove_during_read=False)
    emulator.place("R005")
    placed = recorder.wait_for(EventKind.CARD_PLACED)
    assert placed.card is not None and placed.card.id_number.endswith("028X")
    assert recorder.kinds().count(EventKind.CARD_ERROR) == 1


def test_sam_fault_is_reader_lost_until_repaired(emulator: IdCardEmulator, link: Path,
                                                 recorder: Recorder) -> None:
    """A faulty SAM is reported as READER_LOST with SamFaultError, and READER_BACK once fixed."""
    emulator.set_faults(sam_fault=True)
    mon = ReaderMonitor(opener(link), poll_interval=POLL, reopen_interval=POLL)
    mon.add_observer(recorder)
    with mon:
        lost = recorder.wait_for(EventKind.READER_LOST)
        assert isinstance(lost.error, SamFaultError)
        emulator.set_faults(sam_fault=False)
        recorder.wait_for(EventKind.READER_BACK)
        emulator.set_faults(sam_fault=True)
        recorder.wait_for(EventKind.READER_LOST, 2)


def test_reader_absent_at_start_then_plugged_in(profiles: dict[str, IdCardProfile],
                                                tmp_path: Path, recorder: Recorder) -> None:
    """No reader at start: READER_LOST (port missing) once, then READER_BACK when it appears."""
    link = tmp_path / "ttyLATE"
    mon = ReaderMonitor(opener(link), poll_interval=POLL, reopen_interval=POLL)
    mon.add_observer(recorder)
    with mon:
        lost = recorder.wait_for(EventKind.READER_LOST)
        assert isinstance(lost.error, PortError)
        with IdCardEmulator(profiles, link_path=link, pacing=False) as emu:
            recorder.wait_for(EventKind.READER_BACK)
            emu.place("F001")
            placed = recorder.wait_for(EventKind.CARD_PLACED)
            assert placed.card is not None and placed.card.name_en == "SMITH JOHN WILLIAM"
            assert recorder.kinds().count(EventKind.READER_LOST) == 1


def test_a_failing_observer_does_not_stop_the_monitor(emulator: IdCardEmulator, link: Path,
                                                      recorder: Recorder,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """An observer that raises is logged as a bug; other observers still hear every event."""
    def broken(event: ReaderEvent) -> None:
        raise RuntimeError("observer bug")

    mon = ReaderMonitor(opener(link), poll_interval=POLL)
    mon.add_observer(broken)
    mon.add_observer(recorder)
    with mon:
        emulator.place("R003")
        recorder.wait_for(EventKind.CARD_PLACED)
        mon.remove_observer(broken)
    assert any(r.message == "idcard.observer_failed" for r in caplog.records)


def test_stop_joins_and_a_monitor_starts_once(emulator: IdCardEmulator, link: Path) -> None:
    """stop() ends the thread (the port is released); starting twice is refused."""
    mon = ReaderMonitor(opener(link), poll_interval=POLL)
    mon.start()
    with pytest.raises(RuntimeError):
        mon.start()
    wait_until(lambda: finds_seen(emulator) > 0)
    mon.stop()
    assert not mon.running
    assert not any(t.name == "idcard-monitor" for t in threading.enumerate())
    with connect(emulator.device_path, timeouts=FAST) as reader:   # exclusive lock released
        assert reader.find_card() is False
