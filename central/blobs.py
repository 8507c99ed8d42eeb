"""Content-addressed attachments: stored by the SHA-256 of their bytes."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from pathlib import Path

from central.clock import Clock, rfc3339
from central.db import Database, write
from central.errors import BadRequest

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    def __init__(self, root: Path, db: Database, clock: Clock) -> None:
        self._root = root
        self._db = db
        self._clock = clock
        root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, digest: str) -> Path:
        return self._root / digest[:2] / digest

    @staticmethod
    def check_digest(digest: str) -> None:
        if not SHA256_HEX.match(digest):
            raise BadRequest("bad_digest", "a blob is named by the lower-case hex SHA-256 of "
                                           "its bytes")

    def exists(self, digest: str) -> bool:
        with self._db.session() as conn:
            return self.exists_on(conn, digest)

    @staticmethod
    def exists_on(conn: sqlite3.Connection, digest: str) -> bool:
        return conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?",
                            (digest,)).fetchone() is not None

    def put(self, digest: str, data: bytes, media_type: str) -> bool:
        """Store the bytes; True if they were new. The file is durable before the row."""
        self.check_digest(digest)
        if hashlib.sha256(data).hexdigest() != digest:
            raise BadRequest("digest_mismatch", "the body's SHA-256 differs from the path")
        if self.exists(digest):
            return False
        path = self._path(digest)
        path.parent.mkdir(exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{os.getpid()}.{id(data)}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        with self._db.session() as conn, write(conn):
            cursor = conn.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?, ?)",
                                  (digest, len(data), media_type, rfc3339(self._clock())))
            return cursor.rowcount == 1
