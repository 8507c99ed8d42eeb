"""The background sync thread and the catalog cache, through the scripted platform."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from offline_queue import Outbox, State
from offline_queue.catalog_cache import CatalogCache
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
