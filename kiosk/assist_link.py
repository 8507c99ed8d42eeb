"""The call engine's signalling over the terminal's platform client (Qt-free).

:class:`PlatformSignalling` implements :class:`assist.signalling.Signalling` with
``offline_queue.platform.PlatformClient``'s assist calls, and is the one boundary where the
client's errors become :class:`assist.errors.SignallingError` with the reason the call ends
with:

* ``NoClerks`` (503/429 ``no_clerks``) → ``NO_CLERKS``, carrying ``Retry-After``;
* ``PlatformUnavailable`` (refused, a time-out, no answer, 5xx) → ``NETWORK_LOST``;
* anything else the platform refused or answered unreadably → ``PLATFORM_FAILED``.

No answer here feeds the outbox's back-off: a video call's limits are that call's alone
(platform-api.md, "Limits that are not queue-wide"), and the platform client never touches
the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final, TypeVar

from assist.errors import SignallingError
from civic.assist import AssistConfig, CallStatus, EndReason, PlacedCall
from offline_queue.errors import NoClerks, PlatformError, PlatformUnavailable
from offline_queue.platform import PlatformClient

log = logging.getLogger(__name__)
T = TypeVar("T")

#: a hang-up is a best effort on a closing call: it never holds the call's end longer
HANG_UP_TIMEOUT_S: Final = 3.0


def end_reason(exc: PlatformError) -> EndReason:
    """The reason a call ends with when the platform client raised ``exc``."""
    if isinstance(exc, NoClerks):
        return EndReason.NO_CLERKS
    if isinstance(exc, PlatformUnavailable):
        return EndReason.NETWORK_LOST
    return EndReason.PLATFORM_FAILED


class PlatformSignalling:
    """:class:`assist.signalling.Signalling` over ``client`` (which the caller owns and
    closes). Blocking, thread-safe as httpx's client is: the engine polls on one executor
    thread while hanging up on another."""

    def __init__(self, client: PlatformClient) -> None:
        self._client = client

    def config(self) -> AssistConfig:
        return self._ask(self._client.assist_config)

    def place(self, offer_sdp: str, language: str, item_code: str | None,
              session_id: str | None) -> PlacedCall:
        return self._ask(lambda: self._client.place_call(offer_sdp, language, item_code,
                                                         session_id))

    def status(self, call_id: str, wait_s: int) -> CallStatus:
        return self._ask(lambda: self._client.call_status(call_id, wait_s))

    def hang_up(self, call_id: str) -> None:
        self._ask(lambda: self._client.hang_up_call(call_id, timeout_s=HANG_UP_TIMEOUT_S))

    @staticmethod
    def _ask(call: Callable[[], T]) -> T:
        try:
            return call()
        except PlatformError as exc:
            reason = end_reason(exc)
            log.info("assist.signalling_failed", extra={"ctx": {
                "call": exc.call, "status": exc.status, "code": exc.code,
                "reason": reason.value}})
            raise SignallingError(reason, exc.detail,
                                  retry_after_s=exc.retry_after_s) from exc
