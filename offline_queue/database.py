"""The outbox's database as a database: opened (made first when there is none), migrated,
its key checked, written in one-lock transactions; its small key-value ``meta`` table and
the marks of attachments already uploaded.

One writer connection per process, WAL, ``synchronous=FULL``: a commit is on disk when it
returns. Migrations are recorded in the transaction that applies them; a database whose
schema is newer than :data:`~offline_queue.schema.SCHEMA_VERSION` is refused. What the
queue keeps in it (items, their states and answers) is :class:`~offline_queue.store.Store`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from offline_queue.blobs import BlobFiles
from offline_queue.crypto import Sealer
from offline_queue.dbfile import DB_NAME, create_database, not_a_database
from offline_queue.errors import (
    DamagedQueueError,
    KeyMismatchError,
    ReadOnlyError,
    StorageError,
    UnreadableRecordError,
    read_only,
    translate,
)
from offline_queue.schema import migrate
from offline_queue.senders import sender_of
from offline_queue.states import State

#: a sealed constant in ``meta``: proves at open that the key is the one the queue uses
KEY_CHECK = (b"outbox key check", "meta:key_check")


class QueueDatabase:
    """The open database: :meth:`open` (or a ``with`` block) makes, migrates and checks it;
    :meth:`tx` and :meth:`write` are its write transactions, under one lock."""

    def __init__(self, data_dir: Path, sealer: Sealer, *, max_db_bytes: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.blob_dir = self.data_dir / "blobs"
        self._sealer = sealer
        self.blobs = BlobFiles(self.blob_dir, sealer)
        self._max_db_bytes = max_db_bytes
        self._lock = threading.RLock()
        self._db: sqlite_utils.Database | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def open(self) -> Self:
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

    def __enter__(self) -> Self:
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
