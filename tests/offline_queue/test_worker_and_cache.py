"""The background sync thread and the catalog cache, through the scripted platform."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from offline_queue import Outbox, State
from offline_queue.catalog_cache import CatalogCache
from offline_queue.events import OutboxEvent, PlatformReachable
from offline_queue.sync import SyncEngine
from tests.offline_queue.conftest import SIGNATURE, TIMEOUTS, make_submission
from tests.offline_queue.fake_platform import FakePlatform
from tests.offline_queue.test_sync_unit import CREDS


def test_worker_sends_right_after_enqueue(data_dir: Path) -> None:
    """With a long schedule, an enqueue still wakes the worker and the item is sent."""
    fake = FakePlatform()
    with Outbox(data_dir) as box, SyncEngine(box, CREDS, transport=fake.transport(),
                                                 **TIMEOUTS) as engine:
        from offline_queue.worker import SyncWorker

        with SyncWorker(engine, interval_s=3600):
            sid = box.enqueue(make_submission(), [SIGNATURE])
            deadline = time.monotonic() + 10
            while box.get(sid)["state"] != State.SENT and time.monotonic() < deadline:
                time.sleep(0.02)
        assert box.get(sid)["state"] == State.SENT


def test_catalog_cache_etag_and_rejection(data_dir: Path) -> None:
    """A good catalog is kept with its ETag, 304 keeps it, and a bad one is rejected."""
    docs = [{"version": "1", "items": [1]}, None, {"version": "2", "items": []}]
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("If-None-Match"))
        doc = docs.pop(0)
        return httpx.Response(304) if doc is None else httpx.Response(
            200, json=doc, headers={"ETag": f'"{doc["version"]}"'})

    def validate(doc: dict[str, Any]) -> list[str]:
        return [] if doc.get("items") else ["no items"]

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://p") as client:
        cache = CatalogCache(data_dir, client, validate)
        assert cache.refresh() == "updated"
        assert cache.refresh() == "unchanged"
        assert cache.refresh() == "rejected"
    assert seen == [None, '"1"', '"1"']
    assert cache.current() == {"version": "1", "items": [1]}


def test_worker_probes_health_and_syncs_when_line_returns(data_dir: Path) -> None:
    """While the line is down the worker only probes /v1/health, and sends once it answers."""
    from offline_queue.retry import RetryPolicy
    from offline_queue.worker import SyncWorker

    fake = FakePlatform()
    fake.down = True
    events: list[OutboxEvent] = []
    probe = RetryPolicy(base_s=0.02, cap_s=0.05)
    with Outbox(data_dir) as box, SyncEngine(box, CREDS, transport=fake.transport(),
                                             **TIMEOUTS) as engine:
        box.add_listener(events.append)
        sid = box.enqueue(make_submission(), [SIGNATURE])
        with SyncWorker(engine, interval_s=3600, probe_policy=probe) as worker:
            deadline = time.monotonic() + 10
            while fake.calls.count("GET /v1/health") < 5:   # probing, not resending
                assert time.monotonic() < deadline, fake.calls
                time.sleep(0.01)
            assert worker.last_report is not None and worker.last_report.stopped == "offline"
            sends = [c for c in fake.calls if c != "GET /v1/health"]
            assert len(sends) <= 3                         # give_up_after, then only probes
            fake.down = False                              # the line comes back
            while box.get(sid)["state"] != State.SENT:
                assert time.monotonic() < deadline, fake.calls[-5:]
                time.sleep(0.01)
    assert PlatformReachable() in events


def test_worker_idles_while_paused(data_dir: Path) -> None:
    """A paused queue (401) is not retried in a loop: the worker waits for its schedule."""
    from offline_queue.worker import SyncWorker

    fake = FakePlatform()
    fake.script = [lambda r: httpx.Response(401)]
    with Outbox(data_dir) as box, SyncEngine(box, CREDS, transport=fake.transport(),
                                             **TIMEOUTS) as engine:
        box.enqueue(make_submission(), [SIGNATURE])
        with SyncWorker(engine, interval_s=3600) as worker:
            deadline = time.monotonic() + 5
            while worker.last_report is None or worker.last_report.stopped != "paused":
                assert time.monotonic() < deadline
                time.sleep(0.01)
            calls = len(fake.calls)
            time.sleep(0.3)   # measuring that nothing happens needs some time to pass
            assert len(fake.calls) == calls
        assert box.stats()["paused"] is True
