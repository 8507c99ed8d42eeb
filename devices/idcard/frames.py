"""The SAM serial frame: building commands and cutting replies out of a byte stream.

A frame is ``AA AA AA 96 69 | LEN (2, big-endian) | body | CHK`` where LEN counts the
bytes after itself, CHK included, and CHK is the XOR of every byte from LEN to the byte
before CHK (spec id-cards.md 1.2). Commands carry ``CMD PARA DATA``; replies carry
``SW1 SW2 SW3 DATA``.

:class:`FrameReader` follows the robust receive algorithm of the spec (1.8): bytes are
accumulated, anything before the preamble is garbage, LEN decides the frame's size (never a
fixed size), an impossible LEN or a wrong checksum makes it resynchronise from the next
byte, so that a real frame hidden behind a false start is still found. It never raises:
what it skipped is counted, and the driver decides what that means.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import xor

from devices.idcard.errors import FrameError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2          # preamble + LEN
MIN_REPLY_LEN = 4                        # SW1 SW2 SW3 CHK
MIN_COMMAND_LEN = 3                      # CMD PARA CHK
MAX_LEN = 0x0A00                         # spec 1.8: anything longer is noise


def checksum(data: bytes | bytearray | memoryview) -> int:
    """XOR of all bytes (the frame checksum is this over LEN..last body byte)."""
    return reduce(xor, bytes(data), 0)


def build_frame(body: bytes) -> bytes:
    """A frame around ``body`` (everything between LEN and CHK): LEN and CHK computed."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError("frame body too long")
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


def build_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A host → reader command frame; the checksum is always computed, never copied."""
    return build_frame(bytes([cmd, para]) + data)


def build_reply(sw3: int, data: bytes = b"") -> bytes:
    """A reader → host reply frame with SW1 = SW2 = 00 (used by the emulator and tests)."""
    return build_frame(bytes([0x00, 0x00, sw3]) + data)


def wire_time(n_bytes: int, baudrate: int) -> float:
    """Seconds ``n_bytes`` take on an 8N1 line (10 bits per byte)."""
    return n_bytes * 10 / baudrate


@dataclass(frozen=True)
class Reply:
    """A checked reply frame: its status byte and data."""

    sw3: int
    data: bytes

    @classmethod
    def parse(cls, frame: bytes) -> Reply:
        """Check a complete frame (as returned by :class:`FrameReader`) and split it."""
        if len(frame) < HEADER_SIZE + MIN_REPLY_LEN or not frame.startswith(PREAMBLE):
            raise FrameError("reply frame too short or without preamble", "应答帧过短")
        length = int.from_bytes(frame[5:7], "big")
        if length != len(frame) - HEADER_SIZE:
            raise FrameError(f"reply frame LEN {length} does not match its size {len(frame)}",
                             "应答帧长度字段与实际长度不符")
        if checksum(frame[5:]) != 0:
            raise FrameError("reply frame checksum is wrong", "应答帧校验和错误")
        if frame[7] != 0 or frame[8] != 0:
            raise FrameError(f"reply status SW1 SW2 = {frame[7]:02X} {frame[8]:02X}, "
                             "expected 00 00", "应答状态字异常")
        return cls(sw3=frame[9], data=frame[10:-1])


@dataclass(frozen=True)
class FrameCommand:
    """A checked command frame (the emulator's side of the link)."""

    cmd: int
    para: int
    data: bytes

    @classmethod
    def parse(cls, frame: bytes) -> FrameCommand:
        return cls(cmd=frame[7], para=frame[8], data=frame[9:-1])


@dataclass
class ReaderStats:
    """What a :class:`FrameReader` threw away: garbage bytes, bad LENs, bad checksums."""

    garbage_bytes: int = 0
    bad_lengths: int = 0
    bad_checksums: int = 0


class FrameReader:
    """Cuts complete, checksum-valid frames out of a stream of arbitrary chunks."""

    def __init__(self, *, min_len: int = MIN_REPLY_LEN, max_len: int = MAX_LEN) -> None:
        self._buf = bytearray()
        self._min_len = min_len
        self._max_len = max_len
        self.stats = ReaderStats()

    def feed(self, data: bytes) -> None:
        self._buf += data

    @property
    def buffered(self) -> int:
        return len(self._buf)

    @property
    def pending(self) -> bool:
        """True while the buffer holds a preamble: a frame may still be arriving."""
        return PREAMBLE in self._buf

    def clear(self) -> None:
        self._buf.clear()

    def next_frame(self, *, look_past_incomplete: bool = False) -> bytes | None:
        """The next complete valid frame, or None if more bytes are needed.

        Candidates are tried in stream order; an impossible LEN or a wrong checksum skips
        one byte and searches again. An incomplete candidate normally stops the search (the
        rest of it may still be on the wire). With ``look_past_incomplete`` (used once a
        reply is overdue) a complete valid frame after a stalled false start is accepted.
        """
        buf = self._buf
        pos = 0
        keep_from: int | None = None
        while True:
            start = buf.find(PREAMBLE, pos)
            if start < 0:
                break
            if len(buf) - start < HEADER_SIZE:
                keep_from = start if keep_from is None else keep_from
                break
            length = (buf[start + 5] << 8) | buf[start + 6]
            if not self._min_len <= length <= self._max_len:
                self.stats.bad_lengths += 1
                pos = start + 1
                continue
            end = start + HEADER_SIZE + length
            if end > len(buf):
                keep_from = start if keep_from is None else keep_from
                if not look_past_incomplete:
                    break
                pos = start + 1
                continue
            if checksum(buf[start + 5:end]) != 0:
                self.stats.bad_checksums += 1
                pos = start + 1
                continue
            frame = bytes(buf[start:end])
            self.stats.garbage_bytes += start
            del buf[:end]
            return frame
        self._trim(keep_from)
        return None

    def _trim(self, keep_from: int | None) -> None:
        """Drop bytes that cannot be part of a frame; keep a possible partial preamble."""
        if keep_from is None:
            keep_from = len(self._buf)
            # The tail may be the beginning of a preamble split across reads.
            for size in range(len(PREAMBLE) - 1, 0, -1):
                if self._buf.endswith(PREAMBLE[:size]):
                    keep_from = len(self._buf) - size
                    break
        if keep_from:
            self.stats.garbage_bytes += keep_from
            del self._buf[:keep_from]
