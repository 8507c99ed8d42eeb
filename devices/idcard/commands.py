"""The SAM command set (spec id-cards.md 1.3) and the time each command may take (1.7).

Each :class:`CommandSpec` says which status means success for it and how much data a
successful reply carries, so that a reply left over from an earlier command (a late answer
after a time-out) is recognised as out of place and the command retried, instead of being
taken for this command's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SW3_OK = 0x90
SW3_NO_CONTENT = 0x91
SW3_FOUND = 0x9F
SW3_NO_CARD = 0x80

#: Speeds the SAM supports, in the order vendor SDKs probe them; index = PARA of command 60.
BAUD_RATES: Final = (115200, 57600, 38400, 19200, 9600)


@dataclass(frozen=True)
class CommandSpec:
    """One command: its bytes, its success status and the data a success carries."""

    name: str
    cmd: int
    para: int
    ok_sw3: int = SW3_OK
    data_len: int | None = 0          # exact length of a success's data; None = variable
    min_data_len: int = 0
    slow: bool = False                # a card read: gets the long time-out

    def accepts(self, sw3: int, data: bytes) -> bool:
        """True when (sw3, data) is a well-formed success reply to this command."""
        if sw3 != self.ok_sw3:
            return False
        if self.data_len is not None:
            return len(data) == self.data_len
        return len(data) >= self.min_data_len


RESET_SAM: Final = CommandSpec("reset SAM", 0x10, 0xFF)
SAM_STATUS: Final = CommandSpec("SAM status", 0x11, 0xFF)
SAM_ID: Final = CommandSpec("SAM ID", 0x12, 0xFF, data_len=16)
FIND_CARD: Final = CommandSpec("find card", 0x20, 0x01, ok_sw3=SW3_FOUND, data_len=4)
SELECT_CARD: Final = CommandSpec("select card", 0x20, 0x02, data_len=8)
READ_BASE: Final = CommandSpec("read card", 0x30, 0x01, data_len=None, min_data_len=4,
                               slow=True)
READ_APPENDED_ADDRESS: Final = CommandSpec("read appended address", 0x30, 0x03,
                                           data_len=None)
READ_MANAGEMENT_INFO: Final = CommandSpec("read chip management info", 0x30, 0x05,
                                          data_len=None)
READ_WITH_FINGERPRINT: Final = CommandSpec("read card with fingerprint", 0x30, 0x10,
                                           data_len=None, min_data_len=6, slow=True)
SET_BAUDRATE: Final = CommandSpec("set speed", 0x60, 0x00)          # PARA = speed index
SET_MAX_RF_BYTES: Final = CommandSpec("set max RF bytes", 0x61, 0xFF)


@dataclass(frozen=True)
class Timeouts:
    """Per-command time-outs in seconds at 115200 bit/s (spec 1.7: 0.5–1 s, 3 s, 4 s).

    Card reads get longer at low speeds (about 4 times at 9600, as the spec advises);
    ``probe`` is the wait for an answer to "SAM status" at each speed while auto-detecting.
    A reader listening at another speed never answers, so every wrong speed costs the
    whole probe time: 0.3 s is budgeted from spec 1.7. "SAM status" needs no exchange with
    a card; at 9600, the slowest speed, command and reply are 21 bytes, 22 ms on the wire;
    a USB-serial adapter adds its latency in each direction and the spec's >= 100 ms
    tolerance between bursts, about 150 ms in all. A vendor class waits 300 ms for
    "select card", which does go out to the card.
    """

    short: float = 1.0
    reset: float = 2.0
    read: float = 3.0
    read_fingerprint: float = 4.0
    probe: float = 0.3

    def for_command(self, spec: CommandSpec, baudrate: int) -> float:
        if spec is RESET_SAM:
            return self.reset
        if not spec.slow:
            return self.short
        base = self.read_fingerprint if spec is READ_WITH_FINGERPRINT else self.read
        return base * max(1.0, min(4.0, 38400 / baudrate))


def set_baudrate_para(baudrate: int) -> int:
    """PARA of command 60 for a speed; ValueError for a speed the SAM does not have."""
    try:
        return BAUD_RATES.index(baudrate)
    except ValueError:
        raise ValueError(f"the SAM supports {', '.join(map(str, BAUD_RATES))} bit/s, "
                         f"not {baudrate}") from None
