"""Attachments at rest: one sealed file per attachment, ``blobs/<sha256>``, written whole.

A blob is written (sealed, fsynced, renamed, directory fsynced) before any row names it,
so a crash leaves at worst an unnamed file, which :meth:`BlobFiles.remove_unused` clears
once it is old enough not to belong to an enqueue still in progress.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Set
from pathlib import Path

from offline_queue.crypto import SEAL_OVERHEAD, Sealer
from offline_queue.errors import UnreadableRecordError, translate
from offline_queue.files import write_durably

#: an unnamed blob younger than this may belong to an enqueue that has not committed yet
YOUNG_S = 3600


class BlobFiles:
    def __init__(self, blob_dir: Path, sealer: Sealer) -> None:
        self.dir = blob_dir
        self._sealer = sealer

    def put(self, content: bytes) -> str:
        """Seal and store one attachment, fsynced; returns its SHA-256 (hex)."""
        sha = hashlib.sha256(content).hexdigest()
        path = self.dir / sha
        try:
            # Already stored (the same signature, a resent scan): keep it, if it is whole.
            if path.stat().st_size == len(content) + SEAL_OVERHEAD:
                return sha
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise translate(exc, "saving an attachment") from exc
        try:
            write_durably(path, self._sealer.seal(content, f"blob:{sha}"))
        except OSError as exc:
            raise translate(exc, "saving an attachment") from exc
        return sha

    def has(self, sha: str) -> bool:
        return (self.dir / sha).exists()

    def read(self, sha: str) -> bytes:
        """The attachment's content; :class:`UnreadableRecordError` when its file is gone or
        damaged (the items naming it cannot be delivered), StorageError for the disk."""
        what = f"attachment {sha[:12]}"
        try:
            sealed = (self.dir / sha).read_bytes()
        except FileNotFoundError as exc:
            raise UnreadableRecordError(what, "its file is missing") from exc
        except OSError as exc:
            raise translate(exc, "reading an attachment") from exc
        content = self._sealer.open(sealed, f"blob:{sha}")
        if hashlib.sha256(content).hexdigest() != sha:      # only a bug could get here
            raise UnreadableRecordError(what, "its content does not match its name")
        return content

    def remove_unused(self, live: Set[str]) -> None:
        """Delete blobs no item names any more (old dot-files are temporaries of a process
        that died while writing)."""
        young = time.time() - YOUNG_S
        for path in self.dir.iterdir():
            if path.name not in live and path.stat().st_mtime < young:
                path.unlink(missing_ok=True)
