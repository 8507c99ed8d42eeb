"""A signed-in agent, and automatic sign-out after inactivity (pure functions of a clock)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


def sign_out_due(last_activity: float, now: float, timeout_s: float) -> bool:
    """True once ``timeout_s`` have passed without activity (monotonic seconds)."""
    return now - last_activity >= timeout_s


class Inactivity:
    """Tracks the last touch, key or card event; :meth:`due` says when to sign out."""

    def __init__(self, timeout_s: float, clock: Callable[[], float]) -> None:
        if timeout_s <= 0:
            raise ValueError("the inactivity time-out must be positive")
        self.timeout_s = timeout_s
        self._clock = clock
        self._last = clock()

    def activity(self) -> None:
        self._last = self._clock()

    def remaining_s(self) -> float:
        return max(0.0, self.timeout_s - (self._clock() - self._last))

    def due(self) -> bool:
        return sign_out_due(self._last, self._clock(), self.timeout_s)


@dataclass(frozen=True)
class AgentProfile:
    """Who signed in: what the platform said at the last online sign-in."""

    agent_id: str
    display_name: str
    area: str
    agent_number: str


class AgentSession:
    """One sign-in. ``online`` means the platform issued a session token (``X-Agent-Token``).

    The PIN is kept in this object's memory only (never on disk, never in ``repr``) so the
    token can be renewed without asking again when signal returns after an offline
    sign-in; signing out forgets it.
    """

    def __init__(self, profile: AgentProfile, *, token: str | None, pin: str,
                 signed_in_at: float, offline_until: float) -> None:
        self.profile = profile
        self.signed_in_at = signed_in_at
        #: until when this agent may sign in offline on this terminal (wall clock)
        self.offline_until = offline_until
        self._token = token
        self._pin: str | None = pin
        self._lock = threading.Lock()

    @property
    def agent_id(self) -> str:
        return self.profile.agent_id

    @property
    def online(self) -> bool:
        return self.token() is not None

    def token(self) -> str | None:
        """The platform session token; read from the sync thread too."""
        with self._lock:
            return self._token

    def set_token(self, token: str | None) -> None:
        with self._lock:
            self._token = token

    def pin(self) -> str | None:
        return self._pin

    def forget(self) -> None:
        with self._lock:
            self._token = None
            self._pin = None

    def __repr__(self) -> str:
        return (f"AgentSession({self.profile.agent_id}, online={self._token is not None}, "
                f"area={self.profile.area!r})")
