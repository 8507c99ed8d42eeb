"""The pipe protocol between the kiosk and the engine's process: small, JSON, no pickle.

A message is two 4-byte big-endian lengths (header, payload), a JSON header and a binary
payload (a frame's pixels or an image file's bytes). JSON rather than pickle so that neither
side ever runs what the other sends; the payload is raw so a frame is not copied into text.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

from faces.frame import MAX_PIXELS

_LENGTHS = struct.Struct(">II")
MAX_HEADER = 1 << 20
MAX_PAYLOAD = MAX_PIXELS * 3


class ProtocolError(Exception):
    """The other side sent something that is not a message (a bug, or a broken pipe)."""


def pack(header: dict[str, Any], payload: bytes = b"") -> bytes:
    """One message's bytes."""
    text = json.dumps(header, separators=(",", ":")).encode()
    return _LENGTHS.pack(len(text), len(payload)) + text + payload


def write_message(fd: int, header: dict[str, Any], payload: bytes = b"") -> None:
    """Write one message to a pipe's file descriptor (all of it)."""
    data = memoryview(pack(header, payload))
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def read_message(fd: int, deadline: float | None = None) -> tuple[dict[str, Any], bytes]:
    """Read one message; ``EOFError`` when the other side has gone, ``TimeoutError`` when
    ``deadline`` (a ``time.monotonic()`` value) passes first."""
    header_size, payload_size = _LENGTHS.unpack(_read_exact(fd, _LENGTHS.size, deadline))
    if header_size > MAX_HEADER or payload_size > MAX_PAYLOAD:
        raise ProtocolError(f"a message of {header_size} + {payload_size} bytes is too long")
    header = json.loads(_read_exact(fd, header_size, deadline))
    if not isinstance(header, dict):
        raise ProtocolError("a message's header is not a JSON object")
    return header, _read_exact(fd, payload_size, deadline)
