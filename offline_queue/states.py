"""Delivery states of one queued submission (the queue-level ``paused`` flag is separate).

pending ──► in_flight ──► sent
   ▲            │
   │            ├──► retry_wait ──(next_attempt_at passed)──► in_flight
   │            └──► dead  (422 validation / key reused, 413, 403, 400: never retried)
   └── in_flight found at start-up (the process died mid-request) goes back to pending.

``paused`` is a flag on the whole queue, set on 401: nothing is sent until re-enrolment,
and no item changes state because of it.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SENT = "sent"
    RETRY_WAIT = "retry_wait"
    DEAD = "dead"


#: states from which the sync engine may pick an item up
DELIVERABLE = (State.PENDING, State.RETRY_WAIT)
