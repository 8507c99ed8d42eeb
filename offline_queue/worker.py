"""The background sync thread: on a schedule, right after an enqueue, when the line returns.

``start()``/``stop()`` are explicit; ``stop()`` joins the thread. The engine is built by
the caller (composition root) and handed in; the worker only decides *when* to run it:

* every ``interval_s``, and at once when woken (an enqueue while online, ``trigger()``);
* after a run that found the network down, it does not retry the queue; it probes
  ``GET /v1/health`` on an exponential back-off with full jitter (``probe_policy``) and
  runs the queue as soon as the platform answers: connectivity coming back is a trigger;
* after a run the platform throttled, it sleeps until the ``Retry-After`` has passed.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable

from offline_queue.events import ItemChanged, OutboxEvent, PlatformReachable, RunState
from offline_queue.retry import RetryPolicy, backoff_delay
from offline_queue.states import State
from offline_queue.sync import SyncEngine, SyncReport

log = logging.getLogger(__name__)

PROBE_POLICY = RetryPolicy(base_s=2.0, multiplier=2.0, cap_s=60.0)


class SyncWorker:
    def __init__(self, engine: SyncEngine, *, interval_s: float = 60.0,
                 probe_policy: RetryPolicy | None = None, offline_probe_s: float | None = None,
                 rand: Callable[[], float] = random.random) -> None:
        """``offline_probe_s`` caps the probe's back-off (the longest wait between two
        probes); ``probe_policy`` sets the whole back-off instead."""
        self.engine = engine
        self.interval_s = interval_s
        if probe_policy is None and offline_probe_s is not None:
            probe_policy = RetryPolicy(base_s=min(PROBE_POLICY.base_s, offline_probe_s),
                                       cap_s=offline_probe_s)
        self.probe_policy, self._rand = probe_policy or PROBE_POLICY, rand
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

    @property
    def alive(self) -> bool:
        """The thread runs (the systemd watchdog asks: a dead worker sends nothing)."""
        return self._thread is not None and self._thread.is_alive()

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
        """Run now (the OS reports a network, a technician pressed 'sync')."""
        self._wake.set()

    def _on_event(self, event: OutboxEvent) -> None:
        # A fresh enqueue: deliver at once unless the last run found the line down or was
        # throttled (the probe, or the end of Retry-After, wakes the worker then).
        if (isinstance(event, ItemChanged) and event.state is State.PENDING
                and (self.last_report is None or self.last_report.stopped is None)):
            self._wake.set()

    def _sleep(self, seconds: float) -> bool:
        """Wait; True when woken early (trigger, enqueue, stop)."""
        woken = self._wake.wait(seconds)
        self._wake.clear()
        return woken

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.last_report = self.engine.sync_once()
            except Exception:  # a bug: keep the traceback, keep the thread alive
                log.exception("outbox.sync_failed", extra={"ctx": {}})
                self.last_report = None
            stopped = self.last_report.stopped if self.last_report else None
            if stopped is RunState.OFFLINE:
                self._probe_until_online()
            elif stopped is RunState.THROTTLED:
                self._sleep(min(self.interval_s, max(self.engine.hold_remaining(), 0.05)))
            elif stopped is not None:   # paused (re-enrolment) or busy (another sender)
                self._sleep(self.interval_s)
            else:   # the schedule, or sooner when a retry_wait item falls due
                due = self.engine.next_due()     # held senders' items do not count
                wait = self.interval_s if due is None else due - self.engine.clock()
                self._sleep(min(self.interval_s, max(wait, 0.05)))

    def _probe_until_online(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            if self._sleep(backoff_delay(attempt, None, self.probe_policy, self._rand)):
                return                      # woken: try the queue itself
            if self.engine.reachable():
                log.info("outbox.platform_reachable", extra={"ctx": {"probes": attempt + 1}})
                self.engine.outbox.notify(PlatformReachable())
                return
            attempt += 1
