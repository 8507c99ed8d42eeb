"""A signalling that counts what it is asked, for tests run in a child process."""

from __future__ import annotations

from civic.assist import AssistConfig, CallPhase, CallStatus, PlacedCall
from civic.text import Text


class Placing:
    def __init__(self) -> None:
        self.placed = 0

    def config(self) -> AssistConfig:
        return AssistConfig(True, Text("", ""), 0)

    def place(self, offer_sdp: str, language: str, item_code: str | None,
              session_id: str | None) -> PlacedCall:
        self.placed += 1
        return PlacedCall("c", 1)

    def status(self, call_id: str, wait_s: int) -> CallStatus:
        return CallStatus(call_id, CallPhase.WAITING, 1)

    def hang_up(self, call_id: str) -> None:
        pass
