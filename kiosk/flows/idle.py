"""Inactivity: a warning with a countdown, extendable without limit, then expiry.

Pure logic over an injected monotonic clock, so it is tested without waiting: the screens
call :meth:`IdleTracker.activity` on every touch, key or card event and :meth:`poll` about
once a second. WCAG 2.2.1 asks for a warning with at least 20 s to extend by one simple
action, extendable at least ten times; here it is extendable without limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class IdlePhase(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"        # "are you still there?" with a countdown
    EXPIRED = "expired"        # the session must be wiped


@dataclass(frozen=True)
class IdleStatus:
    phase: IdlePhase
    seconds_left: int = 0      # whole seconds of countdown left during WARNING


class IdleTracker:
    def __init__(self, warning_s: float, countdown_s: float,
                 clock: Callable[[], float]) -> None:
        if warning_s <= 0 or countdown_s <= 0:
            raise ValueError("idle times must be positive")
        self.warning_s = warning_s
        self.countdown_s = countdown_s
        self._clock = clock
        self._last = clock()
        self.extensions = 0
        self._paused = False

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Stop counting (a video call with a clerk is on: a citizen listening to the
        clerk touches nothing, and must not be logged out mid-sentence)."""
        self._paused = True

    def resume(self) -> None:
        """Count again, from now: the time spent on the call is not idle time."""
        if self._paused:
            self._paused = False
            self.activity()

    def activity(self) -> None:
        """A touch, key or card event: the citizen is there."""
        self._last = self._clock()

    def extend(self) -> None:
        """The big "continue" button on the warning: counts as activity, without limit."""
        self.extensions += 1
        self.activity()

    def reset(self) -> None:
        self.extensions = 0
        self._paused = False
        self.activity()

    def poll(self) -> IdleStatus:
        if self._paused:
            return IdleStatus(IdlePhase.ACTIVE)
        idle = self._clock() - self._last
        if idle < self.warning_s:
            return IdleStatus(IdlePhase.ACTIVE)
        left = self.warning_s + self.countdown_s - idle
        if left <= 0:
            return IdleStatus(IdlePhase.EXPIRED)
        return IdleStatus(IdlePhase.WARNING, math.ceil(left))
