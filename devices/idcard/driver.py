"""The ID-card reader: the SAM protocol over any :class:`ReaderTransport`.

Strictly one command is outstanding at a time (a lock serialises callers); the input is
flushed before each command; each command has its own time-out; a reply that is garbled,
out of place (a late answer to an earlier command) or answered with a "line noise" status
(SW3 10/11/21/23/24) makes the command go out once more. When the link itself fails (port
gone, no answer in time) the port is closed before the error is raised, and whoever holds
the reader opens it again by its path: a handle is never kept across a failure.

"No card on the reader" is the normal idle state: :meth:`find_card` returns False.
"""

from __future__ import annotations

import logging
import struct
import threading
import time
from dataclasses import dataclass
from types import TracebackType

from devices.idcard import commands as C
from devices.idcard.card import IdCard
from devices.idcard.decode import decode_appended_address, decode_card
from devices.idcard.errors import (
    CardDataError,
    ChecksumError,
    FrameError,
    ProtocolError,
    ReaderTimeout,
    error_for_sw3,
)
from devices.idcard.frames import FrameReader, Reply, build_command
from devices.idcard.layout import TEXT_SIZE
from devices.idcard.transport import ReaderTransport

log = logging.getLogger(__name__)

_READ_POLL = 0.05   # longest single wait for bytes, so a stalled false start is noticed
_GAP_AFTER_BAD_FRAME = 0.15   # spec 1.7: tolerate >= 100 ms between bursts


@dataclass(frozen=True)
class SamId:
    """The SAM module's identity (16 bytes, little-endian fields; spec 1.4)."""

    raw: bytes

    def __str__(self) -> str:
        a, b, c, d, e = struct.unpack("<HHIII", self.raw)
        return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"


@dataclass(frozen=True)
class RawCardData:
    """A card's blocks as read: 256-byte text, WLT photo, fingerprint (None if not asked)."""

    text: bytes
    photo: bytes
    fingerprint: bytes | None = None


class IdCardReader:
    """A SAM ID-card reader on an open transport. Use :func:`~devices.idcard.connect`."""

    def __init__(self, transport: ReaderTransport, *, timeouts: C.Timeouts | None = None) -> None:
        self._transport = transport
        self._timeouts = timeouts or C.Timeouts()
        self._lock = threading.Lock()
        #: the SAM's identity, read once when connecting (a stable fact naming the reader)
        self.sam_identity: SamId | None = None

    # -- life cycle ----------------------------------------------------------------------
    @property
    def device(self) -> str:
        return self._transport.name

    @property
    def baudrate(self) -> int:
        return self._transport.baudrate

    @property
    def is_open(self) -> bool:
        return self._transport.is_open

    def open(self) -> None:
        self._transport.open()

    def close(self) -> None:
        with self._lock:
            self._transport.close()

    def __enter__(self) -> IdCardReader:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- commands ------------------------------------------------------------------------
    def reset_sam(self) -> None:
        self._command(C.RESET_SAM)

    def sam_status(self, *, timeout: float | None = None, retries: int = 1) -> None:
        """Returns when the SAM reports itself ready; SamFaultError when its self-test failed."""
        self._command(C.SAM_STATUS, timeout=timeout, retries=retries)

    def sam_id(self) -> SamId:
        return SamId(self._command(C.SAM_ID).data)

    def find_card(self) -> bool:
        """True when a card (not yet read, for readers that need it lifted) is on the reader."""
        reply = self._command(C.FIND_CARD, also_ok=(C.SW3_NO_CARD,))
        return reply.sw3 == C.SW3_FOUND

    def select_card(self) -> None:
        self._command(C.SELECT_CARD)

    def read_base(self) -> RawCardData:
        """Text and photo (30 01); lengths checked against the frame."""
        text, photo, _ = self._split_blocks(self._command(C.READ_BASE).data, count=2)
        return RawCardData(text, photo)

    def read_with_fingerprint(self) -> RawCardData:
        """Text, photo and fingerprint (30 10); fingerprint is b"" when the card has none."""
        text, photo, fp = self._split_blocks(self._command(C.READ_WITH_FINGERPRINT).data,
                                             count=3)
        return RawCardData(text, photo, fp)

    def read_appended_address(self) -> str | None:
        """The newest appended address, or None (SW3 91, or 90 without data)."""
        reply = self._command(C.READ_APPENDED_ADDRESS, also_ok=(C.SW3_NO_CONTENT,))
        if reply.sw3 == C.SW3_NO_CONTENT or not reply.data:
            return None
        return decode_appended_address(reply.data)

    def read_management_info(self) -> bytes:
        """The chip's management information (IIN, SN, DN; layout unconfirmed: kept raw)."""
        return self._command(C.READ_MANAGEMENT_INFO).data

    def set_max_rf_bytes(self, n: int) -> None:
        if not 1 <= n <= 0xFF:
            raise ValueError("max RF frame bytes is 1..255")
        self._command(C.SET_MAX_RF_BYTES, data=bytes([n]))

    def set_baudrate(self, baudrate: int) -> None:
        """Switch the reader's speed: the reply comes at the old speed, then both change."""
        para = C.set_baudrate_para(baudrate)
        spec = C.CommandSpec(C.SET_BAUDRATE.name, C.SET_BAUDRATE.cmd, para)
        self._command(spec)
        with self._lock:
            self._transport.set_baudrate(baudrate)
        self.sam_status()
        log.info("idcard.baudrate_changed", extra={"ctx": {"device": self.device,
                                                             "baudrate": baudrate}})

    def read_card(self, *, fingerprint: bool = False, appended_address: bool = True,
                  ) -> IdCard | None:
        """One whole read cycle: find, select, read (and the appended address).

        Returns None when no card is on the reader.
        """
        if not self.find_card():
            return None
        return self.read_found_card(fingerprint=fingerprint, appended_address=appended_address)

    def read_found_card(self, *, fingerprint: bool = False,
                        appended_address: bool = True) -> IdCard:
        """Select and read a card that find_card() just reported."""
        started = time.monotonic()
        self.select_card()
        raw = self.read_with_fingerprint() if fingerprint else self.read_base()
        address = self.read_appended_address() if appended_address else None
        card = decode_card(raw.text, raw.photo, fingerprint=raw.fingerprint or None,
                           appended_address=address)
        log.info("idcard.card_read", extra={"ctx": {
            "device": self.device, "card_type": card.card_type.value,
            "ms": round((time.monotonic() - started) * 1000)}})
        return card

    # -- the exchange ----------------------------------------------------------------------
    def _command(self, spec: C.CommandSpec, *, data: bytes = b"", also_ok: tuple[int, ...] = (),
                 timeout: float | None = None, retries: int = 1) -> Reply:
        frame = build_command(spec.cmd, spec.para, data)
        with self._lock:
            wait = timeout or self._timeouts.for_command(spec, self._transport.baudrate)
            for attempt in range(retries + 1):
                try:
                    reply = self._exchange(frame, spec, wait)
                    if reply.sw3 in also_ok or spec.accepts(reply.sw3, reply.data):
                        return reply
                    if reply.sw3 in (C.SW3_OK, C.SW3_FOUND, C.SW3_NO_CARD, C.SW3_NO_CONTENT):
                        # A success of the wrong shape: a stray answer to another command.
                        raise FrameError(f"unexpected reply to {spec.name}: SW3 "
                                         f"{reply.sw3:02X} with {len(reply.data)} data bytes",
                                         "阅读器应答与命令不符", device=self.device)
                    raise error_for_sw3(reply.sw3, command=spec.name, device=self.device)
                except ProtocolError as exc:
                    if attempt == retries:
                        raise
                    log.warning("idcard.retry", extra={"ctx": {
                        "device": self.device, "command": spec.name,
                        "reason": type(exc).__name__, "sw3": exc.sw3}})
                except ReaderTimeout:
                    # The link is in doubt: drop the handle; the owner reopens by path.
                    self._transport.close()
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, frame: bytes, spec: C.CommandSpec, timeout: float) -> Reply:
        transport = self._transport
        transport.reset_input()
        reader = FrameReader()
        transport.write(frame)
        hard_deadline = deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if now >= deadline:
                # Overdue: a complete answer may sit behind a stalled false start.
                found = reader.next_frame(look_past_incomplete=True)
                if found is not None:
                    break
                if reader.stats.bad_checksums:
                    raise ChecksumError(f"reply to {spec.name} had a wrong checksum",
                                        "应答帧校验和错误", device=self.device)
                raise ReaderTimeout(
                    f"The ID-card reader on {self.device} did not answer '{spec.name}' within "
                    f"{timeout:.1f} s; check its cable, its power and the port.",
                    f"身份证阅读器（{self.device}）在 {timeout:.1f} 秒内未应答，"
                    "请检查连接线、电源和端口。", device=self.device)
            chunk = transport.read(min(deadline - now, _READ_POLL))
            if chunk:
                reader.feed(chunk)
                found = reader.next_frame()
                if found is not None:
                    break
                deadline = hard_deadline
                if reader.stats.bad_checksums and not reader.pending:
                    # A garbled reply and nothing after it yet: allow the inter-byte gap
                    # for a good frame to follow, not the whole time-out.
                    deadline = min(hard_deadline, time.monotonic() + _GAP_AFTER_BAD_FRAME)
        if reader.stats.garbage_bytes or reader.stats.bad_checksums or reader.stats.bad_lengths:
            log.debug("idcard.resynced", extra={"ctx": {
                "device": self.device, "command": spec.name,
                "garbage_bytes": reader.stats.garbage_bytes,
                "bad_checksums": reader.stats.bad_checksums}})
        return Reply.parse(found)

    def _split_blocks(self, data: bytes, *, count: int) -> tuple[bytes, bytes, bytes]:
        """Split ``len1 len2 [len3] block1 block2 [block3]``, checking lengths against LEN."""
        head = 2 * count
        lengths = [int.from_bytes(data[i:i + 2], "big") for i in range(0, head, 2)]
        if head + sum(lengths) != len(data):
            raise FrameError(f"embedded lengths {lengths} do not match {len(data)} data bytes",
                             "应答中的长度字段与数据长度不符", device=self.device)
        if lengths[0] != TEXT_SIZE:
            raise CardDataError(f"The card's text block has {lengths[0]} bytes instead of "
                                f"{TEXT_SIZE}; please place the card again.",
                                "证件文字信息长度异常，请重新放置证件。", device=self.device)
        blocks, pos = [], head
        for n in lengths:
            blocks.append(data[pos:pos + n])
            pos += n
        blocks += [b""] * (3 - count)
        return blocks[0], blocks[1], blocks[2]

