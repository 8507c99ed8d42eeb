"""The sync engine: delivers the outbox to the platform exactly once, then pulls changes.

Every outcome is classified per the API spec's table (docs/outbox.md has the decisions).
Exactly-once rests on two things: a submission's body is stored once and resent byte for
byte under its ``submission_id`` as the idempotency key, so a resend after any failure is
answered with the first answer; and a lock file keeps two processes from sending at once.
"""

from __future__ import annotations

import email.utils
import fcntl
import logging
import os
import random
import time
from collections.abc import Callable
from typing import Any

import httpx

from offline_queue.credentials import Credentials
from offline_queue.delivery import SyncReport, _Stop, _Transient
from offline_queue.outbox import Outbox
from offline_queue.retry import RetryPolicy, backoff_delay, parse_retry_after
from offline_queue.states import State
from offline_queue.store import Claimed, Outcome

__all__ = ["SyncEngine", "SyncReport", "build_client"]

log = logging.getLogger(__name__)

TRANSIENT = {408, 425, 429}
MAX_BATCH = 100
MAX_BODY = 900_000  # under the platform's 1 MiB per JSON body, with room for the envelope


def build_client(creds: Credentials, transport: httpx.BaseTransport | None, *,
                 connect_timeout_s: float, read_timeout_s: float) -> httpx.Client:
    """The one place the platform client is built: base URL, token, time-outs, keep-alive.

    ``read_timeout_s`` also bounds writing a request and waiting for a pooled connection.
    """
    timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
    return httpx.Client(base_url=creds.platform_url, transport=transport, timeout=timeout,
                        headers={"Authorization": f"Bearer {creds.token}",
                                 "User-Agent": "kiosk-outbox/1"})


class SyncEngine:
    """``with SyncEngine(outbox, creds) as engine: engine.sync_once()``."""

    def __init__(self, outbox: Outbox, creds: Credentials, *, connect_timeout_s: float,
                 read_timeout_s: float, transport: httpx.BaseTransport | None = None,
                 policy: RetryPolicy | None = None,
                 rand: Callable[[], float] = random.random, batch_size: int = MAX_BATCH) -> None:
        self.outbox, self.store, self.rand = outbox, outbox.store, rand
        self.policy = policy or RetryPolicy()
        self._skew: float | None = None
        self._cutoff = 0.0
        self._answers = self._unreachable = 0   # per run: did anything reach the platform?
        self.batch_size = min(batch_size, MAX_BATCH)
        self.clock = outbox.clock
        self._client = build_client(creds, transport, connect_timeout_s=connect_timeout_s,
                                    read_timeout_s=read_timeout_s)
        self._batch_ok = True
        self._progress: dict[str, Any] = {"kind": "progress", "state": "idle", "done": 0,
                                          "total": 0}

    def close(self) -> None:
        self._client.close()

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
                report.stopped = "busy"
                return report
            self._run(report)
        finally:
            os.close(fd)
        return report

    def _run(self, report: SyncReport) -> None:
        if self.store.get_meta("paused", False):
            report.stopped = "paused"
            self._emit(state="paused")
            return
        if self.store.get_meta("hold_until", 0.0) > self.clock():
            report.stopped = "throttled"
            self._emit(state="throttled")
            return
        # One pass over what was due when it started: an item retried in this run waits.
        self._cutoff = self.clock()
        self._answers = self._unreachable = 0
        total = self._due_count()
        self._emit(state="syncing", done=0, total=total)
        failures = 0
        try:
            while True:
                batch = self._take_batch()
                if not batch:
                    break
                try:
                    outcomes = self._deliver(batch)
                    failures = 0
                except _Transient as t:
                    failures += 1
                    outcomes = self._after_transient(batch, t)
                    if t.retry_after is not None:
                        self.store.set_meta(hold_until=self.clock() + t.retry_after)
                    self._record(outcomes, report)
                    if t.retry_after is not None:
                        raise _Stop("throttled", t.error) from t
                    if failures >= self.policy.give_up_after:
                        raise _Stop("offline", t.error) from t
                    continue
                except _Stop as stop:
                    answered = {o.id for o in stop.answered}
                    self._record([*stop.answered,
                                  *(Outcome(c.id, State.PENDING, count_attempt=False)
                                    for c in batch if c.id not in answered)], report)
                    raise
                self._record(outcomes, report)
                self._emit(done=report.sent + report.dead, total=total)
            self.pull_changes()
            if self._unreachable and not self._answers:  # not one answer: the line is down
                raise _Stop("offline", "the platform cannot be reached")
        except _Stop as stop:
            report.stopped = stop.reason
            report.errors.append(stop.error)
            self.store.set_meta(last_error=stop.error)
            self._emit(state=stop.reason, last_error=stop.error)
            return
        self.store.set_meta(last_sync_at=self.clock())
        self._emit(state="idle", last_sync_at=self.clock())

    def _after_transient(self, batch: list[Claimed], t: _Transient) -> list[Outcome]:
        """Answered items keep their outcome, the failed request's items wait and back off,
        and items never sent go back to pending without an attempt counted."""
        settled = {o.id for o in t.answered} | {c.id for c in t.untried}
        return [*t.answered,
                *(self._retry(c, t.error, t.status, t.retry_after)
                  for c in batch if c.id not in settled),
                *(Outcome(c.id, State.PENDING, count_attempt=False) for c in t.untried)]

    def _due_count(self) -> int:
        row = self.store.db.execute(
            "SELECT COUNT(*) FROM items WHERE state IN (?, ?) AND next_attempt_at <= ?",
            [State.PENDING, State.RETRY_WAIT, self._cutoff]).fetchone()
        return int(row[0])

    def _take_batch(self) -> list[Claimed]:
        claimed = self.store.claim(self.batch_size if self._batch_ok else 1, self._cutoff)
        size, keep = 0, list[Claimed]()
        for c in claimed:  # keep one request's body under the platform's limit
            size += len(c.body) + 1
            if keep and size > MAX_BODY:
                break
            keep.append(c)
        if len(keep) < len(claimed):
            self.store.record([Outcome(c.id, State.PENDING, count_attempt=False)
                               for c in claimed[len(keep):]], self.clock())
        return keep

    def _record(self, outcomes: list[Outcome], report: SyncReport) -> None:
        self.store.record(outcomes, self.clock())
        for o in outcomes:
            if o.state == State.SENT:
                report.sent += 1
            elif o.state == State.DEAD:
                report.dead += 1
                log.warning("outbox.dead", extra={"ctx": {"submission_id": o.id,
                                                          "http_status": o.http_status}})
            elif o.state == State.RETRY_WAIT:
                report.retry += 1
            if o.state != State.PENDING:
                self.outbox.notify({"kind": "state", "submission_id": o.id,
                                    "state": str(o.state), "error": o.error})

    def _emit(self, **changes: Any) -> None:
        self._progress.update(changes)
        self.outbox.notify(dict(self._progress))

    def reachable(self, timeout_s: float = 5.0) -> bool:
        """A cheap check that the platform answers (``GET /v1/health``, no auth, no queue
        change): the worker's probe while the line is down."""
        try:
            answer = self._client.get("/v1/health", timeout=timeout_s)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200

    def hold_remaining(self) -> float:
        """Seconds the platform asked us to wait (Retry-After) that have not passed yet."""
        return max(0.0, float(self.store.get_meta("hold_until", 0.0)) - self.clock())

    def progress(self) -> dict[str, Any]:
        return {**self._progress, "last_sync_at": self.store.get_meta("last_sync_at"),
                "last_error": self.store.get_meta("last_error"),
                "clock_skew_s": self.store.get_meta("clock_skew_s")}

    # -- one request ----------------------------------------------------------------------
    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send and read fully; every failure of the world becomes _Transient or _Stop."""
        try:
            sent_at = time.time()
            answer = self._client.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # never reached it
            self._unreachable += 1
            raise _Transient(f"connection failed ({type(exc).__name__})") from exc
        except httpx.TimeoutException as exc:  # safe to resend: idempotency key
            raise _Transient(f"time-out ({type(exc).__name__})") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _Transient(f"connection failed ({type(exc).__name__})") from exc
        self._answers += 1
        self._note_clock(answer, sent_at)
        if answer.status_code == 401:
            self.store.set_meta(paused=True)
            raise _Stop("paused", "the platform refused this device's token (401): the device "
                        "needs re-enrolment; nothing queued was lost")
        status = answer.status_code
        if status in TRANSIENT or status >= 500:
            after = parse_retry_after(answer.headers.get("Retry-After"), time.time())
            raise _Transient(f"platform answered {status}", status, after)
        return answer

    def _note_clock(self, answer: httpx.Response, sent_at: float) -> None:
        date = answer.headers.get("Date")
        if not date:
            return
        try:
            server = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        # Date has one-second resolution: compare with the middle of the exchange.
        self._skew = round(server - (sent_at + time.time()) / 2, 1)

    def _json(self, answer: httpx.Response) -> Any:
        try:
            return answer.json()
        except ValueError as exc:  # a truncated body: we do not know what happened
            raise _Transient(f"unreadable answer to {answer.request.url.path} "
                             f"({answer.status_code})", answer.status_code) from exc

    def _upload_blobs(self, batch: list[Claimed]) -> None:
        for sha in sorted({sha for c in batch for sha in c.blobs}):
            if self.store.blob_uploaded(sha):
                continue
            if self._request("HEAD", f"/v1/blobs/{sha}").status_code != 200:
                answer = self._request("PUT", f"/v1/blobs/{sha}",
                                       content=self.store.read_blob(sha),
                                       headers={"Content-Type": "application/octet-stream"})
                if answer.status_code not in (200, 201):
                    raise _Transient(f"blob upload answered {answer.status_code}",
                                     answer.status_code)
            self.store.mark_uploaded(sha)

    def _deliver(self, batch: list[Claimed]) -> list[Outcome]:
        self._skew = None
        self._upload_blobs(batch)
        if self._batch_ok and len(batch) > 1:
            body = b'{"submissions":[' + b",".join(c.body for c in batch) + b"]}"
            answer = self._request("POST", "/v1/submissions:batch", content=body,
                                   headers={"Content-Type": "application/json"})
            if answer.status_code in (404, 405, 413):
                if answer.status_code != 413:
                    self._batch_ok = False
                    log.info("outbox.batch_unavailable", extra={"ctx": {}})
                outcomes = self._singles(batch)
            else:
                outcomes = self._batch_results(batch, answer)
        else:
            outcomes = self._singles(batch)
        if self._skew is not None:
            self.store.set_meta(clock_skew_s=self._skew)
        return outcomes

    def _batch_results(self, batch: list[Claimed], answer: httpx.Response) -> list[Outcome]:
        doc = self._json(answer)
        if answer.status_code != 200:
            raise _Transient(f"batch answered {answer.status_code}", answer.status_code)
        results = {r.get("submission_id"): r for r in doc.get("results", [])
                   if isinstance(r, dict)}
        out: list[Outcome] = []
        for c in batch:
            r = results.get(c.id)
            if r is None:  # not answered: nothing is known, send it again later
                out.append(self._retry(c, "missing from the batch answer", None, None))
                continue
            try:
                out.append(self._classify(c, int(r.get("status", 0)), r.get("body") or {}))
            except _Stop as stop:
                stop.answered = out
                raise
        return out

    def _singles(self, batch: list[Claimed]) -> list[Outcome]:
        """One request per item, in order. A transient failure ends the request set there,
        as a failed batch would: throttling or a dead line concerns every later item too."""
        outcomes: list[Outcome] = []
        for i, c in enumerate(batch):
            try:
                answer = self._request("POST", "/v1/submissions", content=c.body,
                                       headers={"Content-Type": "application/json",
                                                "Idempotency-Key": c.id})
                outcomes.append(self._classify(c, answer.status_code, self._json(answer)))
            except _Transient as t:
                t.answered, t.untried = outcomes, batch[i + 1:]
                raise
            except _Stop as stop:
                stop.answered = outcomes  # what the platform already answered is kept
                raise
        return outcomes

    def _retry(self, c: Claimed, error: str, status: int | None,
               retry_after: float | None) -> Outcome:
        delay = backoff_delay(c.attempts, retry_after, self.policy, self.rand)
        return Outcome(c.id, State.RETRY_WAIT, status, error, delay_s=delay)

    def _classify(self, c: Claimed, status: int, body: Any) -> Outcome:
        body = body if isinstance(body, dict) else {}
        code = str(body.get("code", ""))
        if 200 <= status < 300:
            case = body.get("case_number")
            if not case:
                return self._retry(c, "accepted without a case number", status, None)
            return Outcome(c.id, State.SENT, status, None, case_number=str(case),
                           platform_status=str(body.get("status", "received")))
        if status == 401:
            self.store.set_meta(paused=True)
            raise _Stop("paused", "the platform refused this device's token (401)")
        if status == 409 and code == "missing_blobs":
            with self.store.tx() as db:  # the platform lost them: upload again next time
                db.conn.executemany("DELETE FROM uploaded_blobs WHERE sha256 = ?",
                                    [(s,) for s in body.get("missing", [])])
            return self._retry(c, "platform is missing attachments", status, None)
        if status in TRANSIENT or status >= 500 or status == 409:
            return self._retry(c, f"platform answered {status} {code}".strip(), status, None)
        # 422 validation / key reused, 413 too large, 403 forbidden, 400 (our bug): permanent.
        reasons = {"code": code, "title": body.get("title"), "detail": body.get("detail"),
                   "fields": body.get("fields", {})}
        return Outcome(c.id, State.DEAD, status, f"{status} {code}".strip(), reasons=reasons)

    # -- changes feed ---------------------------------------------------------------------
    def pull_changes(self, limit: int = 500) -> int:
        """Record the platform's status updates for our submissions; returns how many."""
        n = 0
        cursor = self.store.get_meta("changes_cursor")
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["after"] = cursor
            try:
                doc = self._json(self._request("GET", "/v1/changes", params=params))
            except _Transient as t:
                if t.retry_after is not None:  # the platform asked every call to wait
                    self.store.set_meta(hold_until=self.clock() + t.retry_after)
                log.info("outbox.changes_unavailable", extra={"ctx": {"error": t.error}})
                return n
            changes = doc.get("changes", [])
            nxt = doc.get("next") or cursor
            for sid in self.store.record_changes(changes, nxt):
                self.outbox.notify({"kind": "status", "submission_id": sid})
            n += len(changes)
            if not changes or nxt == cursor:
                return n
            cursor = nxt

