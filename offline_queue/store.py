"""The outbox's durable store, in three floors: the database (``database.py``: opening,
migrating, checking the key, transactions), the items as records (``records.py``: kept
sealed, read back, marked damaged, lost or purged), and here their delivery: which are
due, claiming a batch, recording the platform's answers and status updates.

Personal data (the submission body, the platform's field messages, attachments) is sealed
with the terminal's key; ids, states and times stay in clear so they can be queried.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from offline_queue.errors import (
    UnreadableRecordError,
)
from offline_queue.outcomes import Claim, Claimed, DeliveryOutcome
from offline_queue.records import DAMAGED_CODE, ItemRecords
from offline_queue.senders import Sender, not_held_sql
from offline_queue.states import DELIVERABLE, State

__all__ = ["DAMAGED_CODE", "Store"]


class Store(ItemRecords):
    """Open with :meth:`open`, or use as a context manager. Thread-safe (one lock).

    On top of the records: which items are due, claiming a batch for a run, recording what
    the platform answered and the status updates of its changes feed."""

    # -- delivery -------------------------------------------------------------------------
    def next_due(self, held: Iterable[Sender] = ()) -> float | None:
        """When the earliest deliverable item not ``held`` may be tried (None: none is)."""
        skip, skip_args = not_held_sql(held)
        with self._lock:
            row = self.db.execute(f"SELECT MIN(next_attempt_at) FROM items WHERE state IN "
                                  f"(?, ?){skip}", [*DELIVERABLE, *skip_args]).fetchone()
        return None if row[0] is None else float(row[0])

    def senders(self, due_by: float | None = None) -> dict[Sender, int]:
        """Deliverable items per sender (only those due by ``due_by`` when given)."""
        due, args = ("", []) if due_by is None else (" AND next_attempt_at <= ?", [due_by])
        with self._lock:
            found = self.db.execute(
                f"SELECT channel, agent_id, COUNT(*) FROM items WHERE state IN (?, ?){due} "
                "GROUP BY channel, agent_id", [*DELIVERABLE, *args]).fetchall()
        return {Sender(channel, agent_id): int(n) for channel, agent_id, n in found}

    def make_due(self, at: float) -> int:
        """Items waiting out a back-off may be tried from ``at`` (if later than that)."""
        with self.write("rescheduling waiting submissions") as db:
            return int(db.execute("UPDATE items SET next_attempt_at = ? WHERE state = ? "
                                  "AND next_attempt_at > ?",
                                  [at, State.RETRY_WAIT, at]).rowcount)

    def claim(self, limit: int, now: float, held: Iterable[Sender] = ()) -> Claim:
        """Take up to ``limit`` due items of one sender (the one of the oldest due item not
        ``held``), oldest first, and mark them in flight (committed). An item whose sealed
        body does not open is marked dead as damaged in the same commit instead: one
        flipped bit must not stop the queue behind it."""
        skip, skip_args = not_held_sql(held)
        with self.write("taking submissions to send") as db:
            rows = db.execute(
                f"SELECT id, payload, blobs, attempts, channel, agent_id FROM items WHERE "
                f"state IN (?, ?) AND next_attempt_at <= ?{skip} ORDER BY seq LIMIT ?",
                [*DELIVERABLE, now, *skip_args, limit]).fetchall()
            # One request carries one sender's headers: other senders' items wait their turn.
            sender = Sender(rows[0][4], rows[0][5]) if rows else None
            rows = [r for r in rows if (r[4], r[5]) == (rows[0][4], rows[0][5])]
            items, damaged = [], []
            for sid, payload, blobs, attempts, _, _ in rows:
                try:
                    body = self._sealer.open(payload, f"item:{sid}")
                except UnreadableRecordError as exc:
                    self._mark_damaged(db, sid, exc.what, now)
                    damaged.append(sid)
                    continue
                items.append(Claimed(sid, body, tuple(json.loads(blobs)), attempts))
            db.conn.executemany("UPDATE items SET state = ? WHERE id = ?",
                                [(State.IN_FLIGHT, c.id) for c in items])
        return Claim(sender, items, damaged)

    def record(self, outcomes: list[DeliveryOutcome], now: float) -> None:
        """Write the outcome of one request for many items in one commit. An item found
        damaged during the request stays dead: nothing it could be answered changes that."""
        with self.write("recording the platform's answers") as db:
            for o in outcomes:
                reasons = (None if o.reasons is None else self._sealer.seal(
                    json.dumps(o.reasons, ensure_ascii=False).encode(), f"reasons:{o.id}"))
                updated = db.execute(
                    "UPDATE items SET state = ?, attempts = attempts + ?, next_attempt_at = ?, "
                    "last_error = ?, http_status = ?, case_number = COALESCE(?, case_number), "
                    "platform_status = COALESCE(?, platform_status), "
                    "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                    "reasons = COALESCE(?, reasons) WHERE id = ? AND damaged = 0",
                    [o.state, int(o.count_attempt), now + o.delay_s, o.error, o.http_status,
                     o.case_number, o.platform_status, o.state, now, reasons, o.id]).rowcount
                if updated:
                    db.execute("INSERT INTO attempts (submission_id, at, outcome, "
                               "http_status, detail) VALUES (?, ?, ?, ?, ?)",
                               [o.id, now, o.state, o.http_status, o.error])

    def record_changes(self, changes: list[dict[str, Any]], cursor: str | None) -> list[str]:
        """Status updates from the platform's changes feed; returns the ids they touched."""
        touched = []
        with self.write("recording status updates") as db:
            for c in changes:
                sid = str(c.get("submission_id"))
                msg = c.get("message")
                sealed = None if msg is None else self._sealer.seal(str(msg).encode(),
                                                                    f"status:{sid}")
                db.execute("INSERT INTO status_updates (submission_id, status, at, message) "
                           "VALUES (?, ?, ?, ?)", [sid, str(c.get("status")), c.get("at"),
                                                   sealed])
                db.execute("UPDATE items SET platform_status = ?, status_at = ?, "
                           "case_number = COALESCE(case_number, ?) WHERE id = ?",
                           [c.get("status"), c.get("at"), c.get("case_number"), sid])
                touched.append(sid)
            if cursor is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('changes_cursor', ?)",
                           [json.dumps(cursor)])
        return touched
