"""Signalling without a platform: the offer goes straight to a :class:`ClerkPeer`.

For the engine's own tests (what the engine does with an answer, an end, a failure), so they
need no sandbox; the sandbox's signalling is tested through the real platform in
``scenarios.py``. Implements :class:`assist.signalling.Signalling`.
"""

from __future__ import annotations

import threading
import time

from assist.errors import SignallingError
from civic.assist import (
    AssistConfig,
    CallPhase,
    CallStatus,
    EndReason,
    PlacedCall,
)
from civic.text import Text
from tests.assist.clerk_peer import ClerkPeer

CALL_ID = "direct-call"


class DirectSignalling:
    """``peer`` answers after ``answer_after_s`` (None: nobody answers); ``fail_place``
    and ``fail_status`` make placing or every poll fail with that reason; :meth:`end` is
    the platform ending the call."""

    def __init__(self, peer: ClerkPeer | None, *, answer_after_s: float = 0.1,
                 fail_place: EndReason | None = None,
                 fail_status: EndReason | None = None) -> None:
        self.peer, self.answer_after_s, self.fail_place = peer, answer_after_s, fail_place
        self.fail_status = fail_status
        self.hung_up: list[str] = []
        self.offers: list[str] = []
        self.polls = 0
        self._changed = threading.Condition()
        self._offer: str | None = None
        self._answer: str | None = None
        self._placed_at = 0.0
        self._ended: EndReason | None = None

    def config(self) -> AssistConfig:
        return AssistConfig(True, Text("全天", "all day"), 0)

    def place(self, offer_sdp: str, language: str, item_code: str | None,
              session_id: str | None) -> PlacedCall:
        if self.fail_place is not None:
            raise SignallingError(self.fail_place, "as the test asked", retry_after_s=30)
        self._offer, self._placed_at = offer_sdp, time.monotonic()
        self.offers.append(offer_sdp)
        return PlacedCall(CALL_ID, 1)

    def status(self, call_id: str, wait_s: int) -> CallStatus:
        self.polls += 1
        if self.fail_status is not None:
            raise SignallingError(self.fail_status, "as the test asked")
        deadline = time.monotonic() + wait_s
        with self._changed:
            while True:
                if self._ended is not None:
                    return CallStatus(call_id, CallPhase.ENDED, ended_reason=self._ended)
                if self._answer is None and self.peer is not None and self._offer is not None \
                        and time.monotonic() >= self._placed_at + self.answer_after_s:
                    self._changed.release()     # answering takes a while: not under the lock
                    try:
                        answer = self.peer.answer(self._offer)
                    finally:
                        self._changed.acquire()
                    self._answer = answer
                    return CallStatus(call_id, CallPhase.ANSWERED, answer_sdp=answer,
                                      clerk_name="窗口1")
                left = deadline - time.monotonic()
                if left <= 0:
                    if self._answer is None:
                        return CallStatus(call_id, CallPhase.WAITING, queue_position=1)
                    return CallStatus(call_id, CallPhase.ANSWERED, answer_sdp=self._answer,
                                      clerk_name="窗口1")
                self._changed.wait(min(left, 0.05))

    def hang_up(self, call_id: str) -> None:
        with self._changed:
            self.hung_up.append(call_id)
            self._ended = self._ended or EndReason.HUNG_UP
            self._changed.notify_all()

    def end(self, reason: EndReason) -> None:
        """The platform ends the call (the clerk hung up, or it timed out)."""
        with self._changed:
            self._ended = reason
            self._changed.notify_all()
