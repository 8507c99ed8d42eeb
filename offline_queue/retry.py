"""The retry policy: a pure function of (attempt, Retry-After, policy) → delay in seconds.

Exponential back-off with full jitter (AWS architecture blog, "Exponential Backoff And
Jitter"): the delay is uniform in ``[0, min(cap, base * multiplier ** attempt)]``, so a fleet
of terminals coming back after an outage spreads out instead of knocking together. A
platform's ``Retry-After`` is a floor: we never call sooner than it asked.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 1.0
    multiplier: float = 2.0
    cap_s: float = 300.0
    #: consecutive connection failures after which a run stops: the network is down
    give_up_after: int = 3

    def __post_init__(self) -> None:
        if not (self.base_s > 0 and self.multiplier >= 1 and self.cap_s >= self.base_s):
            raise ValueError("RetryPolicy needs base_s > 0, multiplier >= 1, cap_s >= base_s")


def backoff_delay(attempt: int, retry_after_s: float | None, policy: RetryPolicy,
                  rand: Callable[[], float]) -> float:
    """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 0).

    ``rand`` returns a float in [0, 1); tests pass a fixed one.
    """
    exponent = min(max(attempt, 0), 64)  # beyond 2**64 the cap has long applied
    ceiling = min(policy.cap_s, policy.base_s * policy.multiplier ** exponent)
    delay = rand() * ceiling
    if retry_after_s is not None and retry_after_s > delay:
        delay = retry_after_s
    return delay


def parse_retry_after(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds from ``now``: delta-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)
