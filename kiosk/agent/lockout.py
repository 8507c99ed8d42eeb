"""Lock-out after repeated wrong PINs, as a pure value and pure functions of the clock.

The counts live in the caller's persisted record (so restarting the app does not reset
them); these functions only decide. Used for agents' offline sign-in and for the
technician PIN. A caller reads the record, decides and writes it back while holding
:meth:`kiosk.agent.vault.Vault.exclusive` for it: otherwise parallel tries (threads, or two
processes over one data dir) all read the same count and each gets a try of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LockoutPolicy:
    #: wrong PINs in a row that lock sign-in
    max_failures: int = 5
    #: how long a lock lasts, seconds (the platform's own lock is 15 minutes too)
    lock_s: float = 15 * 60

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.lock_s <= 0:
            raise ValueError("a lock-out policy needs at least one attempt and a positive lock")


@dataclass(frozen=True)
class Attempts:
    """Wrong PINs since the last success, and until when sign-in is locked (wall clock)."""

    failures: int = 0
    locked_until: float | None = None

    def locked(self, now: float) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, policy: LockoutPolicy, now: float) -> Attempts:
        failures = self.failures + 1
        if failures >= policy.max_failures:
            return Attempts(0, now + policy.lock_s)   # the count restarts after the lock
        return Attempts(failures, None)

    def left(self, policy: LockoutPolicy) -> int:
        return max(0, policy.max_failures - self.failures)

    def as_dict(self) -> dict[str, float | int | None]:
        return {"failures": self.failures, "locked_until": self.locked_until}

    @classmethod
    def from_dict(cls, doc: object) -> Attempts:
        if not isinstance(doc, dict):
            return cls()
        failures = doc.get("failures", 0)
        until = doc.get("locked_until")
        return cls(failures if isinstance(failures, int) else 0,
                   float(until) if isinstance(until, int | float) else None)
