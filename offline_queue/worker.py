"""The background sync thread: on a schedule, right after an enqueue, when the line returns.

``start()``/``stop()`` are explicit; ``stop()`` joins the thread. The engine is built by
the caller (composition root) and handed in; the worker only decides *when* to run it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from offline_queue.sync import SyncEngine, SyncReport

log = logging.getLogger(__name__)


class SyncWorker:
    def __init__(self, engine: SyncEngine, *, interval_s: float = 60.0,
                 offline_probe_s: float = 15.0) -> None:
        self.engine = engine
        self.interval_s = interval_s
        #: how often to try again while the last run found the network down
        self.offline_probe_s = offline_probe_s
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_report: SyncReport | None = None
        self._remove_listener = engine.outbox.add_listener(self._on_event)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("SyncWorker already started")
        self._thread = threading.Thread(target=self._loop, name="outbox-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._remove_listener()

    def __enter__(self) -> SyncWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def trigger(self) -> None:
        """Run now (connectivity came back, a technician pressed 'sync')."""
        self._wake.set()

    def _on_event(self, event: dict[str, Any]) -> None:
        # A fresh enqueue: deliver at once unless the last run found the line down.
        if (event.get("kind") == "state" and event.get("state") == "pending"
                and (self.last_report is None or self.last_report.stopped is None)):
            self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.last_report = self.engine.sync_once()
            except Exception:  # a bug: keep the traceback, keep the thread alive
                log.exception("outbox.sync_failed", extra={"ctx": {}})
                self.last_report = None
            wait = self.interval_s
            if self.last_report is not None and self.last_report.stopped == "offline":
                wait = min(wait, self.offline_probe_s)
            self._wake.wait(wait)
            self._wake.clear()
