"""The retry policy as a pure function: bounds, growth, cap and Retry-After."""

from __future__ import annotations

import email.utils

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offline_queue.retry import RetryPolicy, backoff_delay, parse_retry_after

policies = st.builds(RetryPolicy, base_s=st.floats(0.01, 10), multiplier=st.floats(1, 4),
                     cap_s=st.floats(10, 3600))
fractions = st.floats(0, 1, exclude_max=True)


@given(st.integers(0, 10_000), policies, fractions)
def test_delay_within_full_jitter_bounds(attempt: int, policy: RetryPolicy, r: float) -> None:
    """Without Retry-After the delay is in [0, min(cap, base * m^attempt)]."""
    delay = backoff_delay(attempt, None, policy, lambda: r)
    assert 0 <= delay <= min(policy.cap_s, policy.base_s * policy.multiplier ** min(attempt, 64))


@given(st.integers(0, 10_000), st.floats(0, 10_000), policies, fractions)
def test_retry_after_is_a_floor(attempt: int, after: float, policy: RetryPolicy,
                                r: float) -> None:
    """A Retry-After is never undercut, and does not lift the delay further than needed."""
    delay = backoff_delay(attempt, after, policy, lambda: r)
    assert delay >= after
    assert delay == max(after, backoff_delay(attempt, None, policy, lambda: r))


@given(policies, fractions)
def test_ceiling_grows_then_caps(policy: RetryPolicy, r: float) -> None:
    """With the same random draw the delay never shrinks as attempts grow."""
    delays = [backoff_delay(a, None, policy, lambda: r) for a in range(80)]
    assert delays == sorted(delays)
    top = min(policy.cap_s, policy.base_s * policy.multiplier ** 64)
    assert delays[-1] == pytest.approx(r * top)


def test_jitter_uses_the_injected_source() -> None:
    """The random source decides where in the window the delay falls."""
    policy = RetryPolicy(base_s=1, multiplier=2, cap_s=300)
    assert backoff_delay(3, None, policy, lambda: 0.5) == 4.0
    assert backoff_delay(3, None, policy, lambda: 0.0) == 0.0


def test_bad_policy_is_refused() -> None:
    """A policy whose cap is below its base is a programming error."""
    with pytest.raises(ValueError):
        RetryPolicy(base_s=10, cap_s=1)


def test_parse_retry_after_seconds_and_date() -> None:
    """Retry-After as delta-seconds and as an HTTP date both become seconds from now."""
    assert parse_retry_after("7", 0) == 7.0
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(date, 1_000_000) == pytest.approx(30)
    assert parse_retry_after("soon", 0) is None and parse_retry_after(None, 0) is None
