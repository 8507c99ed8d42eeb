"""Splitting an ESC/POS byte stream into commands, one at a time, as bytes arrive.

:func:`next_command` returns ``None`` while a command is incomplete, so the emulator can
feed it whatever a read returned. Unknown commands are returned as such (never silently
skipped) so the decoder can flag them.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10
LF, CR, HT = 0x0A, 0x0D, 0x09

# Commands with a fixed number of parameter bytes after the two command bytes.
FIXED: dict[tuple[int, int], int] = {
    (ESC, 0x40): 0, (ESC, 0x74): 1, (ESC, 0x52): 1, (ESC, 0x21): 1, (ESC, 0x45): 1,
    (ESC, 0x2D): 1, (ESC, 0x61): 1, (ESC, 0x32): 0, (ESC, 0x33): 1, (ESC, 0x64): 1,
    (ESC, 0x4A): 1, (ESC, 0x4D): 1, (ESC, 0x69): 0, (ESC, 0x6D): 0, (ESC, 0x47): 1,
    (FS, 0x26): 0, (FS, 0x2E): 0, (FS, 0x21): 1, (FS, 0x2D): 1, (FS, 0x57): 1, (FS, 0x53): 2,
    (GS, 0x21): 1, (GS, 0x68): 1, (GS, 0x77): 1, (GS, 0x48): 1, (GS, 0x66): 1,
    (GS, 0x72): 1, (GS, 0x61): 1, (GS, 0x49): 1, (GS, 0x42): 1, (GS, 0x4C): 2, (GS, 0x57): 2,
    (DLE, 0x04): 1, (DLE, 0x05): 1,
}
REALTIME = {(DLE, 0x04), (DLE, 0x05)}


@dataclass(frozen=True)
class Command:
    """One command: ``key`` is its first two bytes (or ("text",) / ("unknown",))."""

    key: tuple[int | str, ...]
    raw: bytes

    @property
    def params(self) -> bytes:
        return self.raw[2:]

    @property
    def realtime(self) -> bool:
        return self.key in REALTIME


def _text_end(buf: bytes | bytearray, pos: int, chinese: bool) -> int | None:
    """End of the run of printable bytes at ``pos``; None if a character is cut off."""
    end, n = pos, len(buf)
    while end < n:
        b = buf[end]
        if b < 0x20:
            break
        if chinese and 0x81 <= b <= 0xFE:
            if end + 1 >= n:
                return end if end > pos else None
            size = 4 if 0x30 <= buf[end + 1] <= 0x39 else 2     # GB18030 four-byte form
            if end + size > n:
                return end if end > pos else None
            end += size
        else:
            end += 1
    return end


def next_command(buf: bytes | bytearray, chinese: bool) -> Command | None:
    """The command at the start of ``buf``, or None if more bytes are needed."""
    if not buf:
        return None
    b0 = buf[0]
    if b0 >= 0x20:
        end = _text_end(buf, 0, chinese)
        return None if end is None else Command(("text",), bytes(buf[:end]))
    if b0 in (LF, CR, HT):
        return Command((b0,), bytes(buf[:1]))
    if b0 not in (ESC, FS, GS, DLE):
        return Command(("unknown",), bytes(buf[:1]))
    if len(buf) < 2:
        return None
    key = (b0, buf[1])
    if key in FIXED:
        size = 2 + FIXED[key]
        return Command(key, bytes(buf[:size])) if len(buf) >= size else None
    length = _variable_size(buf, key)
    if length is None or len(buf) < length:
        return None
    if length < 0:
        return Command(("unknown",), bytes(buf[:2]))
    return Command(key, bytes(buf[:length]))


def _variable_size(buf: bytes | bytearray, key: tuple[int, int]) -> int | None:
    """Length of a variable-length command; -1 if the command is not one we know."""
    n = len(buf)
    if key == (GS, 0x28):                                   # GS ( k pL pH ...
        if n < 5:
            return None
        return 5 + buf[3] + 256 * buf[4]
    if key == (GS, 0x76):                                   # GS v 0 m xL xH yL yH data
        if n < 8:
            return None
        if buf[2] not in (0x30, 0x00):
            return -1
        return 8 + (buf[4] + 256 * buf[5]) * (buf[6] + 256 * buf[7])
    if key == (GS, 0x6B):                                   # GS k m ...
        if n < 3:
            return None
        m = buf[2]
        if m <= 6:                                          # function A: data ... NUL
            end = buf.find(b"\x00", 3)
            return None if end < 0 else end + 1
        if n < 4:
            return None
        return 4 + buf[3]
    if key == (GS, 0x56):                                   # GS V m [n]
        if n < 3:
            return None
        return 4 if buf[2] in (0x41, 0x42, 0x61, 0x62, 0x67, 0x68) else 3
    return -1
