"""The lock-out decisions and the inactivity sign-out, as pure functions of a clock."""

from __future__ import annotations

import pytest

from kiosk.agent.lockout import Attempts, LockoutPolicy
from kiosk.agent.session import Inactivity, sign_out_due


def test_lock_after_max_failures_then_count_restarts() -> None:
    """The fifth wrong PIN locks for the policy's time; the count starts again after it."""
    policy = LockoutPolicy(max_failures=5, lock_s=900)
    attempts = Attempts()
    for left in (4, 3, 2, 1):
        attempts = attempts.after_failure(policy, now=100.0)
        assert attempts.left(policy) == left and not attempts.locked(100.0)
    attempts = attempts.after_failure(policy, now=100.0)
    assert attempts.locked(100.0) and attempts.locked(999.9)
    assert not attempts.locked(1000.0)
    assert attempts.failures == 0


def test_attempts_round_trip_and_tolerate_garbage() -> None:
    """Persisted attempts come back equal; an unreadable record counts as no attempts."""
    attempts = Attempts(3, 1234.5)
    assert Attempts.from_dict(attempts.as_dict()) == attempts
    assert Attempts.from_dict("junk") == Attempts()
    assert Attempts.from_dict({"failures": "x", "locked_until": "y"}) == Attempts()


def test_policy_rejects_nonsense() -> None:
    """A policy with no allowed attempt or no lock time is refused at construction."""
    with pytest.raises(ValueError):
        LockoutPolicy(max_failures=0)
    with pytest.raises(ValueError):
        LockoutPolicy(lock_s=0)


@pytest.mark.parametrize(("idle", "due"), [(0, False), (899.9, False), (900, True), (5000, True)])
def test_sign_out_due_is_a_function_of_the_clock(idle: float, due: bool) -> None:
    """Sign-out is due exactly when the time-out has passed since the last activity."""
    assert sign_out_due(1000.0, 1000.0 + idle, 900) is due


def test_inactivity_follows_activity() -> None:
    """Activity restarts the countdown; without it the time-out comes due."""
    now = [0.0]
    idle = Inactivity(60, lambda: now[0])
    now[0] = 59
    assert not idle.due() and idle.remaining_s() == pytest.approx(1)
    idle.activity()
    now[0] = 118
    assert not idle.due()
    now[0] = 119
    assert idle.due() and idle.remaining_s() == 0
