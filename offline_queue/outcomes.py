"""What the store hands the sync engine (a claimed item) and takes back (an outcome)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offline_queue.senders import Sender
from offline_queue.states import State


@dataclass(frozen=True)
class Claimed:
    """An item taken for one delivery attempt: its exact body bytes and the blobs it names."""

    id: str
    body: bytes
    blobs: tuple[str, ...]
    attempts: int


@dataclass(frozen=True)
class Claim:
    """What one claim took: the sender whose items they are, the items to send, and the ids
    of items that could not be read back (now dead as damaged, not sent)."""

    sender: Sender | None
    items: list[Claimed]
    damaged: list[str]


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one delivery attempt of one item came to."""

    id: str
    state: State
    http_status: int | None = None
    error: str | None = None
    delay_s: float = 0.0
    case_number: str | None = None
    platform_status: str | None = None
    reasons: dict[str, Any] | None = None
    count_attempt: bool = True
