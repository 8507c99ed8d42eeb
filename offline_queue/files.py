"""Writing a file so that it is either entirely there, under its name, or not at all.

``os.write`` may write only part of its buffer (a disk that fills up mid-write returns a
short count before it raises ENOSPC), so every byte is written in a loop, the file is
fsynced, renamed over its final name, and the directory fsynced for the rename to last.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Atomically replace ``path`` with ``data`` (owner-only by default); durable on return.

    On failure the temporary file is removed and ``path`` is untouched; the OSError is
    raised for the caller to translate.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
