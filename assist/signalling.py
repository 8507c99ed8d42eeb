"""What the call engine needs of the platform: place a call, follow it, hang it up.

A protocol, so the engine stays on ``civic`` alone: the terminal implements it over its
platform client (``kiosk.assist_link.PlatformSignalling``), a test may implement it over
anything. Every method blocks (the engine calls them on an executor thread, never on its
event loop) and raises :class:`assist.errors.SignallingError` for every failure, with the
:class:`civic.assist.EndReason` the call should end with.
"""

from __future__ import annotations

from typing import Protocol

from civic.assist import AssistConfig, CallStatus, PlacedCall


class Signalling(Protocol):
    def config(self) -> AssistConfig:
        """``GET /v1/assist/config``: whether clerks are on duty, the hours, ICE servers."""
        ...

    def place(self, offer_sdp: str, language: str, item_code: str | None,
              session_id: str | None) -> PlacedCall:
        """``POST /v1/assist/calls`` with a complete offer (no trickle ICE)."""
        ...

    def status(self, call_id: str, wait_s: int) -> CallStatus:
        """``GET /v1/assist/calls/{id}?wait=S``: answers when the call changed or after
        ``wait_s`` seconds (at most :data:`civic.assist.MAX_WAIT_S`)."""
        ...

    def hang_up(self, call_id: str) -> None:
        """``DELETE /v1/assist/calls/{id}``, with a short time-out: a best effort."""
        ...
