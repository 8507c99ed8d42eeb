"""The courier: one sender's batch to the platform and back, for the sync engine.

Attachments first (``HEAD`` then ``PUT`` of each blob the platform lacks), then the
submissions, in one batch request or one by one (a platform without the batch endpoint is
asked again after ``batch_recheck_s``); each answer is classified as ``civic.answers``
says it means, into an :class:`~offline_queue.outcomes.DeliveryOutcome` the engine records. A
failure that concerns the whole request set (the line, throttling, a refused token or
session) is raised as one of :mod:`offline_queue.delivery`'s signals, carrying what was
answered before it. The changes feed is read here too. The engine decides what a run
does with all of it (:mod:`offline_queue.sync`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx

from civic.answers import Meaning, meaning
from offline_queue.delivery import _SenderRefused, _Stop, _Transient
from offline_queue.errors import UnreadableRecordError
from offline_queue.events import OutboxEvent, RunState, StatusUpdated
from offline_queue.outcomes import Claimed, DeliveryOutcome
from offline_queue.recording import unsent
from offline_queue.retry import RetryPolicy, backoff_delay
from offline_queue.states import State
from offline_queue.store import Store
from offline_queue.wire import Wire

log = logging.getLogger("offline_queue.sync")      # the engine's logger: one story per run


class Courier:
    """``wire`` is replaced when the terminal is enrolled again (the engine does it)."""

    def __init__(self, store: Store, wire: Wire, policy: RetryPolicy,
                 rand: Callable[[], float], clock: Callable[[], float],
                 batch_recheck_s: float) -> None:
        self.store, self.wire, self.policy = store, wire, policy
        self.rand, self.clock = rand, clock
        self.batch_recheck_s = batch_recheck_s
        #: whether the platform has the batch endpoint (as far as we know), and when to
        #: ask again if it had not
        self.batch_ok, self.batch_recheck_at = True, 0.0

    def recheck_batch(self, now: float) -> None:
        """At a run's start: ask the batch endpoint again once its time has come."""
        if not self.batch_ok and now >= self.batch_recheck_at:
            self.batch_ok = True
            log.info("outbox.batch_recheck", extra={"ctx": {}})

    def upload_blobs(self, batch: list[Claimed]) -> dict[str, str]:
        """Upload what the platform lacks; returns the attachments (sha → why) that cannot
        be read here, whose items can never be delivered."""
        unreadable: dict[str, str] = {}
        for sha in sorted({sha for c in batch for sha in c.blobs}):
            if self.store.blob_uploaded(sha):
                continue
            if self.wire.request("HEAD", f"/v1/blobs/{sha}").status_code != 200:
                try:
                    content = self.store.blobs.read(sha)
                except UnreadableRecordError as exc:
                    unreadable[sha] = exc.what
                    continue
                answer = self.wire.request("PUT", f"/v1/blobs/{sha}", content=content,
                                            headers={"Content-Type": "application/octet-stream"})
                if answer.status_code not in (200, 201):
                    raise _Transient(f"blob upload answered {answer.status_code}",
                                     answer.status_code)
            self.store.mark_uploaded(sha)
        return unreadable

    def deliver(self, batch: list[Claimed], headers: dict[str, str]) -> list[DeliveryOutcome]:
        self.wire.skew = None
        if self.batch_ok and len(batch) > 1:
            body = b'{"submissions":[' + b",".join(c.body for c in batch) + b"]}"
            answer = self.wire.request("POST", "/v1/submissions:batch", content=body,
                                   headers={**headers, "Content-Type": "application/json"})
            if answer.status_code in (404, 405, 413):
                if answer.status_code != 413:
                    self.batch_ok = False
                    self.batch_recheck_at = self.clock() + self.batch_recheck_s
                    log.info("outbox.batch_unavailable", extra={"ctx": {
                        "recheck_in_s": self.batch_recheck_s}})
                outcomes = self._singles(batch, headers)
            else:
                outcomes = self._batch_results(batch, answer)
        else:
            outcomes = self._singles(batch, headers)
        if self.wire.skew is not None:
            self.store.set_meta(clock_skew_s=self.wire.skew)
        return outcomes

    def _batch_results(self, batch: list[Claimed], answer: httpx.Response) -> list[DeliveryOutcome]:
        doc = self.wire.json(answer)
        code = str(doc.get("code", "")) if isinstance(doc, dict) else ""
        if meaning(answer.status_code, code) is Meaning.SENDER_REFUSED:
            raise _SenderRefused(code)        # the whole request: the session header
        if answer.status_code != 200:
            raise _Transient(f"batch answered {answer.status_code}", answer.status_code)
        results = {r.get("submission_id"): r for r in doc.get("results", [])
                   if isinstance(r, dict)}
        out: list[DeliveryOutcome] = []
        for c in batch:
            r = results.get(c.id)
            if r is None:  # not answered: nothing is known, send it again later
                out.append(self.retry(c, "missing from the batch answer", None, None))
                continue
            try:
                out.append(self._classify(c, int(r.get("status", 0)), r.get("body") or {}))
            except (_Stop, _SenderRefused) as stop:
                stop.answered = out
                raise
        return out

    def _singles(self, batch: list[Claimed], headers: dict[str, str]) -> list[DeliveryOutcome]:
        """One request per item, in order. A transient failure ends the request set there,
        as a failed batch would: throttling or a dead line concerns every later item too."""
        outcomes: list[DeliveryOutcome] = []
        for i, c in enumerate(batch):
            try:
                answer = self.wire.request("POST", "/v1/submissions", content=c.body,
                                       headers={**headers, "Content-Type": "application/json",
                                                "Idempotency-Key": c.id})
                outcomes.append(self._classify(c, answer.status_code, self.wire.json(answer)))
            except _Transient as t:
                t.answered, t.untried = outcomes, batch[i + 1:]
                raise
            except (_Stop, _SenderRefused) as stop:
                stop.answered = outcomes  # what the platform already answered is kept
                raise
        return outcomes

    def retry(self, c: Claimed, error: str, status: int | None,
              retry_after: float | None) -> DeliveryOutcome:
        """``c`` waits and tries again after its back-off (or the platform's Retry-After)."""
        delay = backoff_delay(c.attempts, retry_after, self.policy, self.rand)
        return DeliveryOutcome(c.id, State.RETRY_WAIT, status, error, delay_s=delay)

    def _classify(self, c: Claimed, status: int, body: Any) -> DeliveryOutcome:
        """One item's answer, as ``civic.answers`` says it means."""
        body = body if isinstance(body, dict) else {}
        code = str(body.get("code", ""))
        what = meaning(status, code)
        if what is Meaning.ACCEPTED:
            case = body.get("case_number")
            if not case:
                return self.retry(c, "accepted without a case number", status, None)
            return DeliveryOutcome(c.id, State.SENT, status, None, case_number=str(case),
                           platform_status=str(body.get("status", "received")))
        if what is Meaning.DEVICE_REFUSED:
            self.store.set_meta(paused=True, paused_token=self.wire.token_fingerprint)
            raise _Stop(RunState.PAUSED, "the platform refused this device's token (401)")
        if what is Meaning.REUPLOAD:
            with self.store.tx() as db:  # the platform lost them: upload again next time
                db.conn.executemany("DELETE FROM uploaded_blobs WHERE sha256 = ?",
                                    [(s,) for s in body.get("missing", [])])
            return self.retry(c, "platform is missing attachments", status, None)
        if what is Meaning.RETRY:
            return self.retry(c, f"platform answered {status} {code}".strip(), status, None)
        if what is Meaning.SENDER_REFUSED:   # the session, not the content
            raise _SenderRefused(code)
        # REJECTED: 422 validation / key reused, 413 too large, 403 forbidden, 400 (our bug).
        reasons = {"code": code, "title": body.get("title"), "detail": body.get("detail"),
                   "fields": body.get("fields", {})}
        return DeliveryOutcome(c.id, State.DEAD, status, f"{status} {code}".strip(),
                               reasons=reasons)

    def after_transient(self, batch: list[Claimed], t: _Transient) -> list[DeliveryOutcome]:
        """Answered items keep their outcome, the failed request's items wait and back off,
        and items never sent go back to pending without an attempt counted."""
        settled = {o.id for o in t.answered} | {c.id for c in t.untried}
        return [*t.answered,
                *(self.retry(c, t.error, t.status, t.retry_after)
                  for c in batch if c.id not in settled),
                *unsent(t.untried, set())]

    # -- changes feed ---------------------------------------------------------------------
    def pull_changes(self, notify: Callable[[OutboxEvent], None], limit: int = 500) -> int:
        """Record the platform's status updates for our submissions, telling ``notify``
        of each; returns how many."""
        n = 0
        cursor = self.store.get_meta("changes_cursor")
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["after"] = cursor
            try:
                doc = self.wire.json(self.wire.request("GET", "/v1/changes", params=params))
            except _Transient as t:
                if t.retry_after is not None:  # the platform asked every call to wait
                    self.store.set_meta(hold_until=self.clock() + t.retry_after)
                log.info("outbox.changes_unavailable", extra={"ctx": {"error": t.error}})
                return n
            changes = doc.get("changes", [])
            nxt = doc.get("next") or cursor
            for sid in self.store.record_changes(changes, nxt):
                notify(StatusUpdated(sid))
            n += len(changes)
            if not changes or nxt == cursor:
                return n
            cursor = nxt
