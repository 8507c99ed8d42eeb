"""The card side of the virtual social-security card: an ISO 7816-4 command handler.

It answers what a real card answers to the commands of id-cards spec 5.5: SELECT by name
and by file id, READ RECORD by tag, by number and by SFI, GET RESPONSE; ``6982`` for a
protected record; ``6A82`` for an unknown application. Switches reproduce T=0 behaviour
that drivers get wrong: SELECT answering ``61xx`` (FCI waiting), records delivered through
``61xx`` + GET RESPONSE, and a strict Le that earns ``6Cxx``; and field faults of some
vendors' cards: a record shorter than Le answered with its data and the warning ``6282``
instead of ``9000``, a record or FCI that comes with a chosen warning (``6281`` "part of the
data may be corrupted", ``6284``...). Anything else (VERIFY,
EXTERNAL AUTHENTICATE, UPDATE...) is refused with ``6D00`` and stays in the transcript,
so tests can prove the driver never sent it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from devices.smartcard.reader import SSSE_NAME

#: ATR of the spec's transcript (5.1): Huada chip, TurboCOS 3.1; T=0 (no TD1)
SOCIAL_SECURITY_ATR = bytes.fromhex("3B6D0000008154310086601108160000 01".replace(" ", ""))

EF05_FID, EF06_FID = 0xEF05, 0xEF06
_SFI_TO_FID = {5: EF05_FID, 6: EF06_FID}
_FCI = bytes.fromhex("6F108408") + b"sx1.sh.\x00" + bytes.fromhex("A5049F080102")


def _sw(sw: int) -> bytes:
    return bytes((sw >> 8, sw & 0xFF))


@dataclass(frozen=True)
class CardProfile:
    """One card: its files as ``(tag, value)`` records in record-number order."""

    label: str
    atr: bytes = SOCIAL_SECURITY_ATR
    has_ssse: bool = True
    ef05: tuple[tuple[int, bytes], ...] = ()
    ef06: tuple[tuple[int, bytes], ...] = ()
    #: (file id, tag) pairs that answer 6982 without external authentication
    protected: frozenset[tuple[int, int]] = frozenset()
    select_answers_61: bool = True      # SELECT SSSE answers 61xx, FCI through GET RESPONSE
    records_via_61: bool = False        # READ RECORD answers 61xx, data through GET RESPONSE
    strict_le: bool = False             # Le other than the exact length earns 6Cxx
    #: a record shorter than Le comes with its data and 6282 instead of 9000 (ISO 7816-4
    #: "end of record reached before reading Le bytes"), as some vendors' cards answer
    #: Le = 00; for an Le longer than the record this wins over ``strict_le``
    short_read_warning: bool = False
    #: (file id, tag, SW): that record comes with its data and this status word, not 9000
    record_warnings: tuple[tuple[int, int, int], ...] = ()
    #: SELECT SSSE: the FCI comes with this status word instead of 9000
    select_warning: int | None = None


@dataclass
class _State:
    in_ssse: bool = False
    current_ef: int | None = None
    pending: bytes = b""
    pending_sw: int = 0x9000            # ends the last GET RESPONSE chunk of ``pending``
    transcript: list[tuple[bytes, bytes]] = field(default_factory=list)


class SocialSecurityApplet:
    """Processes command APDUs for one :class:`CardProfile`; ``reset`` is a power cycle."""

    def __init__(self, profile: CardProfile) -> None:
        self.profile = profile
        self._state = _State()
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._state = _State(transcript=self._state.transcript)

    @property
    def transcript(self) -> list[tuple[bytes, bytes]]:
        """Every (command, response) exchanged since the card was made."""
        with self._lock:
            return list(self._state.transcript)

    def transmit(self, apdu: bytes) -> bytes:
        with self._lock:
            response = self._process(apdu)
            self._state.transcript.append((apdu, response))
            return response

    def _process(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return _sw(0x6700)
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        data, le = _body(apdu)
        if data is None:
            return _sw(0x6700)
        if ins == 0xC0:
            return self._get_response(le)
        self._state.pending, self._state.pending_sw = b"", 0x9000
        if ins == 0xA4:
            return self._select(p1, data)
        if ins == 0xB2:
            return self._read_record(p1, p2, le)
        return _sw(0x6D00)

    def _select(self, p1: int, data: bytes) -> bytes:
        state, profile = self._state, self.profile
        if p1 == 0x04:
            if not (profile.has_ssse and data == SSSE_NAME):
                return _sw(0x6A82)
            state.in_ssse, state.current_ef = True, None
            if profile.select_answers_61:
                state.pending, state.pending_sw = _FCI, profile.select_warning or 0x9000
                return _sw(0x6100 | len(_FCI))
            if profile.select_warning is not None:
                return _FCI + _sw(profile.select_warning)
            return _sw(0x9000)
        if p1 in (0x00, 0x02) and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if fid == 0x3F00:
                state.in_ssse, state.current_ef = False, None
                return _sw(0x9000)
            if state.in_ssse and fid in (EF05_FID, EF06_FID):
                state.current_ef = fid
                return _sw(0x9000)
            return _sw(0x6A82)
        return _sw(0x6A86)

    def _read_record(self, p1: int, p2: int, le: int | None) -> bytes:
        state, profile = self._state, self.profile
        sfi, mode = p2 >> 3, p2 & 0x07
        fid = _SFI_TO_FID.get(sfi) if sfi else state.current_ef
        if not state.in_ssse or fid is None:
            return _sw(0x6986)  # no current EF
        records = profile.ef05 if fid == EF05_FID else profile.ef06
        if mode == 0x04:
            found = records[p1 - 1] if 1 <= p1 <= len(records) else None
        elif mode == 0x00:
            found = next((r for r in records if r[0] == p1), None)
        else:
            return _sw(0x6A86)
        if found is None:
            return _sw(0x6A83)
        tag, value = found
        if (fid, tag) in profile.protected:
            return _sw(0x6982)
        record = bytes((tag, len(value))) + value
        sw = next((w for f, t, w in profile.record_warnings if (f, t) == (fid, tag)), 0x9000)
        return self._deliver(record, le, sw)

    def _deliver(self, data: bytes, le: int | None, sw: int) -> bytes:
        """``data`` answering a command with this Le; ``sw`` ends it once all is sent."""
        wanted = 256 if le in (None, 0) else le
        profile = self.profile
        if wanted < len(data) or (
                profile.strict_le and wanted > len(data) and not profile.short_read_warning):
            return _sw(0x6C00 | len(data))
        if profile.records_via_61:
            self._state.pending, self._state.pending_sw = data, sw
            return _sw(0x6100 | len(data))
        return data + _sw(self._last_sw(sw, wanted, len(data)))

    def _get_response(self, le: int | None) -> bytes:
        pending = self._state.pending
        if not pending:
            return _sw(0x6985)
        wanted = 256 if le in (None, 0) else le
        if wanted > len(pending) and self.profile.strict_le \
                and not self.profile.short_read_warning:
            return _sw(0x6C00 | len(pending))
        chunk, rest = pending[:wanted], pending[wanted:]
        self._state.pending = rest
        if rest:
            return chunk + _sw(0x6100 | min(len(rest), 255) % 256)
        return chunk + _sw(self._last_sw(self._state.pending_sw, wanted, len(chunk)))

    def _last_sw(self, sw: int, wanted: int, sent: int) -> int:
        # A chosen warning stands; otherwise a short answer to a longer Le is 6282 on a
        # card with that habit.
        if sw == 0x9000 and wanted > sent and self.profile.short_read_warning:
            return 0x6282
        return sw


def _body(apdu: bytes) -> tuple[bytes | None, int | None]:
    """(data, Le) of a short APDU; data None when Lc does not match the length."""
    if len(apdu) == 4:
        return b"", None
    if len(apdu) == 5:
        return b"", apdu[4]
    lc = apdu[4]
    if len(apdu) == 5 + lc:
        return apdu[5:], None
    if len(apdu) == 6 + lc:
        return apdu[5:5 + lc], apdu[5 + lc]
    return None, None
