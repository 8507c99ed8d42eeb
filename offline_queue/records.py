"""The queue's items as records: what is kept of each submission (sealed), read back for
the screens and technicians, marked damaged, lost or purged.

:class:`ItemRecords` stands on :class:`~offline_queue.database.QueueDatabase`; the store
that delivers them, :class:`~offline_queue.store.Store`, stands on it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils

from offline_queue.database import QueueDatabase
from offline_queue.errors import (
    AlreadyReplacedError,
    NotDeadError,
    NotFoundError,
    OutboxError,
    StorageError,
    translate,
)
from offline_queue.senders import Sender, sender_of
from offline_queue.states import State

#: what a damaged item's reasons say (the platform's tracking page says the same)
DAMAGED_CODE = "damaged_on_terminal"
DAMAGED_DETAIL = ("这份申请在本机的存储已损坏，无法发送，请群众重新申请。 / Damaged on this "
                  "terminal: it cannot be sent; ask the citizen to apply again.")
#: what the screens and technicians read of an item (never the sealed body)
VIEW_COLUMNS = ("seq, id, state, local_receipt, enqueued_at, attempts, last_error, http_status, "
                "case_number, platform_status, replaces, replaced_by, resolved_at, reasons, "
                "purged, channel, agent_id")
PAGE = 500


class ItemRecords(QueueDatabase):
    # -- items -------------------------------------------------------------------------
    def insert(self, submission: dict[str, Any], blobs: list[str], now: float, *,
               strict_replace: bool = False) -> str:
        """Commit one submission (``local_receipt`` assigned here when absent).

        A submission that ``replaces`` a dead item of this queue resolves it in the same
        commit, so a correction is never queued without the rejected item showing it was
        dealt with. With ``strict_replace`` (a retry) that item must be here, dead and not
        corrected yet; otherwise ``replaces`` may name a submission of another terminal.
        """
        sid = str(submission["submission_id"])
        replaces = submission.get("replaces")
        try:
            with self.tx() as db:
                if replaces is not None:
                    self._resolve(db, str(replaces), now, replaced_by=sid,
                                  strict=strict_replace)
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM items").fetchone()[0]
                if not submission.get("local_receipt"):
                    day = time.strftime("%Y%m%d", time.localtime(now))
                    submission = {**submission, "local_receipt": f"LR{day}-{seq:06d}"}
                body = json.dumps(submission, ensure_ascii=False, separators=(",", ":"))
                sender = sender_of(submission)
                db.execute(
                    "INSERT INTO items (id, state, local_receipt, enqueued_at, replaces, blobs, "
                    "payload, channel, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [sid, State.PENDING, submission["local_receipt"], now,
                     submission.get("replaces"), json.dumps(blobs),
                     self._sealer.seal(body.encode(), f"item:{sid}"), sender.channel,
                     sender.agent_id])
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"submission {sid} is already queued") from exc
        except sqlite3.Error as exc:
            raise translate(exc, "queueing a submission") from exc
        return sid

    def _resolve(self, db: sqlite_utils.Database, sid: str, now: float, *,
                 replaced_by: str | None, strict: bool = True) -> None:
        row = db.execute("SELECT state, replaced_by FROM items WHERE id = ?", [sid]).fetchone()
        problem: OutboxError | None = None
        if row is None:
            problem = NotFoundError(sid)
        elif row[0] != State.DEAD:
            problem = NotDeadError(sid, row[0])
        elif row[1] is not None:
            problem = AlreadyReplacedError(sid, row[1])
        if problem is not None:
            if strict:
                raise problem
            return
        db.execute("UPDATE items SET replaced_by = ?, resolved_at = COALESCE(resolved_at, ?) "
                   "WHERE id = ?", [replaced_by, now, sid])

    def dismiss(self, sid: str, now: float) -> None:
        """A person dealt with a dead item without a correction; its reasons stay readable."""
        with self.write("dismissing a rejected submission") as db:
            self._resolve(db, sid, now, replaced_by=None)

    def row(self, sid: str) -> dict[str, Any] | None:
        with self._lock:
            rows = list(self.db.query("SELECT * FROM items WHERE id = ?", [sid]))
        return rows[0] if rows else None

    def body(self, row: dict[str, Any]) -> dict[str, Any] | None:
        if row["payload"] is None:
            return None
        doc: dict[str, Any] = json.loads(self._sealer.open(row["payload"], f"item:{row['id']}"))
        return doc

    def reasons(self, row: dict[str, Any]) -> dict[str, Any] | None:
        if row["reasons"] is None:
            return None
        doc: dict[str, Any] = json.loads(self._sealer.open(row["reasons"],
                                                           f"reasons:{row['id']}"))
        return doc

    def rows(self, state: str | None = None, *, open_only: bool = False,
             sender: Sender | None = None, after: int = 0,
             limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Items in queue order without their sealed bodies, read a page at a time, so that
        listing 100 000 items holds one page in memory (the lock is taken per page)."""
        where, args = ["seq > ?"], [after, *([] if state is None else [state])]
        if state is not None:
            where.append("state = ?")
        if sender is not None:
            where.append("channel = ? AND agent_id IS ?")
            args += [sender.channel, sender.agent_id]
        if open_only:
            where.append("resolved_at IS NULL")
        left = limit
        while left is None or left > 0:
            page = PAGE if left is None else min(PAGE, left)
            with self._lock:
                found = list(self.db.query(
                    f"SELECT {VIEW_COLUMNS} FROM items WHERE {' AND '.join(where)} "
                    "ORDER BY seq LIMIT ?", [*args, page]))
            yield from found
            if len(found) < page:
                return
            args[0] = found[-1]["seq"]
            if left is not None:
                left -= len(found)

    def status_updates(self, sid: str) -> list[dict[str, Any]]:
        with self._lock:
            found = list(self.db.query("SELECT status, at, message FROM status_updates "
                                       "WHERE submission_id = ? ORDER BY id", [sid]))
        for update in found:
            msg = update["message"]
            update["message"] = (None if msg is None else
                                 self._sealer.open(msg, f"status:{sid}").decode())
        return found

    def counts(self) -> dict[str, int]:
        with self._lock:
            found = dict(self.db.execute("SELECT state, COUNT(*) FROM items GROUP BY state"
                                         ).fetchall())
            open_dead = self.db.execute("SELECT COUNT(*) FROM items WHERE state = ? AND "
                                        "resolved_at IS NULL", [State.DEAD]).fetchone()[0]
        return {**{str(s): int(found.get(str(s), 0)) for s in State},
                "dead_open": int(open_dead), "damaged": self.damaged_ids(0)[0]}

    def oldest_pending_at(self) -> float | None:
        with self._lock:
            row = self.db.execute("SELECT MIN(enqueued_at) FROM items WHERE state IN (?, ?, ?)",
                                  [State.PENDING, State.RETRY_WAIT, State.IN_FLIGHT]).fetchone()
        return None if row[0] is None else float(row[0])

    def mark_damaged(self, ids: Iterable[str], what: str, now: float) -> None:
        """Items that cannot be sent because something of theirs is unreadable here."""
        with self.write("recording damaged submissions") as db:
            for sid in ids:
                self._mark_damaged(db, sid, what, now)

    def _mark_damaged(self, db: sqlite_utils.Database, sid: str, what: str,
                      now: float) -> None:
        reasons = {"code": DAMAGED_CODE, "title": "damaged on this terminal",
                   "detail": DAMAGED_DETAIL, "fields": {}}
        sealed = self._sealer.seal(json.dumps(reasons, ensure_ascii=False).encode(),
                                   f"reasons:{sid}")
        error = f"{DAMAGED_CODE}: {what} cannot be read"
        db.execute("UPDATE items SET state = ?, damaged = 1, last_error = ?, reasons = ?, "
                   "next_attempt_at = ? WHERE id = ?", [State.DEAD, error, sealed, now, sid])
        db.execute("INSERT INTO attempts (submission_id, at, outcome, http_status, detail) "
                   "VALUES (?, ?, ?, NULL, ?)", [sid, now, State.DEAD, error])

    def record_lost(self, items: Iterable[dict[str, Any]], why: str, now: float) -> None:
        """The items of a queue that was reset (``offline_queue.location.reset_queue``)."""
        with self.write("recording lost submissions") as db:
            db.conn.executemany(
                "INSERT OR IGNORE INTO lost_items VALUES (?, ?, ?, ?, ?, ?)",
                [(i["submission_id"], i.get("local_receipt"), i.get("enqueued_at"),
                  i.get("state"), now, why) for i in items])

    def damaged_ids(self, limit: int) -> tuple[int, list[str]]:
        """How many applications accepted here can no longer be read, and the first ids."""
        with self._lock:
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM items WHERE damaged = 1 UNION ALL "
                "SELECT submission_id FROM lost_items").fetchall()]
        return len(ids), ids[:limit]

    def purge(self, older_than: float) -> int:
        """Discard the data of items delivered before ``older_than``: a tombstone remains."""
        with self.write("discarding delivered submissions") as db:
            n = db.execute("UPDATE items SET payload = NULL, reasons = NULL, purged = 1 "
                           "WHERE state = ? AND purged = 0 AND sent_at < ?",
                           [State.SENT, older_than]).rowcount
            live = {sha for (blobs,) in db.execute("SELECT blobs FROM items WHERE purged = 0")
                    for sha in json.loads(blobs)}
        self.blobs.remove_unused(live)
        return int(n)
