"""Small encrypted documents of the agent's services in ``<data-dir>/agent/``.

Each document is one JSON object sealed with the terminal's AES-GCM key (the outbox's key,
``offline_queue.crypto``), under associated data ``agent:<name>``, so a file renamed to
another document's name fails to open instead of being read as that document. Files are
owner-only and replaced atomically (write, fsync, rename, fsync the directory).

A read-modify-write (a wrong-PIN count) holds :meth:`Vault.exclusive` for the document: an
``flock`` on ``.<name>.lock`` beside it, which excludes other threads and other processes
over the same data dir alike, so parallel tries cannot all read the same count.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.agent.errors import StorageFailed
from offline_queue.crypto import Sealer, load_or_create_key
from offline_queue.errors import KeyPermissionError, StorageError
from offline_queue.files import write_all

log = logging.getLogger(__name__)

SUBDIR = "agent"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class Vault:
    """``Vault(data_dir).put("worklist-A1", doc)``; ``get`` returns None when absent."""

    def __init__(self, data_dir: Path, sealer: Sealer | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.dir = self.data_dir / SUBDIR
        try:
            self._sealer = sealer or load_or_create_key(self.data_dir)
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except KeyPermissionError as exc:
            raise StorageFailed(str(exc)) from exc
        except OSError as exc:
            raise StorageFailed(f"{self.dir}: {exc.strerror}") from exc

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise ValueError(f"not a document name: {name!r}")
        return self.dir / f"{name}.sealed"

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold document ``name`` against every other holder, thread or process, until the
        block ends. Not re-entrant: a thread that already holds it waits for itself."""
        self._path(name)                        # the same names as documents
        lock = self.dir / f".{name}.lock"
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageFailed(f"{lock.name}: {exc.strerror}") from exc
        try:
            # flock locks belong to the open file, so two opens in one process exclude
            # each other as two processes do.
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)    # releases the lock

    def put(self, name: str, doc: dict[str, Any]) -> None:
        data = self._sealer.seal(json.dumps(doc, ensure_ascii=False).encode(), f"agent:{name}")
        path = self._path(name)
        # Per process and thread: two writers sharing one temporary file lost a write and
        # failed the other's rename.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
            dfd = os.open(self.dir, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageFailed(f"{path.name}: {exc.strerror}") from exc

    def get(self, name: str) -> dict[str, Any] | None:
        """The document, or None when it is absent or cannot be opened with this key."""
        path = self._path(name)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageFailed(f"{path.name}: {exc.strerror}") from exc
        try:
            doc = json.loads(self._sealer.open(sealed, f"agent:{name}"))
        except (StorageError, ValueError):
            # Tampered, truncated or another terminal's key: unusable, as if absent.
            log.warning("agent.vault_unreadable", extra={"ctx": {"document": name}})
            return None
        return doc if isinstance(doc, dict) else None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
