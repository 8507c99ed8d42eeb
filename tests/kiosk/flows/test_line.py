"""The status bar's line and queue state follows the sync worker's own events."""

from __future__ import annotations

from kiosk.flows.line import Line, LineStatus, follow
from offline_queue.events import ItemChanged, OutboxEvent, PlatformReachable, Progress, RunState
from offline_queue.states import State


def run(*events: OutboxEvent, start: LineStatus | None = None) -> LineStatus:
    status = start or LineStatus()
    for event in events:
        status = follow(status, event)
    return status


def progress(state: str, total: int = 0) -> Progress:
    return Progress(RunState(state), total=total)


def test_unknown_until_a_run_ends() -> None:
    """Before any run has ended nothing is claimed; a run under way shows its progress."""
    status = run(progress("syncing", total=3))
    assert status.line is Line.UNKNOWN and status.sending == (0, 3) and not status.online


def test_run_endings_map_to_the_line() -> None:
    """idle/held mean the platform answered, offline that nothing reached it, throttled
    that it is busy (still reachable), paused and fault (the queue's own storage failed,
    e.g. a full disk) that a technician is needed."""
    expected = {"idle": Line.ONLINE, "held": Line.ONLINE, "offline": Line.OFFLINE,
                "throttled": Line.BUSY, "paused": Line.PAUSED, "fault": Line.FAULT}
    for state, line in expected.items():
        status = run(progress("syncing", total=1), progress(state))
        assert status.line is line and status.sending is None, state
    assert run(progress("throttled")).online and not run(progress("paused")).online
    assert not run(progress("fault")).online


def test_probe_and_deliveries_bring_the_line_back() -> None:
    """After an offline run, the worker's health probe answer (or a delivery) means online;
    an item waiting for a retry says nothing about the line by itself."""
    down = run(progress("offline"))
    assert run(PlatformReachable(), start=down).line is Line.ONLINE
    assert run(ItemChanged("x", State.SENT), start=down).line is Line.ONLINE
    assert run(ItemChanged("x", State.RETRY_WAIT), start=down).line is Line.OFFLINE
    assert run(progress("busy"), start=down).line is Line.OFFLINE


def test_queue_count_is_what_the_outbox_says() -> None:
    """The waiting count is the one re-read from the outbox with each event."""
    status = follow(LineStatus(), progress("offline"), waiting=2)
    assert status.waiting == 2 and status.line is Line.OFFLINE


def test_the_run_end_decides_the_line_not_an_error_text() -> None:
    """The line is the engine's verdict on the run, never read from an item's error: a
    dropped connection in a run that ends "offline" is offline, the same error in a run the
    platform answered ("idle") is online, and a delivery shows online before the run ends
    but the run's end still has the last word."""
    dropped = ItemChanged("a", State.RETRY_WAIT, "connection failed (RemoteProtocolError)")
    sent = ItemChanged("b", State.SENT)
    online = LineStatus(Line.ONLINE)
    assert run(progress("syncing"), dropped, progress("offline"), start=online).line \
        is Line.OFFLINE
    assert run(progress("syncing"), dropped, progress("idle"),
               start=LineStatus(Line.OFFLINE)).line is Line.ONLINE
    assert run(progress("syncing"), sent, start=LineStatus(Line.OFFLINE)).line is Line.ONLINE
    assert run(progress("syncing"), sent, dropped, progress("offline")).line is Line.OFFLINE
