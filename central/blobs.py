"""Content-addressed attachments: stored by the SHA-256 of their bytes.

The bytes are stored once, but whether a blob is stored is told only to its *owners*: the
devices that uploaded it or named it in one of their accepted submissions. Anyone else
gets "not stored" (and stores it again, becoming an owner), so a terminal cannot learn that
another terminal holds a given citizen's document by asking for its hash.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from central.clock import Clock, rfc3339
from central.db import Database, write
from central.errors import BadRequest
from central.files import private_dir, write_private
from civic.submission import is_sha256


class BlobStore:
    def __init__(self, root: Path, db: Database, clock: Clock) -> None:
        self._root = root
        self._db = db
        self._clock = clock
        private_dir(root)

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

    def put(self, digest: str, data: bytes, media_type: str, device_id: str) -> bool:
        """Store the bytes for ``device_id``; True unless that device already had them.

        The file is durable before its row, and its row before its owner.
        """
        self.check_digest(digest)
        if hashlib.sha256(data).hexdigest() != digest:
            raise BadRequest("digest_mismatch", "the body's SHA-256 differs from the path")
        if not self.exists(digest):
            self._write(digest, data)
        with self._db.session() as conn, write(conn):
            conn.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?, ?)",
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
