"""The platform client's calls for a video call to a clerk (``/v1/assist/...``), answered
as ``civic.assist`` types. None of them feeds the outbox's back-off: this client never
touches the queue, and a 503 ``no_clerks`` is :class:`~offline_queue.errors.NoClerks`, not
:class:`~offline_queue.errors.PlatformUnavailable` (a limit of that call alone)."""

from __future__ import annotations

from typing import Any, Final

import httpx

from civic.assist import (
    MAX_WAIT_S,
    AssistConfig,
    CallStatus,
    PlacedCall,
    config_of,
    placed_of,
    status_of,
)
from offline_queue.errors import PlatformNotFound
from offline_queue.platform_http import PlatformHttp

ASSIST_CONFIG: Final = "GET /v1/assist/config"
PLACE_CALL: Final = "POST /v1/assist/calls"
CALL_STATUS: Final = "GET /v1/assist/calls/{call_id}"
HANG_UP_CALL: Final = "DELETE /v1/assist/calls/{call_id}"
#: a long poll's read time-out is its wait plus this (platform-api.md)
LONG_POLL_MARGIN_S: Final = 10.0


class AssistCalls(PlatformHttp):
    def assist_config(self) -> AssistConfig:
        """Whether a clerk is on duty, the hours to show otherwise, the ICE servers."""
        answer = self._call("GET", ASSIST_CONFIG, "/v1/assist/config")
        return self._read(ASSIST_CONFIG, answer, config_of)

    def place_call(self, offer_sdp: str, language: str, item_code: str | None = None,
                   session_id: str | None = None) -> PlacedCall:
        """Queue a call with a complete offer (no trickle ICE); nobody on duty raises
        :class:`~offline_queue.errors.NoClerks` (``retry_after_s`` as the platform says). A
        new call ends this device's previous one on the platform."""
        answer = self._call("POST", PLACE_CALL, "/v1/assist/calls", json={
            "offer": {"type": "offer", "sdp": offer_sdp}, "language": language,
            "item_code": item_code, "session_id": session_id})
        return self._read(PLACE_CALL, answer, placed_of)

    def call_status(self, call_id: str, wait_s: int) -> CallStatus:
        """The call's status once it changes or after ``wait_s`` seconds (a long poll, at
        most :data:`~civic.assist.MAX_WAIT_S`); read time-out ``wait_s`` + 10 s."""
        wait_s = max(0, min(int(wait_s), MAX_WAIT_S))
        configured = self.http.timeout
        timeout = httpx.Timeout(connect=configured.connect, write=configured.write,
                                pool=configured.pool, read=wait_s + LONG_POLL_MARGIN_S)
        answer = self._call("GET", CALL_STATUS, f"/v1/assist/calls/{call_id}",
                            params={"wait": wait_s}, timeout=timeout)
        return self._read(CALL_STATUS, answer, status_of)

    def hang_up_call(self, call_id: str, *, timeout_s: float | None = None) -> None:
        """End the call on the platform (either side may); a call it no longer has (404)
        is ended already. ``timeout_s`` bounds the whole exchange (a best-effort hang-up
        must not hold a closing call)."""
        kwargs: dict[str, Any] = {} if timeout_s is None else {"timeout": timeout_s}
        answer = self._send("DELETE", HANG_UP_CALL, f"/v1/assist/calls/{call_id}", **kwargs)
        error = self._error(HANG_UP_CALL, answer)
        if error is not None and not isinstance(error, PlatformNotFound):
            raise error

