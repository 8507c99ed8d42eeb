"""The emulated SAM module: commands in, status and data out, no I/O.

The state machine is the spec's (id-cards.md 1.6):

    state          11 FF  20 01            20 02           30 01 / 30 10
    NO_CARD        90     80               81              41
    CARD_PRESENT   90     9F → FOUND       81              41
    FOUND          90     9F               90 → SELECTED   41
    SELECTED       90     9F               90              90 + data → READ_DONE
    READ_DONE      90     9F → FOUND, or   81              41
                          80 until lifted (lift_required)

Error statuses: unknown CMD/PARA → 21; known command with the wrong data length → 11;
(bad checksum → 10 is the transport's business); SAM fault → 60 on every command;
30 03 on a card without appended address → 91 (or 90 without data); 30 10 on a card
without fingerprint → 90 with fpLen 0; card removed during a read → 41 and no card.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from devices.idcard.emulator.profiles import IdCardProfile
from devices.idcard.frames import FrameCommand
from devices.idcard.layout import encode_ucs2

BAUD_RATES = (115200, 57600, 38400, 19200, 9600)
DEFAULT_SAM_ID = bytes.fromhex("0500 0100 15cd5b07 4e610bc0 d2040000".replace(" ", ""))
MANAGEMENT_INFO = bytes(range(28))

OK, NO_CONTENT, FOUND, NO_CARD = 0x90, 0x91, 0x9F, 0x80
SELECT_FAILED, READ_FAILED, SAM_FAULT = 0x81, 0x41, 0x60
BAD_LENGTH, BAD_COMMAND = 0x11, 0x21

# (cmd, para) → number of DATA bytes the command carries
_COMMANDS: dict[tuple[int, int], int] = {
    (0x10, 0xFF): 0, (0x11, 0xFF): 0, (0x12, 0xFF): 0, (0x20, 0x01): 0, (0x20, 0x02): 0,
    (0x30, 0x01): 0, (0x30, 0x03): 0, (0x30, 0x05): 0, (0x30, 0x10): 0, (0x61, 0xFF): 1,
    **{(0x60, i): 0 for i in range(len(BAUD_RATES))},
}


class CardState(StrEnum):
    NO_CARD = "no_card"
    CARD_PRESENT = "card_present"
    FOUND = "found"
    SELECTED = "selected"
    READ_DONE = "read_done"


@dataclass(frozen=True)
class SamBehaviour:
    """Switches that change what the SAM answers."""

    sam_fault: bool = False            # SW3 60 to every command
    no_card: bool = False              # the field never finds a card, placed or not
    lift_required: bool = False        # after a read, 80 until the card is lifted
    remove_during_read: bool = False   # the card leaves the field during the next read
    empty_appended_as_90: bool = False # "no appended address" as 90 without data, not 91


@dataclass(frozen=True)
class SamReply:
    sw3: int
    data: bytes = b""
    new_baudrate: int | None = None    # switch speed after this reply (command 60)


class SamModel:
    """The reader's SAM and the card on it. Not thread-safe: the emulator serialises."""

    def __init__(self, *, sam_id: bytes = DEFAULT_SAM_ID) -> None:
        self.sam_id = sam_id
        self.card: IdCardProfile | None = None
        self.state = CardState.NO_CARD
        self.max_rf_bytes: int | None = None

    def place(self, card: IdCardProfile) -> None:
        self.card = card
        self.state = CardState.CARD_PRESENT

    def remove(self) -> None:
        self.card = None
        self.state = CardState.NO_CARD

    def handle(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        key = (command.cmd, command.para)
        if key not in _COMMANDS:
            return SamReply(BAD_COMMAND)
        if len(command.data) != _COMMANDS[key]:
            return SamReply(BAD_LENGTH)
        if behaviour.sam_fault:
            return SamReply(SAM_FAULT)
        if command.cmd == 0x60:
            return SamReply(OK, new_baudrate=BAUD_RATES[command.para])
        handler = {
            (0x10, 0xFF): self._reset, (0x11, 0xFF): self._status,
            (0x12, 0xFF): self._sam_id, (0x20, 0x01): self._find, (0x20, 0x02): self._select,
            (0x30, 0x01): self._read, (0x30, 0x10): self._read, (0x30, 0x03): self._appended,
            (0x30, 0x05): self._management, (0x61, 0xFF): self._max_rf,
        }[key]
        return handler(command, behaviour)

    # -- one method per command ----------------------------------------------------------
    def _reset(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        if self.card is not None:
            self.state = CardState.CARD_PRESENT
        return SamReply(OK)

    def _status(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        return SamReply(OK)

    def _sam_id(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        return SamReply(OK, self.sam_id)

    def _find(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        if self.card is None or behaviour.no_card:
            return SamReply(NO_CARD)
        if self.state is CardState.READ_DONE and behaviour.lift_required:
            return SamReply(NO_CARD)
        if self.state in (CardState.CARD_PRESENT, CardState.READ_DONE):
            self.state = CardState.FOUND
        return SamReply(FOUND, bytes(4))

    def _select(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        if self.state in (CardState.FOUND, CardState.SELECTED) and not behaviour.no_card:
            self.state = CardState.SELECTED
            return SamReply(OK, bytes(8))
        return SamReply(SELECT_FAILED)

    def _read(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        card = self.card
        if self.state is not CardState.SELECTED or card is None:
            return SamReply(READ_FAILED)
        if behaviour.remove_during_read:
            self.remove()
            return SamReply(READ_FAILED)
        self.state = CardState.READ_DONE
        lengths = len(card.text).to_bytes(2, "big") + len(card.photo).to_bytes(2, "big")
        if command.para == 0x01:
            return SamReply(OK, lengths + card.text + card.photo)
        fingerprint = card.fingerprint or b""
        return SamReply(OK, lengths + len(fingerprint).to_bytes(2, "big") + card.text
                        + card.photo + fingerprint)

    def _appended(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        card = self.card
        if card is None or self.state not in (CardState.SELECTED, CardState.READ_DONE):
            return SamReply(READ_FAILED)
        if not card.appended_address:
            return SamReply(OK) if behaviour.empty_appended_as_90 else SamReply(NO_CONTENT)
        return SamReply(OK, encode_ucs2(card.appended_address, 35))

    def _management(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        if self.card is None or self.state not in (CardState.SELECTED, CardState.READ_DONE):
            return SamReply(READ_FAILED)
        return SamReply(OK, MANAGEMENT_INFO)

    def _max_rf(self, command: FrameCommand, behaviour: SamBehaviour) -> SamReply:
        self.max_rf_bytes = command.data[0]
        return SamReply(OK)
