"""Delivery to the real sandbox platform on 127.0.0.1, with its fault injection switched on.

Whatever the fault, the queue drains completely, the platform creates each submission once,
the local case numbers are the platform's, and only a submission the platform rejects for
its content (422) ends dead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from offline_queue import Outbox, State
from offline_queue.credentials import Credentials
from offline_queue.events import OutboxEvent, Progress, RunState
from offline_queue.retry import RetryPolicy
from offline_queue.sync import SyncEngine
from tests.central.builders import SIGNATURE
from tests.offline_queue.conftest import (
    TIMEOUTS,
    copy_of,
    counters,
    enrolled,
    faults,
    platform_cases,
    reset_counters,
    valid_submission,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer

FAST = RetryPolicy(base_s=0.01, cap_s=0.05, give_up_after=50)


class RecordingTransport(httpx.HTTPTransport):
    """The real HTTP transport, noting when (on the outbox's clock) each request went out."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__()
        self.clock = clock
        self.log: list[tuple[float, str, int | None, str | None]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        at = self.clock()
        try:
            response = super().handle_request(request)
        except httpx.TransportError:
            self.log.append((at, request.url.path, None, None))
            raise
        self.log.append((at, request.url.path, response.status_code,
                         response.headers.get("Retry-After")))
        return response


def drain(box: Outbox, engine: SyncEngine, *, tick: Callable[[], None] | None = None,
          deadline_s: float = 20) -> None:
    """Run the engine until nothing deliverable is left; fail if that takes too long."""
    deadline = time.monotonic() + deadline_s
    while box.store.next_due() is not None:
        assert time.monotonic() < deadline, box.stats()
        engine.sync_once()
        if tick is not None:
            tick()
        else:
            time.sleep(0.02)


def fill(box: Outbox, sandbox: SandboxServer, good: int) -> tuple[list[str], str]:
    """``good`` valid submissions and one whose form the platform rejects (422)."""
    template = valid_submission(sandbox)
    ids = [box.enqueue(copy_of(template), [SIGNATURE]) for _ in range(good // 2)]
    bad = box.enqueue(copy_of(template, form={}), [SIGNATURE])
    ids += [box.enqueue(copy_of(template), [SIGNATURE]) for _ in range(good - good // 2)]
    return ids, bad


def assert_delivered_once(box: Outbox, sandbox: SandboxServer, creds: Credentials,
                          good: list[str], bad: str) -> None:
    local = {i["submission_id"]: i for i in box.items()}
    dead = box.items(State.DEAD)
    assert [d["submission_id"] for d in dead] == [bad], [d["last_error"] for d in dead]
    assert dead[0]["reasons"]["code"] == "validation" and dead[0]["reasons"]["fields"]
    assert all(local[sid]["state"] == State.SENT for sid in good)
    at_platform = platform_cases(sandbox, creds.device_id)
    assert sorted(at_platform) == sorted(good)
    assert {sid: cases for sid, cases in at_platform.items()} == {
        sid: [local[sid]["case_number"]] for sid in good}
    assert counters(sandbox)["events"]["submissions_created"] == len(good)


FAULTS: dict[str, dict[str, Any]] = {
    "dropped before handling": {"drop_before": 0.3},
    "dropped after commit": {"drop_after": 0.3},
    "500": {"error_500": 0.3},
    "truncated bodies": {"truncate": 0.3},
    "slow past the time-out": {"delay": 0.3, "delay_s": 1.0},
    "mixed": {"drop_before": 0.1, "drop_after": 0.1, "error_500": 0.1, "error_503": 0.05,
              "truncate": 0.1, "retry_after_s": 0},
}


@pytest.mark.parametrize("plan", FAULTS.values(), ids=FAULTS.keys())
def test_faults_drain_exactly_once(sandbox: SandboxServer, data_dir: Path,
                                   plan: dict[str, Any]) -> None:
    """Under this fault the queue drains, nothing is duplicated, only the 422 item is dead."""
    creds = enrolled(sandbox, data_dir)
    reset_counters(sandbox)
    faults(sandbox, seed=7, **plan)
    with Outbox(data_dir) as box:
        good, bad = fill(box, sandbox, 12)
        with SyncEngine(box, creds, policy=FAST, batch_size=4, connect_timeout_s=2.0,
                        read_timeout_s=0.3 if "delay" in plan else 5.0) as engine:
            drain(box, engine)
        faults(sandbox)
        assert_delivered_once(box, sandbox, creds, good, bad)
    if "delay" in plan:  # the slow answers did outlast the client's time-out
        assert any("ReadTimeout" in (row[0] or "") for row in _attempt_errors(data_dir))


def _attempt_errors(data_dir: Path) -> list[tuple[str | None]]:
    import sqlite3

    conn = sqlite3.connect(data_dir / "outbox.db")
    try:
        return conn.execute("SELECT detail FROM attempts").fetchall()
    finally:
        conn.close()


def test_batch_disabled_uses_single_endpoint(sandbox: SandboxServer, data_dir: Path) -> None:
    """With batch switched off the platform is asked for it once, then gets one POST per item."""
    creds = enrolled(sandbox, data_dir)
    reset_counters(sandbox)
    faults(sandbox, batch_disabled=True)
    with Outbox(data_dir) as box:
        good, bad = fill(box, sandbox, 9)
        with SyncEngine(box, creds, policy=FAST, batch_size=5, **TIMEOUTS) as engine:
            drain(box, engine)
        assert_delivered_once(box, sandbox, creds, good, bad)
    requests = counters(sandbox)["requests"]
    assert requests.get("POST /v1/submissions:batch 404") == 1
    assert requests.get("POST /v1/submissions 201") == len(good)
    assert requests.get("POST /v1/submissions 422") == 1


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_respected(sandbox: SandboxServer, data_dir: Path, status: int) -> None:
    """After a 429/503 with Retry-After no request reaches the platform before that time."""
    creds = enrolled(sandbox, data_dir)
    reset_counters(sandbox)
    now = [1_000_000_000.0]
    transport = RecordingTransport(lambda: now[0])
    with Outbox(data_dir, clock=lambda: now[0]) as box:
        good, bad = fill(box, sandbox, 11)
        faults(sandbox, **{f"error_{status}": 0.4}, retry_after_s=5, seed=3)
        with SyncEngine(box, creds, policy=FAST, batch_size=3, transport=transport,
                        **TIMEOUTS) as engine:
            def tick() -> None:
                now[0] += 0.5
            drain(box, engine, tick=tick)
            log = transport.log
            throttled = [i for i, (_, _, code, _) in enumerate(log) if code == status]
            assert throttled, log          # the fault did happen
            for i in throttled:
                at, after = log[i][0], int(log[i][3] or 0)
                assert after == 5
                assert all(t >= at + after for t, *_ in log[i + 1:]), log[i:i + 3]
            # the whole queue waited, so retried items' next attempts were no sooner either
            waits = box.store.db.execute(
                "SELECT MIN(a2.at - a1.at) FROM attempts a1 JOIN attempts a2 "
                "ON a1.submission_id = a2.submission_id AND a2.id > a1.id "
                "WHERE a1.http_status = ?", [status]).fetchone()[0]
            assert waits is None or waits >= 5
        faults(sandbox)
        assert_delivered_once(box, sandbox, creds, good, bad)


LINE_FAULTS = {"drop_before": "offline", "drop_after": "offline", "truncate": None}


@pytest.mark.parametrize(("fault", "ending"), LINE_FAULTS.items(), ids=LINE_FAULTS.keys())
def test_a_run_of_dropped_connections_ends_offline(sandbox: SandboxServer, data_dir: Path,
                                                   fault: str, ending: str | None) -> None:
    """A run whose every connection was dropped without an answer, before the platform
    handled the request or after it committed it, ends offline (the report and the last
    progress event); a run whose answers were only cut short does not (the platform did
    answer). Either way the items go out once the line is back, each created once."""
    creds = enrolled(sandbox, data_dir)
    template = valid_submission(sandbox)
    events: list[OutboxEvent] = []
    with Outbox(data_dir) as box, \
            SyncEngine(box, creds, policy=FAST, batch_size=2, **TIMEOUTS) as engine:
        first = box.enqueue(copy_of(template), [SIGNATURE])
        assert engine.sync_once().sent == 1        # the signature blob is on the platform
        ids = [box.enqueue(copy_of(template), [SIGNATURE]) for _ in range(2)]
        reset_counters(sandbox)
        faults(sandbox, **{fault: 1.0})
        box.add_listener(events.append)
        report = engine.sync_once()
        assert report.stopped == ending and report.retry == 2, report
        assert [e.state for e in events if isinstance(e, Progress)][-1] == \
            (ending or RunState.IDLE)
        assert {box.get(i)["state"] for i in ids} == {State.RETRY_WAIT}
        happened = counters(sandbox)["events"]
        assert happened.get("dropped_before" if fault == "drop_before" else
                            "submissions_created", 0) >= 1, happened
        faults(sandbox)
        drain(box, engine)
        assert {box.get(i)["state"] for i in [first, *ids]} == {State.SENT}
    at_platform = platform_cases(sandbox, creds.device_id)
    assert sorted(at_platform) == sorted([first, *ids])
    assert all(len(cases) == 1 for cases in at_platform.values())
