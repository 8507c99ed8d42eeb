"""The outbox's durable store: SQLite (through sqlite-utils) plus encrypted blob files.

One writer connection per process, WAL, ``synchronous=FULL``: a commit is on disk when it
returns. Migrations are recorded in the transaction that applies them; a database whose
schema is newer than :data:`SCHEMA_VERSION` is refused. Personal data (the submission body,
the platform's field messages, attachments) is sealed with the terminal's key; ids, states
and times stay in clear so they can be queried.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from offline_queue.blobs import BlobFiles
from offline_queue.crypto import Sealer
from offline_queue.dbfile import DB_NAME, create_database, not_a_database
from offline_queue.errors import (
    AlreadyReplacedError,
    DamagedQueueError,
    KeyMismatchError,
    NotDeadError,
    NotFoundError,
    OutboxError,
    ReadOnlyError,
    StorageError,
    UnreadableRecordError,
    read_only,
    translate,
)
from offline_queue.outcomes import Claim, Claimed, Outcome
from offline_queue.schema import migrate
from offline_queue.senders import Sender, not_held_sql, sender_of
from offline_queue.states import DELIVERABLE, State

#: a sealed constant in ``meta``: proves at open that the key is the one the queue uses
KEY_CHECK = (b"outbox key check", "meta:key_check")
#: what a damaged item's reasons say (the platform's tracking page says the same)
DAMAGED_CODE = "damaged_on_terminal"
DAMAGED_DETAIL = ("这份申请在本机的存储已损坏，无法发送，请群众重新申请。 / Damaged on this "
                  "terminal: it cannot be sent; ask the citizen to apply again.")
#: what the screens and technicians read of an item (never the sealed body)
VIEW_COLUMNS = ("seq, id, state, local_receipt, enqueued_at, attempts, last_error, http_status, "
                "case_number, platform_status, replaces, replaced_by, resolved_at, reasons, "
                "purged, channel, agent_id")
PAGE = 500


class Store:
    """Open with :meth:`open`, or use as a context manager. Thread-safe (one lock)."""

    def __init__(self, data_dir: Path, sealer: Sealer, *, max_db_bytes: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.blob_dir = self.data_dir / "blobs"
        self._sealer = sealer
        self.blobs = BlobFiles(self.blob_dir, sealer)
        self._max_db_bytes = max_db_bytes
        self._lock = threading.RLock()
        self._db: sqlite_utils.Database | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def open(self) -> Store:
        """Open the database (made first when there is none), migrate it, check the key."""
        path = self.data_dir / DB_NAME
        try:
            self.blob_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                create_database(path)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                   timeout=30)
            self._db = sqlite_utils.Database(conn)
            self._pragmas(conn)
            migrate(self.db, self.tx, {"0003_sender": self._backfill_senders})
            self._check_key()
            self.release_in_flight()   # a previous process died mid-request: try again later
            for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
                if (self.data_dir / name).exists():
                    os.chmod(self.data_dir / name, 0o600)
        except (sqlite3.Error, OSError, StorageError) as exc:
            self.close()
            if isinstance(exc, StorageError):
                raise
            if not_a_database(exc):
                raise DamagedQueueError(f"the queue database {path} is damaged or not a "
                                        "database any more") from exc
            if read_only(self.data_dir):  # SQLite says only "unable to open database file"
                raise ReadOnlyError("opening the queue") from exc
            raise translate(exc, "opening the queue") from exc
        return self

    def _check_key(self) -> None:
        """The key must be the one the queue was sealed with: checked now, at open, rather
        than found out item by item while the queue silently stops flowing."""
        check = self.get_meta("key_check")
        if check is not None:
            try:
                self._sealer.open(bytes.fromhex(check), KEY_CHECK[1])
            except (UnreadableRecordError, ValueError) as exc:
                raise KeyMismatchError(self.data_dir / "keys" / "outbox.key") from exc
            return
        # A queue from before the check: its newest sealed item must open with this key.
        row = self.db.execute("SELECT id, payload FROM items WHERE payload IS NOT NULL "
                              "ORDER BY seq DESC LIMIT 1").fetchone()
        if row is not None:
            try:
                self._sealer.open(row[1], f"item:{row[0]}")
            except UnreadableRecordError as exc:
                raise KeyMismatchError(self.data_dir / "keys" / "outbox.key") from exc
        self.set_meta(key_check=self._sealer.seal(*KEY_CHECK).hex())

    def release_in_flight(self) -> int:
        """Items marked in flight by a run that ended without recording their answers (the
        process died, or the disk filled) go back to pending: resending them is safe, since
        each is resent under its idempotency key. Only called with no run under way."""
        with self._lock:      # read first: most runs find none, and a write costs an fsync
            if self.db.execute("SELECT 1 FROM items WHERE state = ? LIMIT 1",
                               [State.IN_FLIGHT]).fetchone() is None:
                return 0
        with self.write("returning unanswered submissions to the queue") as db:
            return int(db.execute("UPDATE items SET state = ? WHERE state = ?",
                                  [State.PENDING, State.IN_FLIGHT]).rowcount)

    def _pragmas(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        # 512 KiB of page cache instead of SQLite's 2 MiB default: a kiosk's queue is a few
        # hundred rows, the hot pages fit easily, and a terminal running 24/7 counts RSS.
        conn.execute("PRAGMA cache_size=-512")
        if self._max_db_bytes is not None:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={max(1, self._max_db_bytes // page)}")

    def _backfill_senders(self, db: sqlite_utils.Database) -> None:
        """Migration 0003: the sender of items queued before it, read from their bodies."""
        rows = db.execute("SELECT id, payload FROM items WHERE payload IS NOT NULL").fetchall()
        for sid, payload in rows:
            sender = sender_of(json.loads(self._sealer.open(payload, f"item:{sid}")))
            db.execute("UPDATE items SET channel = ?, agent_id = ? WHERE id = ?",
                       [sender.channel, sender.agent_id, sid])

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.conn.close()
                self._db = None

    def __enter__(self) -> Store:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sealer(self) -> Sealer:
        """The key's cipher (merging re-seals another queue's items with it)."""
        return self._sealer

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            raise StorageError("the outbox is closed")
        return self._db

    @contextmanager
    def tx(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, taken with the write lock at its start (BEGIN IMMEDIATE)."""
        with self._lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.conn.in_transaction:  # SQLITE_FULL has already rolled back itself
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def write(self, where: str) -> Iterator[sqlite_utils.Database]:
        """:meth:`tx`, with SQLite's failures (a full disk...) translated for ``where``."""
        try:
            with self.tx() as db:
                yield db
        except sqlite3.Error as exc:
            raise translate(exc, where) from exc

    # -- meta --------------------------------------------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        with self._lock:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def set_meta(self, **values: Any) -> None:
        with self.write("saving the queue's state") as db:
            for key, value in values.items():
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, json.dumps(value)])

    # -- blobs (files in blobs/, see offline_queue.blobs; the upload marks are rows) ---------
    def blob_uploaded(self, sha: str) -> bool:
        with self._lock:
            return self.db.execute("SELECT 1 FROM uploaded_blobs WHERE sha256 = ?",
                                   [sha]).fetchone() is not None

    def mark_uploaded(self, sha: str) -> None:
        with self.write("recording an uploaded attachment") as db:
            db.execute("INSERT OR IGNORE INTO uploaded_blobs VALUES (?)", [sha])

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

    def record(self, outcomes: list[Outcome], now: float) -> None:
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

