"""Receiving submissions exactly once.

One idempotency key (= the submission id) moves through three states:

1. *reserved*: a first transaction inserts ``idempotency(key, state='in_progress')``. The
   primary key decides a race: of many concurrent requests with one key, exactly one
   reserves it; the others see ``in_progress`` (409) or, once it is done, its answer.
2. *processed*: shape, blobs and form are checked outside any transaction.
3. *done*: a second transaction inserts the submission and stores the answer with the key,
   so a replay gets the very same status and body. A permanent rejection (422) is stored
   the same way. Transient answers (409 missing_blobs, 403) release the key instead.

A batch goes through the same three steps with one connection and one transaction per
step for all its elements, which is what makes batching cheaper than single sends. A
reservation left behind by a crash is taken over after ``STALE_RESERVATION_S``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from central.access_log import resident_hash
from central.auth import Device
from central.blobs import BlobStore
from central.clock import Clock, rfc3339
from central.db import Database, write
from central.errors import BadRequest, Conflict, Forbidden, Problem, Unprocessable
from central.http.messages import canonical, dump
from central.identity_rule import IdentityRule
from civic.submission import (
    ConsentMethod,
    attachment_hashes,
    consent_method,
    identity_check,
    is_uuid,
    shape_problems,
)

STALE_RESERVATION_S = 120
RECEIVED_MESSAGE = "已收件 / Received"

# (item_code, catalog_version, form, today, keypad_confirmed) -> {field: {"zh", "en"}}
FormValidator = Callable[[str, str, dict[str, Any], dt.date, bool], dict[str, dict[str, str]]]
Fields = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


Result = Answer | Problem


@dataclass
class _Pending:
    index: int
    key: str
    body: dict[str, Any]
    problems: Fields | None = None     # None: transient failure, release the key


class SubmissionDesk:
    def __init__(self, db: Database, clock: Clock, validate_form: FormValidator,
                 blob_exists: Callable[[sqlite3.Connection, str], bool],
                 first_step_at: Callable[[dt.datetime], dt.datetime],
                 on_received: Callable[[int], None] | None = None,
                 processing_delay: Callable[[], float] | None = None,
                 identity: IdentityRule | None = None) -> None:
        self._db = db
        self._clock = clock
        self._validate_form = validate_form
        self._blob_exists = blob_exists
        self._first_step_at = first_step_at
        self._on_received = on_received or (lambda _n: None)
        self._processing_delay = processing_delay or (lambda: 0.0)
        self._identity = identity          # face items' identity_check (None: not judged)

    def submit(self, device: Device, key: str | None, body: Any,
               signed_in_agent: str | None) -> Answer:
        """Handle one submission; raises Problem for answers that are not stored."""
        result = self.submit_many(device, [(key, body)], signed_in_agent)[0]
        if isinstance(result, Problem):
            raise result
        return result

    def submit_many(self, device: Device, requests: Sequence[tuple[str | None, Any]],
                    signed_in_agent: str | None) -> list[Result]:
        """Each (key, body) handled exactly as a single submission; results in order."""
        results: list[Result | None] = [None] * len(requests)
        keyed: list[tuple[int, str, dict[str, Any], str]] = []
        for index, (key, body) in enumerate(requests):
            try:
                keyed.append((index, *_check_key(key, body)))
            except Problem as problem:
                results[index] = problem
        with self._db.session() as conn:
            reserved = self._reserve_all(conn, device, keyed, results)
            try:
                for item in reserved:
                    if delay := self._processing_delay():  # each submission takes this long
                        time.sleep(delay)
                    try:
                        item.problems = self._check(conn, device, item.body, signed_in_agent)
                    except Problem as problem:
                        results[item.index] = problem
            except BaseException:
                # A bug: leave every key free for the next attempt, and let it show.
                self._finish(conn, device, [_Pending(p.index, p.key, p.body) for p in reserved],
                             results)
                raise
            self._finish(conn, device, reserved, results)
        return [r if r is not None else Problem("internal") for r in results]

    def _reserve_all(self, conn: sqlite3.Connection, device: Device,
                     keyed: list[tuple[int, str, dict[str, Any], str]],
                     results: list[Result | None]) -> list[_Pending]:
        now = self._clock()
        reserved = []
        with write(conn):
            for index, key, body, body_hash in keyed:
                try:
                    stored = _reserve(conn, device, key, body_hash, now)
                except Problem as problem:
                    results[index] = problem
                    continue
                if stored is not None:
                    results[index] = stored
                else:
                    reserved.append(_Pending(index, key, body))
        return reserved

    def _check(self, conn: sqlite3.Connection, device: Device, body: dict[str, Any],
               signed_in_agent: str | None) -> Fields:
        """The content's problems (permanent); raises Problem for transient answers."""
        problems = {path: text.as_dict() for path, text in shape_problems(body).items()}
        if problems:
            return problems
        if body["channel"] != device.kind:
            raise Forbidden("wrong_channel", f"a {device.kind} terminal submits through the "
                            f"{device.kind} channel")
        if body["channel"] == "agent" and body["agent"]["agent_id"] != signed_in_agent:
            raise Forbidden("agent_mismatch", "the submission names another agent than the one "
                            "signed in on this terminal")
        missing = [h for h in dict.fromkeys(attachment_hashes(body))
                   if not self._blob_exists(conn, h)]
        if missing:
            raise Conflict("missing_blobs", "upload these attachments first", missing=missing)
        keypad = consent_method(body) is ConsentMethod.KEYPAD_CONFIRMATION
        if not keypad and body["consent"]["signature_sha256"] not in set(
                attachment_hashes(body)):
            return {"consent.signature_sha256": {
                "zh": "签名图片不在附件中", "en": "the signature is not among the attachments"}}
        problems = self._validate_form(body["item_code"], body["catalog_version"],
                                       body["form"], self._clock().date(), keypad)
        if self._identity is not None:
            problems = {**problems, **self._identity.problems(conn, device.device_id, body)}
        return problems

    def _finish(self, conn: sqlite3.Connection, device: Device, reserved: list[_Pending],
                results: list[Result | None]) -> None:
        now = self._clock()
        stamp = rfc3339(now)
        accepted = 0
        with write(conn):
            for item in reserved:
                if results[item.index] is not None or item.problems is None:
                    conn.execute("DELETE FROM idempotency WHERE key = ? AND "
                                 "state = 'in_progress'", (item.key,))
                    continue
                if not item.problems and self._identity is not None:
                    # Claimed in this transaction, so two submissions naming one face
                    # check cannot both be accepted, however they race.
                    item.problems = self._identity.claim(conn, item.body)
                if item.problems:
                    results[item.index] = _reject(conn, device, item, stamp)
                else:
                    results[item.index] = _accept(conn, device, item, now,
                                                  self._first_step_at(now))
                    accepted += 1
        if accepted:
            self._on_received(accepted)


def _check_key(key: str | None, body: Any) -> tuple[str, dict[str, Any], str]:
    if not key:
        raise BadRequest("idempotency_key_missing", "send the submission id as Idempotency-Key")
    if not isinstance(body, dict) or body.get("submission_id") != key:
        raise BadRequest("idempotency_key_mismatch", "Idempotency-Key must equal the body's "
                                                     "submission_id")
    return key, body, hashlib.sha256(canonical(body)).hexdigest()


def _reserve(conn: sqlite3.Connection, device: Device, key: str, body_hash: str,
             now: dt.datetime) -> Answer | None:
    row = conn.execute("SELECT * FROM idempotency WHERE key = ?", (key,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO idempotency (key, device_id, body_hash, state, started_at) "
                     "VALUES (?, ?, ?, 'in_progress', ?)",
                     (key, device.device_id, body_hash, rfc3339(now)))
        return None
    if row["body_hash"] != body_hash or row["device_id"] != device.device_id:
        raise Unprocessable("idempotency_key_reused", "this submission id was already used "
                                                      "with a different body")
    if row["state"] == "done":
        return Answer(row["status"], json.loads(row["response"]), replayed=True)
    started = dt.datetime.fromisoformat(row["started_at"].replace("Z", "+00:00"))
    if (now - started).total_seconds() < STALE_RESERVATION_S:
        raise Conflict("in_progress", "this submission is still being processed; retry "
                                      "shortly", headers={"Retry-After": "1"})
    conn.execute("UPDATE idempotency SET started_at = ? WHERE key = ?", (rfc3339(now), key))
    return None


def _reject(conn: sqlite3.Connection, device: Device, item: _Pending, stamp: str) -> Answer:
    problem = Unprocessable("validation", "the submission's content was rejected; see fields",
                            fields=item.problems)
    body = problem.body()
    conn.execute("UPDATE idempotency SET state = 'done', status = 422, response = ?, "
                 "finished_at = ? WHERE key = ?", (dump(body), stamp, item.key))
    if is_uuid(item.key):
        conn.execute("INSERT OR IGNORE INTO rejected VALUES (?, ?, ?)",
                     (item.key, device.device_id, stamp))
    return Answer(422, body)


def _accept(conn: sqlite3.Connection, device: Device, item: _Pending, now: dt.datetime,
            first_step: dt.datetime) -> Answer:
    stamp = rfc3339(now)
    body = item.body
    case_number = _next_case_number(conn, device.region_code, now)
    check = identity_check(body)
    conn.execute(
        "INSERT INTO submissions (submission_id, device_id, agent_id, item_code, "
        "catalog_version, channel, case_number, status, message, received_at, updated_at, "
        "replaces, next_step_at, consent_method, identity_method, identity_score, "
        "resident_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (item.key, device.device_id, (body.get("agent") or {}).get("agent_id"),
         body["item_code"], body["catalog_version"], body["channel"], case_number, "received",
         RECEIVED_MESSAGE, stamp, stamp, body.get("replaces"), rfc3339(first_step),
         str(consent_method(body)), None if check is None else str(check.method),
         None if check is None else check.score,
         # keyed, never the ID number: "For you" leaves out what is still open (schema 7)
         resident_hash(conn, body["applicant"]["id_number"])))
    conn.execute("INSERT INTO changes (submission_id, device_id, case_number, status, message, "
                 "at) VALUES (?,?,?,?,?,?)",
                 (item.key, device.device_id, case_number, "received", RECEIVED_MESSAGE, stamp))
    # The device named these blobs in a submission the platform now owns: it may ask about
    # them (HEAD) like their uploader.
    BlobStore.add_owner(conn, attachment_hashes(body), device.device_id)
    BlobStore.mark_named(conn, attachment_hashes(body), stamp)
    answer = {"submission_id": item.key, "case_number": case_number, "status": "received",
              "received_at": stamp}
    conn.execute("UPDATE idempotency SET state = 'done', status = 201, response = ?, "
                 "finished_at = ? WHERE key = ?", (dump(answer), stamp, item.key))
    return Answer(201, answer)


def _next_case_number(conn: sqlite3.Connection, region: str, now: dt.datetime) -> str:
    """Area code, date and a daily sequence; never anything personal (it is printed)."""
    day = now.strftime("%Y%m%d")
    conn.execute("INSERT INTO case_sequence (day, last) VALUES (?, 1) "
                 "ON CONFLICT(day) DO UPDATE SET last = last + 1", (day,))
    seq = conn.execute("SELECT last FROM case_sequence WHERE day = ?", (day,)).fetchone()[0]
    return f"{region}-{day}-{seq:06d}"
