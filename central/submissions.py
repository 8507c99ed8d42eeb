"""Receiving submissions exactly once.

One idempotency key (= the submission id) moves through three states:

1. *reserved*: a first transaction inserts ``idempotency(key, state='in_progress')``. The
   primary key decides a race: of many concurrent requests with one key, exactly one
   reserves it; the others see ``in_progress`` (409) or, once it is done, its answer.
2. *processed*: shape, blobs and form are checked outside any transaction.
3. *done*: a second transaction inserts the submission and stores the answer with the key,
   so a replay gets the very same status and body. A permanent rejection (422) is stored
   the same way. Transient answers (409 missing_blobs) release the key instead.

A reservation left behind by a crash is taken over after ``STALE_RESERVATION_S``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from central.auth import Device
from central.clock import Clock, rfc3339
from central.db import Database, write
from central.errors import BadRequest, Conflict, Forbidden, Unprocessable
from central.http.messages import canonical, dump
from central.submission_shape import attachment_hashes, check_shape, is_uuid

STALE_RESERVATION_S = 120

# (item_code, catalog_version, form, today) -> {field: {"zh", "en"}}
FormValidator = Callable[[str, str, dict[str, Any], dt.date], dict[str, dict[str, str]]]
# agent_id the request is signed in as, or None
AgentCheck = Callable[[], str | None]


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]
    replayed: bool = False


class SubmissionDesk:
    def __init__(self, db: Database, clock: Clock, validate_form: FormValidator,
                 blob_exists: Callable[[str], bool],
                 on_received: Callable[[str], None] | None = None,
                 processing_delay: Callable[[], float] | None = None) -> None:
        self._db = db
        self._clock = clock
        self._validate_form = validate_form
        self._blob_exists = blob_exists
        self._on_received = on_received or (lambda _id: None)
        self._processing_delay = processing_delay or (lambda: 0.0)

    def submit(self, device: Device, key: str | None, body: Any,
               signed_in_agent: str | None) -> Outcome:
        """Handle one submission; raises Problem for answers that are not stored."""
        if not key:
            raise BadRequest("idempotency_key_missing", "send the submission id as "
                                                        "Idempotency-Key")
        if not isinstance(body, dict) or body.get("submission_id") != key:
            raise BadRequest("idempotency_key_mismatch", "Idempotency-Key must equal the body's "
                                                         "submission_id")
        body_hash = hashlib.sha256(canonical(body)).hexdigest()
        with self._db.session() as conn:
            stored = self._reserve(conn, device, key, body_hash)
            if stored is not None:
                return stored
            try:
                return self._process(conn, device, key, body, signed_in_agent)
            except BaseException:
                # Transient answers and bugs alike leave the key free for the next attempt.
                self._release(conn, key)
                raise

    def _reserve(self, conn: sqlite3.Connection, device: Device, key: str,
                 body_hash: str) -> Outcome | None:
        now = self._clock()
        with write(conn):
            row = conn.execute("SELECT * FROM idempotency WHERE key = ?", (key,)).fetchone()
            if row is None:
                conn.execute("INSERT INTO idempotency (key, device_id, body_hash, state, "
                             "started_at) VALUES (?, ?, ?, 'in_progress', ?)",
                             (key, device.device_id, body_hash, rfc3339(now)))
                return None
            if row["body_hash"] != body_hash or row["device_id"] != device.device_id:
                raise Unprocessable("idempotency_key_reused", "this submission id was already "
                                    "used with a different body")
            if row["state"] == "done":
                return Outcome(row["status"], json.loads(row["response"]), replayed=True)
            started = dt.datetime.fromisoformat(row["started_at"].replace("Z", "+00:00"))
            if (now - started).total_seconds() < STALE_RESERVATION_S:
                raise Conflict("in_progress", "this submission is still being processed; "
                               "retry shortly", headers={"Retry-After": "1"})
            conn.execute("UPDATE idempotency SET started_at = ? WHERE key = ?",
                         (rfc3339(now), key))
            return None

    def _release(self, conn: sqlite3.Connection, key: str) -> None:
        with write(conn):
            conn.execute("DELETE FROM idempotency WHERE key = ? AND state = 'in_progress'",
                         (key,))

    def _process(self, conn: sqlite3.Connection, device: Device, key: str,
                 body: dict[str, Any], signed_in_agent: str | None) -> Outcome:
        delay = self._processing_delay()
        if delay:
            time.sleep(delay)
        problems = check_shape(body)
        if not problems:
            if body["channel"] != device.kind:
                raise Forbidden("wrong_channel", f"a {device.kind} terminal submits through "
                                f"the {device.kind} channel")
            if body["channel"] == "agent" and body["agent"]["agent_id"] != signed_in_agent:
                raise Forbidden("agent_mismatch", "the submission names another agent than the "
                                "one signed in on this terminal")
            missing = [h for h in dict.fromkeys(attachment_hashes(body))
                       if not self._blob_exists(h)]
            if missing:
                raise Conflict("missing_blobs", "upload these attachments first",
                               missing=missing)
            problems = self._check_references(body)
        if not problems:
            problems = self._validate_form(body["item_code"], body["catalog_version"],
                                           body["form"], self._clock().date())
        if problems:
            return self._reject(conn, device, key, problems)
        return self._accept(conn, device, key, body)

    @staticmethod
    def _check_references(body: dict[str, Any]) -> dict[str, dict[str, str]]:
        hashes = set(attachment_hashes(body))
        if body["consent"]["signature_sha256"] not in hashes:
            return {"consent.signature_sha256": {
                "zh": "签名图片不在附件中", "en": "the signature is not among the attachments"}}
        return {}

    def _reject(self, conn: sqlite3.Connection, device: Device, key: str,
                fields: dict[str, dict[str, str]]) -> Outcome:
        problem = Unprocessable("validation", "the submission's content was rejected; see fields",
                                fields=fields)
        body = problem.body()
        now = rfc3339(self._clock())
        with write(conn):
            conn.execute("UPDATE idempotency SET state = 'done', status = 422, response = ?, "
                         "finished_at = ? WHERE key = ?", (dump(body), now, key))
            if is_uuid(key):
                conn.execute("INSERT OR IGNORE INTO rejected VALUES (?, ?, ?)",
                             (key, device.device_id, now))
        return Outcome(422, body)

    def _accept(self, conn: sqlite3.Connection, device: Device, key: str,
                body: dict[str, Any]) -> Outcome:
        now = self._clock()
        stamp = rfc3339(now)
        with write(conn):
            case_number = _next_case_number(conn, device.region_code, now)
            conn.execute(
                "INSERT INTO submissions (submission_id, device_id, agent_id, item_code, "
                "catalog_version, channel, case_number, status, message, received_at, "
                "updated_at, replaces, next_step_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (key, device.device_id, (body.get("agent") or {}).get("agent_id"),
                 body["item_code"], body["catalog_version"], body["channel"], case_number,
                 "received", RECEIVED_MESSAGE, stamp, stamp, body.get("replaces"), stamp))
            conn.execute("INSERT INTO changes (submission_id, device_id, case_number, status, "
                         "message, at) VALUES (?,?,?,?,?,?)",
                         (key, device.device_id, case_number, "received", RECEIVED_MESSAGE, stamp))
            answer = {"submission_id": key, "case_number": case_number, "status": "received",
                      "received_at": stamp}
            conn.execute("UPDATE idempotency SET state = 'done', status = 201, response = ?, "
                         "finished_at = ? WHERE key = ?", (dump(answer), stamp, key))
        self._on_received(key)
        return Outcome(201, answer)


RECEIVED_MESSAGE = "已收件 / Received"


def _next_case_number(conn: sqlite3.Connection, region: str, now: dt.datetime) -> str:
    """Area code, date and a daily sequence; never anything personal (it is printed)."""
    day = now.strftime("%Y%m%d")
    conn.execute("INSERT INTO case_sequence (day, last) VALUES (?, 1) "
                 "ON CONFLICT(day) DO UPDATE SET last = last + 1", (day,))
    seq = conn.execute("SELECT last FROM case_sequence WHERE day = ?", (day,)).fetchone()[0]
    return f"{region}-{day}-{seq:06d}"
