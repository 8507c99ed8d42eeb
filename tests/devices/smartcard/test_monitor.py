"""The PC/SC monitor reports readers and cards of a real pcscd to its observers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import pytest

from devices.smartcard import CardPresence, PcscMonitor
from devices.smartcard.virtual_applet import SOCIAL_SECURITY_ATR, CardProfile
from devices.smartcard.virtual_card import VirtualCard
from tests.devices.smartcard.conftest import READER_0, READER_1, Pcscd

pytestmark = pytest.mark.pcsc


class Recorder:
    """Collects what the monitor reports, from the monitor's thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
        self.threads: set[str] = set()

    def readers_changed(self, added: Sequence[str], removed: Sequence[str]) -> None:
        self._add("readers", tuple(added), tuple(removed))

    def cards_changed(self, inserted: Sequence[CardPresence],
                      removed: Sequence[CardPresence]) -> None:
        assert all(c.atr for c in inserted)
        self._add("cards", tuple(c.reader for c in inserted), tuple(c.reader for c in removed))

    def _add(self, kind: str, added: tuple[str, ...], removed: tuple[str, ...]) -> None:
        with self.lock:
            self.events.append((kind, added, removed))
            self.threads.add(threading.current_thread().name)

    def wait_for(self, predicate: Callable[[list[tuple[str, tuple[str, ...], tuple[str, ...]]]],
                                           bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(list(self.events)):
                    return
            time.sleep(0.02)
        raise AssertionError(f"not reported within {timeout} s: {self.events}")


def test_monitor_reports_readers_then_card_inserted_and_removed(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """Observers hear of both virtual readers, then of a card going in and coming out."""
    recorder = Recorder()
    with PcscMonitor(allow_virtual=True, poll_ms=200) as monitor:
        monitor.add_observer(recorder)
        recorder.wait_for(lambda ev: any(e[0] == "readers" and {READER_0, READER_1} <= set(e[1])
                                         for e in ev))
        virtual_card.insert(profiles["R001"])
        recorder.wait_for(lambda ev: ("cards", (READER_0,), ()) in ev)
        virtual_card.remove()
        recorder.wait_for(lambda ev: ("cards", (), (READER_0,)) in ev)
    assert recorder.threads == {"pcsc-monitor"}


def test_monitor_hides_virtual_readers_unless_allowed(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """Outside demo/test mode a monitor never reports a 'Virtual PCD' reader or its card."""
    recorder, probe = Recorder(), Recorder()
    virtual_card.insert(profiles["R001"])
    with PcscMonitor(allow_virtual=False, poll_ms=100) as strict, \
            PcscMonitor(allow_virtual=True, poll_ms=100) as lenient:
        strict.add_observer(recorder)
        lenient.add_observer(probe)
        # Once the lenient monitor has seen the card, the strict one has had time to as well.
        probe.wait_for(lambda ev: ("cards", (READER_0,), ()) in ev)
        virtual_card.remove()
        probe.wait_for(lambda ev: ("cards", (), (READER_0,)) in ev)
    assert recorder.events == []


def test_monitor_stops_promptly_and_joins_its_thread(pcscd: Pcscd) -> None:
    """stop() wakes the blocked status-change wait instead of waiting out its time-out."""
    recorder = Recorder()
    monitor = PcscMonitor(allow_virtual=True, poll_ms=60_000)
    monitor.add_observer(recorder)
    monitor.start()
    # Once the readers are reported, the thread's next step is a 60-second status wait.
    recorder.wait_for(lambda ev: any(e[0] == "readers" for e in ev))
    started = time.monotonic()
    monitor.stop()
    assert time.monotonic() - started < 2.0
    assert not any(t.name == "pcsc-monitor" for t in threading.enumerate())


def test_atr_of_virtual_card_is_reported(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """The card event carries the card's ATR, as the reader saw it."""
    seen: list[CardPresence] = []

    class Cards:
        def readers_changed(self, added: Sequence[str], removed: Sequence[str]) -> None:
            pass

        def cards_changed(self, inserted: Sequence[CardPresence],
                          removed: Sequence[CardPresence]) -> None:
            seen.extend(inserted)

    with PcscMonitor(allow_virtual=True, poll_ms=100) as monitor:
        monitor.add_observer(Cards())
        virtual_card.insert(profiles["R001"])
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.02)
    assert seen and seen[0] == CardPresence(READER_0, SOCIAL_SECURITY_ATR)


def test_failing_observer_is_logged_and_does_not_stop_the_others(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        caplog: pytest.LogCaptureFixture) -> None:
    """An observer that raises is logged with its traceback; later observers still hear."""

    class Broken:
        def readers_changed(self, added: Sequence[str], removed: Sequence[str]) -> None:
            raise ValueError("observer bug")

        def cards_changed(self, inserted: Sequence[CardPresence],
                          removed: Sequence[CardPresence]) -> None:
            raise ValueError("observer bug")

    recorder = Recorder()
    with caplog.at_level("ERROR", logger="devices.smartcard.monitor"), \
            PcscMonitor(allow_virtual=True, poll_ms=100) as monitor:
        monitor.add_observer(Broken())
        monitor.add_observer(recorder)
        virtual_card.insert(profiles["R001"])
        recorder.wait_for(lambda ev: ("cards", (READER_0,), ()) in ev)
    failures = [r for r in caplog.records if r.getMessage() == "smartcard.monitor.observer_failed"]
    assert failures and failures[0].exc_info is not None
