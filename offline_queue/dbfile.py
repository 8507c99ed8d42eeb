"""The queue's database file as a file: made whole under its name, recognised when it is no
database any more, and read without the key when the queue cannot be opened.

Kept apart from :mod:`offline_queue.store`, which works on an open database: these are what
the refusals of :meth:`offline_queue.outbox.Outbox.open` and ``kiosk queue reset`` need.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from offline_queue.errors import DamagedQueueError
from offline_queue.files import fsync_dir

DB_NAME = "outbox.db"
#: "KIOS": written into a new database's header, so that it is never a zero-byte file
APPLICATION_ID = 0x4B494F53
#: SQLite's primary codes for "this is not (any more) a database"
_NOT_A_DATABASE = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)

def create_database(path: Path) -> None:
    """A new, empty database, whole under its name or not there at all: made under a
    temporary name and renamed. So an ``outbox.db`` of zero bytes is never ours, and is
    refused as damage (a queue that was emptied) instead of being taken for a new queue."""
    tmp = path.with_name(f".{path.name}.new")
    tmp.unlink(missing_ok=True)
    # Owner-only before SQLite sees it: SQLite gives the -wal and -shm files the database
    # file's permissions.
    os.close(os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlite3.connect(tmp)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")   # writes the header page
        conn.commit()
    finally:
        conn.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def not_a_database(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return isinstance(exc, sqlite3.DatabaseError) and code in _NOT_A_DATABASE


def sealed_rows(path: Path) -> list[dict[str, Any]]:
    """Read without the key: the items of the database at ``path`` that hold sealed data
    (id, state, receipt number, time queued; never content). Raises
    :class:`DamagedQueueError` when the file is not a readable database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DamagedQueueError(f"the queue database {path} cannot be opened") from exc
    try:
        conn.row_factory = sqlite3.Row
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "items" not in tables:
            return []
        return [dict(r) for r in conn.execute(
            "SELECT id AS submission_id, state, local_receipt, enqueued_at FROM items "
            "WHERE payload IS NOT NULL OR reasons IS NOT NULL ORDER BY seq")]
    except sqlite3.DatabaseError as exc:
        raise DamagedQueueError(f"the queue database {path} is damaged or not a database "
                                "any more") from exc
    finally:
        conn.close()
