"""Content-addressed attachments: stored by the SHA-256 of their bytes.

The bytes are stored once, but whether a blob is stored is told only to its *owners*: the
devices that uploaded it or named it in one of their accepted submissions. Anyone else
gets "not stored" (and stores it again, becoming an owner), so a terminal cannot learn that
another terminal holds a given citizen's document by asking for its hash.

A face check's live image is a blob too, but one the platform may not keep
(platform-api.md, "Person-to-card check"): :meth:`BlobStore.delete` removes it once
compared, and :meth:`BlobStore.sweep_unnamed_images` removes every small JPEG that no
accepted submission names once it is old enough (a document photo caught by it is uploaded
again when its submission answers ``409 missing_blobs``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from central.clock import Clock, rfc3339
from central.db import Database, write
from central.errors import BadRequest
from central.files import private_dir, write_private
from civic.submission import is_sha256

_STRIPES = 16


class BlobStore:
    def __init__(self, root: Path, db: Database, clock: Clock) -> None:
        self._root = root
        self._db = db
        self._clock = clock
        # A delete (row, then file) must not interleave with a put of the same bytes (file,
        # then row), or a row could outlive its file. One process, so locks will do; striped
        # by digest, so that uploads of different blobs never wait for each other's fsync.
        self._stripes = tuple(threading.Lock() for _ in range(_STRIPES))
        private_dir(root)

    def _stripe(self, digest: str) -> threading.Lock:
        return self._stripes[int(digest[:2], 16) % _STRIPES]

    def _path(self, digest: str) -> Path:
        return self._root / digest[:2] / digest

    @staticmethod
    def check_digest(digest: str) -> None:
        if not is_sha256(digest):
            raise BadRequest("bad_digest", "a blob is named by the lower-case hex SHA-256 of "
                                           "its bytes")

    def exists(self, digest: str) -> bool:
        """Stored for anyone (the sandbox's own view; never an answer to a device)."""
        with self._db.session() as conn:
            return self.exists_on(conn, digest)

    @staticmethod
    def exists_on(conn: sqlite3.Connection, digest: str) -> bool:
        return conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?",
                            (digest,)).fetchone() is not None

    def held_by(self, digest: str, device_id: str) -> bool:
        """Stored, and this device is one of its owners."""
        with self._db.session() as conn:
            return conn.execute("SELECT 1 FROM blob_owners WHERE sha256 = ? AND device_id = ?",
                                (digest, device_id)).fetchone() is not None

    @staticmethod
    def add_owner(conn: sqlite3.Connection, digests: Iterable[str], device_id: str) -> None:
        """Inside the caller's write transaction: ``device_id`` now owns these stored blobs."""
        conn.executemany("INSERT OR IGNORE INTO blob_owners SELECT sha256, ? FROM blobs "
                         "WHERE sha256 = ?", [(device_id, d) for d in set(digests)])

    @staticmethod
    def mark_named(conn: sqlite3.Connection, digests: Iterable[str], stamp: str) -> None:
        """Inside the caller's write transaction: an accepted submission names these blobs,
        so no sweep of unnamed images may delete them."""
        conn.executemany("UPDATE blobs SET named_at = ? WHERE sha256 = ? AND named_at IS NULL",
                         [(stamp, d) for d in set(digests)])

    def read(self, digest: str) -> bytes | None:
        """The stored bytes, or None when the blob is not (or no longer) stored."""
        self.check_digest(digest)
        try:
            return self._path(digest).read_bytes()
        except FileNotFoundError:
            return None

    def named(self, digest: str) -> bool:
        """Whether an accepted submission names this stored blob (it is the case's now)."""
        with self._db.session() as conn:
            return conn.execute("SELECT 1 FROM blobs WHERE sha256 = ? AND named_at IS NOT "
                                "NULL", (digest,)).fetchone() is not None

    def media_of(self, digest: str) -> tuple[str, int] | None:
        """The stored blob's media type and size, or None when it is not stored."""
        with self._db.session() as conn:
            row = conn.execute("SELECT media_type, size FROM blobs WHERE sha256 = ?",
                               (digest,)).fetchone()
        return None if row is None else (str(row["media_type"]), int(row["size"]))

    def delete(self, digest: str) -> None:
        """Forget the blob for every device and remove its bytes: its row first, so that a
        crash between the two leaves a file no one can name rather than a row without one
        (the next upload of those bytes writes the file again)."""
        self.check_digest(digest)
        with self._stripe(digest):
            with self._db.session() as conn, write(conn):
                conn.execute("DELETE FROM blob_owners WHERE sha256 = ?", (digest,))
                conn.execute("DELETE FROM blobs WHERE sha256 = ?", (digest,))
            self._path(digest).unlink(missing_ok=True)

    def sweep_unnamed_images(self, media_type: str, max_size: int,
                             stored_before: dt.datetime) -> int:
        """Delete every blob of ``media_type`` and at most ``max_size`` bytes, stored before
        ``stored_before``, that no accepted submission names; how many were deleted."""
        with self._db.session() as conn:
            rows = conn.execute("SELECT sha256 FROM blobs WHERE named_at IS NULL AND "
                                "media_type = ? AND size <= ? AND stored_at < ?",
                                (media_type, max_size, rfc3339(stored_before))).fetchall()
        for row in rows:
            self.delete(row["sha256"])
        return len(rows)

    def put(self, digest: str, data: bytes, media_type: str, device_id: str) -> bool:
        """Store the bytes for ``device_id``; True unless that device already had them.

        The file is durable before its row, and its row before its owner.
        """
        self.check_digest(digest)
        if hashlib.sha256(data).hexdigest() != digest:
            raise BadRequest("digest_mismatch", "the body's SHA-256 differs from the path")
        with self._stripe(digest):
            if not self.exists(digest):
                self._write(digest, data)
            with self._db.session() as conn, write(conn):
                conn.execute("INSERT OR IGNORE INTO blobs (sha256, size, media_type, "
                             "stored_at) VALUES (?, ?, ?, ?)",
                             (digest, len(data), media_type, rfc3339(self._clock())))
                cursor = conn.execute("INSERT OR IGNORE INTO blob_owners VALUES (?, ?)",
                                      (digest, device_id))
                return cursor.rowcount == 1

    def _write(self, digest: str, data: bytes) -> None:
        path = self._path(digest)
        private_dir(path.parent)
        tmp = path.with_suffix(f".{os.getpid()}.{id(data)}.tmp")
        try:
            write_private(tmp, data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
