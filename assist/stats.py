"""What flowed in a call, counted on the engine's thread and read from any other."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from civic.assist import CallMessage, EndReason


@dataclass(frozen=True)
class CallStats:
    """A call's counts so far; the instants are :func:`time.monotonic` values."""

    answered: bool = False
    connected: bool = False
    frames_sent: int = 0
    frames_received: int = 0
    messages_received: tuple[CallMessage, ...] = ()
    answered_at: float | None = None
    connected_at: float | None = None
    first_remote_frame_at: float | None = None
    call_id: str | None = None
    ended: EndReason | None = None

    @property
    def answer_to_first_frame_s(self) -> float | None:
        """Seconds from the clerk's answer reaching the terminal to the first frame of the
        clerk's video decoded here; None until both happened."""
        if self.answered_at is None or self.first_remote_frame_at is None:
            return None
        return self.first_remote_frame_at - self.answered_at


class Tally:
    """The engine's counters behind one lock (frames are counted 15–30 times a second, so
    they are plain ints here, and a :class:`CallStats` is made only when asked for)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent = self._received = 0
        self._messages: list[CallMessage] = []
        self._answered_at: float | None = None
        self._connected_at: float | None = None
        self._first_frame_at: float | None = None
        self._call_id: str | None = None
        self._ended: EndReason | None = None

    def placed(self, call_id: str) -> None:
        with self._lock:
            self._call_id = call_id

    def answered(self) -> None:
        with self._lock:
            self._answered_at = self._answered_at or time.monotonic()

    def connected(self) -> None:
        with self._lock:
            self._connected_at = self._connected_at or time.monotonic()

    def frame_sent(self) -> None:
        with self._lock:
            self._sent += 1

    def frame_received(self) -> None:
        with self._lock:
            self._received += 1
            if self._first_frame_at is None:
                self._first_frame_at = time.monotonic()

    def message(self, message: CallMessage) -> None:
        with self._lock:
            self._messages.append(message)

    def ended(self, reason: EndReason) -> None:
        with self._lock:
            self._ended = reason

    def snapshot(self) -> CallStats:
        with self._lock:
            return CallStats(answered=self._answered_at is not None,
                             connected=self._connected_at is not None,
                             frames_sent=self._sent, frames_received=self._received,
                             messages_received=tuple(self._messages),
                             answered_at=self._answered_at, connected_at=self._connected_at,
                             first_remote_frame_at=self._first_frame_at,
                             call_id=self._call_id, ended=self._ended)
