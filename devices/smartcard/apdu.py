"""ISO 7816-4 command/response exchange above a one-method transport.

A transport only moves bytes (``transmit(command) -> response``); pcsc-lite and pyscard
pass APDUs through verbatim, so the T=0 status words ``61xx`` ("xx more bytes waiting:
send GET RESPONSE") and ``6Cxx`` ("wrong Le: repeat with Le = xx") are handled here, once,
for every transport; so is the question which warnings (``62xx``/``63xx``) leave the data
that came with them usable (:func:`data_usable`, table below).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from devices.smartcard.errors import CardResponseError

SW_OK = 0x9000
SW_FILE_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_DATA_MAY_BE_CORRUPTED = 0x6281
SW_END_REACHED = 0x6282
SW_FCI_NOT_FORMATTED = 0x6284

INS_SELECT = 0xA4
INS_READ_RECORD = 0xB2
INS_GET_RESPONSE = 0xC0

# A card that keeps answering 61xx is broken; real records need one or two rounds.
_MAX_GET_RESPONSE_ROUNDS = 16

# ISO/IEC 7816-4:2013, status bytes (table 6). SW1 62 or 63 is a *warning*: the command was
# processed (62: the card's memory is unchanged, 63: it changed), and unlike an error
# (64..6F) it may come with response data. Whether that data may be used depends on what the
# warning says about it, and on the command. We send only SELECT and READ RECORD (Le = 00,
# "everything up to 256 bytes"). With data:
#
# | SW        | ISO 7816-4 meaning                                    | the data is
# |-----------|-------------------------------------------------------|---------------------------
# | 6282      | end of file or record reached before reading Ne bytes | used (a)
# | 6284      | file control information not correctly formatted      | used after SELECT (b)
# | 6281      | part of returned data may be corrupted                | refused, its own error (c)
# | 6200      | no information given                                  | refused (d)
# | 6202-6280 | triggering by the card                                | refused (e)
# | 6283      | selected file deactivated                             | refused (f)
# | 6285      | selected file in termination state                    | refused (f)
# | 6286      | no input data available from a sensor on the card     | refused (g)
# | 6287      | at least one of the referenced records is deactivated | refused (f)
# | 63xx      | memory changed: 6300 no information, 6340 failed      | refused (g)
# |           | comparison, 6381 file filled up, 63Cx counter x       |
#
# (a) Le = 00 asks for more than any record holds, so "end reached first" is the normal
#     case: the data is the whole record, and some vendors' cards say so with 6282 where
#     others say 9000. The record's TLV length is still checked (decode.parse_record), so a
#     record that really was cut short is still caught. After SELECT it is an FCI shorter
#     than asked for, likewise whole.
# (b) the selection itself succeeded; the FCI is never read.
# (c) a name or ID number that may be wrong must never identify anyone: the reader raises
#     CardDataCorruptedError, which tells the citizen the card (not the reader) is at fault.
# (d) nothing says the data is whole or right.
# (e) the card wants a follow-up command we do not speak.
# (f) a deactivated or terminated application, file or record is not a card in use.
# (g) no meaning for SELECT or READ RECORD; a read that changed the card is not trusted.
#
# Without data a warning has nothing to use, and stays an unexpected status word. The
# warning that counts is the final one: 6Cxx is repeated and 61xx followed with GET RESPONSE
# first, and a warning ending the last GET RESPONSE covers all the data collected before it.
_DATA_USABLE_WARNINGS = {
    INS_SELECT: frozenset({SW_END_REACHED, SW_FCI_NOT_FORMATTED}),
    INS_READ_RECORD: frozenset({SW_END_REACHED}),
}
_WARNINGS = {
    0x6200: "no information given",
    SW_DATA_MAY_BE_CORRUPTED: "part of returned data may be corrupted",
    SW_END_REACHED: "end of file or record reached before reading Le bytes",
    0x6283: "selected file deactivated",
    SW_FCI_NOT_FORMATTED: "file control information not correctly formatted",
    0x6285: "selected file in termination state",
    0x6286: "no input data available from a sensor on the card",
    0x6287: "at least one of the referenced records is deactivated",
    0x6300: "no information given, card memory changed",
    0x6340: "unsuccessful comparison",
    0x6381: "file filled up by the last write",
}


class ApduTransport(Protocol):
    """Moves one command APDU to the card and returns the whole response (data + SW1 SW2)."""

    def transmit(self, apdu: bytes) -> bytes: ...


@dataclass(frozen=True)
class ApduResponse:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def __repr__(self) -> str:  # the data may be personal: show its size only
        return f"Response(sw={self.sw:04X}, {len(self.data)} data bytes)"


def command(cla: int, ins: int, p1: int, p2: int, data: bytes = b"",
            le: int | None = None) -> bytes:
    """A short APDU. ``le`` 0..256 (256 is sent as 00); None sends no Le."""
    apdu = bytes((cla, ins, p1, p2))
    if data:
        if len(data) > 255:
            raise ValueError("short APDUs carry at most 255 data bytes")
        apdu += bytes((len(data),)) + data
    if le is not None:
        if not 0 <= le <= 256:
            raise ValueError("Le must be 0..256")
        apdu += bytes((le % 256,))
    return apdu


def data_usable(ins: int, response: ApduResponse) -> bool:
    """Whether the data of ``response`` to a command ``ins`` may be used: after ``9000``, or
    after a warning that ISO 7816-4 says leaves it whole when data did come (table above)."""
    if response.sw == SW_OK:
        return True
    return bool(response.data) and response.sw in _DATA_USABLE_WARNINGS.get(ins, frozenset())


def describe(sw: int) -> str:
    """``sw`` in hex, with its ISO 7816-4 meaning when it is a warning (for error details)."""
    meaning = _WARNINGS.get(sw)
    if meaning is None and sw & 0xFFF0 == 0x63C0:
        meaning = f"counter {sw & 0x0F}"
    elif meaning is None and 0x6202 <= sw <= 0x6280:
        meaning = "triggering by the card"
    return f"{sw:04X} ({meaning})" if meaning else f"{sw:04X}"


def split_response(raw: bytes) -> ApduResponse:
    if len(raw) < 2:
        raise CardResponseError(f"the card answered {len(raw)} bytes, less than a status word")
    return ApduResponse(raw[:-2], (raw[-2] << 8) | raw[-1])


class ApduChannel:
    """Sends commands and resolves ``6Cxx`` and ``61xx`` into one final response."""

    def __init__(self, transport: ApduTransport) -> None:
        self._transport = transport

    def send(self, apdu: bytes) -> ApduResponse:
        response = split_response(self._transport.transmit(apdu))
        if response.sw >> 8 == 0x6C and len(apdu) >= 4:
            # Wrong Le: the card says how many bytes it has; repeat once with that Le.
            apdu = self._with_le(apdu, response.sw & 0xFF)
            response = split_response(self._transport.transmit(apdu))
        return self._collect(apdu, response)

    def _collect(self, apdu: bytes, response: ApduResponse) -> ApduResponse:
        data = bytearray(response.data)
        rounds = 0
        while response.sw >> 8 == 0x61:
            rounds += 1
            if rounds > _MAX_GET_RESPONSE_ROUNDS:
                raise CardResponseError("the card kept answering 61xx to GET RESPONSE")
            waiting = response.sw & 0xFF
            response = split_response(self._transport.transmit(
                command(apdu[0] & 0x03, INS_GET_RESPONSE, 0, 0, le=waiting or 256)))
            if response.sw >> 8 == 0x6C:
                response = split_response(self._transport.transmit(
                    command(apdu[0] & 0x03, INS_GET_RESPONSE, 0, 0, le=response.sw & 0xFF)))
            data += response.data
        return ApduResponse(bytes(data), response.sw)

    @staticmethod
    def _with_le(apdu: bytes, le: int) -> bytes:
        header = apdu[:4]
        if len(apdu) <= 5:  # case 1 or 2: no data, at most an Le byte
            return header + bytes((le,))
        lc = apdu[4]
        return header + apdu[4:5 + lc] + bytes((le,))
