"""The sandbox's files are its own: directories 0700, files 0600, whatever the umask.

The database holds agents' PIN hashes and devices' token hashes, and the blobs are
citizens' scanned documents. Under the usual umask 022, ``mkdir``, ``open`` and SQLite
would make them readable by every user of the machine; a mode given to them is only ever
narrowed by the umask, and ignored for a path that exists, so the modes are set
explicitly.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed, and make it owner-only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Create ``path`` empty if it is absent, and make it owner-only (0600).

    An existing file is never opened here: closing any descriptor of a file drops every
    POSIX lock this process holds on it, and SQLite's locks on an open database are such
    locks. Dropped, another process (``kiosk central enrollment-code``) takes itself for the
    last user of the database and deletes its WAL and shared memory under the server.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        os.chmod(path, FILE_MODE)
        return
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def tighten(path: Path) -> None:
    """Make an existing file owner-only; a path that is not there is left alone."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, FILE_MODE)


def write_private(path: Path, data: bytes) -> None:
    """Write a new owner-only file and fsync it (``path`` must not exist yet)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
