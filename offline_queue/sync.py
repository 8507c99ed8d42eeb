"""The sync engine: delivers the outbox to the platform exactly once, then pulls changes.

Every outcome is classified per the API spec's table (docs/outbox.md has the decisions).
Exactly-once rests on two things: a submission's body is stored once and resent byte for
byte under its ``submission_id`` as the idempotency key, so a resend after any failure is
answered with the first answer; and a lock file keeps two processes from sending at once.
One request carries one sender's items with that sender's headers (``request_headers``,
see :mod:`offline_queue.senders`); a sender without them is held, not tried.
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import httpx

from offline_queue import credentials
from offline_queue.courier import Courier
from offline_queue.credentials import Credentials
from offline_queue.delivery import SyncReport, _SenderRefused, _Stop, _Transient
from offline_queue.errors import OutboxError
from offline_queue.events import (
    Progress,
    RunState,
)
from offline_queue.outbox import Outbox
from offline_queue.outcomes import Claimed
from offline_queue.recording import RunRecorder, unsent
from offline_queue.retry import RetryPolicy
from offline_queue.senders import RequestHeaders, Sender, SenderHolds
from offline_queue.tls import ClientSettings
from offline_queue.wire import Wire, build_client

__all__ = ["SyncEngine", "SyncReport", "build_client"]

log = logging.getLogger(__name__)

MAX_BATCH = 100
MAX_BODY = 900_000  # under the platform's 1 MiB per JSON body, with room for the envelope
BATCH_RECHECK_S = 3600.0  # after a 404 on the batch endpoint, ask again this much later


class SyncEngine:
    """``with SyncEngine(outbox, creds) as engine: engine.sync_once()``.

    ``request_headers(sender)`` gives the extra headers of a sender's submissions (the
    agent's ``X-Agent-Token``), or None to hold its items for now; by default kiosk-channel
    items go on the device token and agent-channel items are held. ``batch_recheck_s``:
    how long after a 404/405 from the batch endpoint items go one by one before the
    engine tries the batch endpoint again (a platform may be upgraded under us).
    ``credentials_dir``: where the terminal's credentials are kept; given, each run first
    takes up credentials written there since (a re-enrolment), so that a queue paused by a
    refused token resumes without a restart. ``client_settings``: how to connect (time-outs,
    proxy, trust store, pins; :class:`~offline_queue.tls.ClientSettings`); without it, the
    two time-outs and a direct connection trusting the system's store.
    """

    def __init__(self, outbox: Outbox, creds: Credentials, *,
                 connect_timeout_s: float | None = None, read_timeout_s: float | None = None,
                 transport: httpx.BaseTransport | None = None,
                 policy: RetryPolicy | None = None,
                 rand: Callable[[], float] = random.random, batch_size: int = MAX_BATCH,
                 request_headers: RequestHeaders | None = None,
                 batch_recheck_s: float = BATCH_RECHECK_S,
                 credentials_dir: Path | None = None,
                 client_settings: ClientSettings | None = None) -> None:
        self.outbox, self.store, self.rand = outbox, outbox.store, rand
        self.creds = creds
        self._written = None if credentials_dir is None else \
            credentials.CredentialsFile(credentials_dir)
        self._transport = transport
        self.holds = SenderHolds(request_headers)
        self.policy = policy or RetryPolicy()
        self._cutoff = 0.0
        self.batch_size = min(batch_size, MAX_BATCH)
        self.clock = outbox.clock
        self._client_settings = ClientSettings.resolve(
            client_settings, connect_timeout_s=connect_timeout_s, read_timeout_s=read_timeout_s)
        self._wire = self._connect(creds)
        self._courier = Courier(self.store, self._wire, self.policy, rand, self.clock,
                                batch_recheck_s)
        self._progress = Progress()
        self._recorder = RunRecorder(self.store, outbox.notify, self.clock)

    def _connect(self, creds: Credentials) -> Wire:
        wire = Wire(build_client(creds, self._transport, self._client_settings), self.store)
        wire.token_fingerprint = credentials.token_fingerprint(creds)
        return wire

    def close(self) -> None:
        self._wire.close()

    def use_credentials(self, creds: Credentials) -> None:
        """New credentials (the terminal was enrolled again): later requests carry them."""
        old, self._wire = self._wire, self._connect(creds)
        self._courier.wire, self.creds = self._wire, creds
        old.close()
        log.info("outbox.credentials_changed", extra={"ctx": {"device_id": creds.device_id}})

    def _take_up_new_credentials(self) -> None:
        fresh = None if self._written is None else self._written.changed()
        if fresh is not None and fresh != self.creds:
            self.use_credentials(fresh)

    def __enter__(self) -> SyncEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the run -----------------------------------------------------------------------
    def sync_once(self) -> SyncReport:
        """Deliver every due item (or stop early), then pull the changes feed."""
        report = SyncReport()
        lock_path = self.store.data_dir / "sync.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:  # never two senders for one submission, across processes too
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                report.stopped = RunState.BUSY
                return report
            self._run(report)
        finally:
            os.close(fd)
        return report

    def _run(self, report: SyncReport) -> None:
        """One run, never leaving an item in flight: whatever ends it (an answer, the line,
        a full disk, a bug), what was taken and not answered goes back to the queue."""
        try:
            self.store.release_in_flight()    # a run before this one failed mid-request
            self._take_up_new_credentials()
            self._deliver_all(report)
        except Exception as exc:
            if not isinstance(exc, OutboxError):    # our bug: keep the traceback
                log.exception("outbox.run_failed", extra={"ctx": {}})
            error = str(exc) if isinstance(exc, OutboxError) else \
                f"internal error while sending ({type(exc).__name__}); see the log"
            try:
                self.store.release_in_flight()
                self._finish(report, RunState.FAULT, error)
            except OutboxError as again:  # the storage itself is failing (a full disk):
                # what stays in flight goes back at the next run or start
                log.error("outbox.run_fault_unrecorded", extra={"ctx": {"error": str(again)}})
                report.stopped = RunState.FAULT
                report.errors.append(error)
                self.outbox.notify(replace(self._progress, state=RunState.FAULT,
                                           last_error=error))

    def _deliver_all(self, report: SyncReport) -> None:
        paused = self.store.get_meta("paused", False)
        if paused and self.store.get_meta("paused_token") != self._wire.token_fingerprint:
            self.outbox.resume()         # the token that was refused is not ours any more
        elif paused:
            self._finish(report, RunState.PAUSED)
            return
        if self.store.get_meta("hold_until", 0.0) > self.clock():
            self._finish(report, RunState.THROTTLED)
            return
        # One pass over what was due when it started: an item retried in this run waits.
        self._cutoff = self.clock()
        self._wire.answers = self._wire.unreachable = 0   # did anything reach the platform?
        self._courier.recheck_batch(self._cutoff)
        due = self.store.senders(due_by=self._cutoff)
        held = self.holds.held(due)
        total = sum(n for sender, n in due.items() if sender not in held)
        self._emit(state=RunState.SYNCING, done=0, total=total)
        failures = 0
        try:
            while True:
                sender, batch = self._take_batch(held, report)
                if sender is None:
                    break
                if not batch:        # every item taken was damaged
                    continue
                headers = self.holds.headers(sender)
                if headers is None:         # the session ended during the run
                    held.add(sender)
                    self._recorder.record(unsent(batch, set()), report)
                    continue
                try:
                    batch = self._upload_readable(batch, report)
                    outcomes = self._courier.deliver(batch, headers) if batch else []
                    failures = 0
                except _SenderRefused as refused:
                    held.add(sender)
                    self.holds.refused(sender, headers)
                    self._recorder.refused(sender, batch, refused, report)
                    continue
                except _Transient as t:
                    failures += 1
                    outcomes = self._courier.after_transient(batch, t)
                    if t.retry_after is not None:
                        self.store.set_meta(hold_until=self.clock() + t.retry_after)
                    self._recorder.record(outcomes, report)
                    if t.retry_after is not None:
                        raise _Stop(RunState.THROTTLED, t.error) from t
                    if failures >= self.policy.give_up_after:
                        raise _Stop(RunState.OFFLINE, t.error) from t
                    continue
                except _Stop as stop:
                    answered = {o.id for o in stop.answered}
                    self._recorder.record([*stop.answered, *unsent(batch, answered)], report)
                    raise
                self._recorder.record(outcomes, report)
                self._emit(done=report.sent + report.dead, total=total)
            self.pull_changes()
            if self._wire.unreachable and not self._wire.answers:  # no answer: line down
                raise _Stop(RunState.OFFLINE, self._wire.certificate_problem
                            or "the platform cannot be reached")
        except _Stop as stop:
            self._finish(report, stop.reason, stop.error)
            return
        self.store.set_meta(last_sync_at=self.clock())
        self._finish(report, None)

    def _finish(self, report: SyncReport, stopped: RunState | None,
                error: str | None = None) -> None:
        """The run's last progress event: why it stopped, or idle; and what is held."""
        held: dict[str, int] = {}
        for sender, n in self.store.senders().items():
            if self.holds.headers(sender) is None:
                held[sender.channel] = held.get(sender.channel, 0) + n
        report.held = sum(held.values())
        changes: dict[str, Any] = {"held": MappingProxyType(held)}
        if error is not None:
            report.errors.append(error)
            self.store.set_meta(last_error=error)
            changes["last_error"] = error
        if stopped is None:
            changes["last_sync_at"] = self.clock()
        report.stopped = stopped
        self._emit(state=stopped or (RunState.HELD if held else RunState.IDLE), **changes)

    def _take_batch(self, held: set[Sender],
                    report: SyncReport) -> tuple[Sender | None, list[Claimed]]:
        size = self.batch_size if self._courier.batch_ok else 1
        claim = self.store.claim(size, self._cutoff, held)
        self._recorder.damaged(claim.damaged, report)
        sender, claimed = claim.sender, claim.items
        size, keep = 0, list[Claimed]()
        for c in claimed:  # keep one request's body under the platform's limit
            size += len(c.body) + 1
            if keep and size > MAX_BODY:
                break
            keep.append(c)
        if len(keep) < len(claimed):
            self.store.record(unsent(claimed[len(keep):], set()), self.clock())
        return sender, keep

    def _emit(self, **changes: Any) -> None:
        self._progress = replace(self._progress, **changes)
        self.outbox.notify(self._progress)

    def reachable(self, timeout_s: float = 5.0) -> bool:
        """A cheap check that the platform answers (``GET /v1/health``, no auth, no queue
        change): the worker's probe while the line is down."""
        return self._wire.reachable(timeout_s)

    def next_due(self) -> float | None:
        """When the next delivery is due (None: nothing to send); held senders' items do not
        count, so the worker idles while they wait instead of waking for them."""
        return self.store.next_due(self.holds.held(self.store.senders()))

    def hold_remaining(self) -> float:
        """Seconds the platform asked us to wait (Retry-After) that have not passed yet."""
        return max(0.0, float(self.store.get_meta("hold_until", 0.0)) - self.clock())

    def progress(self) -> Progress:
        """The last run's progress, with the queue's record of the last successful sync,
        the last error and the clock skew (they outlive this engine)."""
        return replace(self._progress, last_sync_at=self.store.get_meta("last_sync_at"),
                       last_error=self.store.get_meta("last_error"),
                       clock_skew_s=self.store.get_meta("clock_skew_s"))

    def _upload_readable(self, batch: list[Claimed], report: SyncReport) -> list[Claimed]:
        """Upload the batch's attachments; the items naming one that cannot be read here are
        dead as damaged and left out of the batch (the rest goes on)."""
        unreadable = self._courier.upload_blobs(batch)
        if not unreadable:
            return batch
        damaged = [c.id for c in batch if unreadable.keys() & set(c.blobs)]
        self.store.mark_damaged(damaged, ", ".join(sorted(set(unreadable.values()))),
                                self.clock())
        self._recorder.damaged(damaged, report)
        return [c for c in batch if c.id not in damaged]

    # -- changes feed ---------------------------------------------------------------------
    def pull_changes(self, limit: int = 500) -> int:
        """Record the platform's status updates for our submissions; returns how many."""
        return self._courier.pull_changes(self.outbox.notify, limit)
