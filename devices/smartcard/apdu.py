"""ISO 7816-4 command/response exchange above a one-method transport.

A transport only moves bytes (``transmit(command) -> response``); pcsc-lite and pyscard
pass APDUs through verbatim, so the T=0 status words ``61xx`` ("xx more bytes waiting:
send GET RESPONSE") and ``6Cxx`` ("wrong Le: repeat with Le = xx") are handled here, once,
for every transport.
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

INS_SELECT = 0xA4
INS_READ_RECORD = 0xB2
INS_GET_RESPONSE = 0xC0

# A card that keeps answering 61xx is broken; real records need one or two rounds.
_MAX_GET_RESPONSE_ROUNDS = 16


class ApduTransport(Protocol):
    """Moves one command APDU to the card and returns the whole response (data + SW1 SW2)."""

    def transmit(self, apdu: bytes) -> bytes: ...


@dataclass(frozen=True)
class Response:
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


def split_response(raw: bytes) -> Response:
    if len(raw) < 2:
        raise CardResponseError(f"the card answered {len(raw)} bytes, less than a status word")
    return Response(raw[:-2], (raw[-2] << 8) | raw[-1])


class ApduChannel:
    """Sends commands and resolves ``6Cxx`` and ``61xx`` into one final response."""

    def __init__(self, transport: ApduTransport) -> None:
        self._transport = transport

    def send(self, apdu: bytes) -> Response:
        response = split_response(self._transport.transmit(apdu))
        if response.sw >> 8 == 0x6C and len(apdu) >= 4:
            # Wrong Le: the card says how many bytes it has; repeat once with that Le.
            apdu = self._with_le(apdu, response.sw & 0xFF)
            response = split_response(self._transport.transmit(apdu))
        return self._collect(apdu, response)

    def _collect(self, apdu: bytes, response: Response) -> Response:
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
        return Response(bytes(data), response.sw)

    @staticmethod
    def _with_le(apdu: bytes, le: int) -> bytes:
        header = apdu[:4]
        if len(apdu) <= 5:  # case 1 or 2: no data, at most an Le byte
            return header + bytes((le,))
        lc = apdu[4]
        return header + apdu[4:5 + lc] + bytes((le,))
