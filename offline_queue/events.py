"""What the outbox tells its listeners: one frozen dataclass per kind of event.

Listeners (``Outbox.add_listener``) are called on the thread that caused the event: the
sync thread for a run's progress and deliveries, the caller's for an enqueue or a dismissal.
The application moves them to its GUI thread (``kiosk.ui.bridges.platform.OutboxBridge``).

``RunState`` is what a sync run is doing, or why it ended: it is not an item's
:class:`~offline_queue.states.State`. A run that ended ``OFFLINE`` found no answer at all;
``THROTTLED`` was told to wait (Retry-After); ``PAUSED`` had this terminal's token refused;
``FAULT`` could not use the queue's own storage (a full disk); ``BUSY`` found another run
under way; ``HELD`` ended with items waiting for their sender to sign in; ``IDLE``
delivered everything it could.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from offline_queue.senders import Sender
from offline_queue.states import State

__all__ = ["ItemChanged", "ItemDismissed", "Listener", "OutboxEvent", "PlatformReachable",
           "Progress", "RunState", "SenderRefused", "StatusUpdated"]


class RunState(StrEnum):
    IDLE = "idle"
    SYNCING = "syncing"
    HELD = "held"
    OFFLINE = "offline"
    THROTTLED = "throttled"
    PAUSED = "paused"
    FAULT = "fault"
    BUSY = "busy"


@dataclass(frozen=True)
class ItemChanged:
    """An item was queued (``PENDING``) or a delivery attempt changed its state."""

    submission_id: str
    state: State
    error: str | None = None


@dataclass(frozen=True)
class ItemDismissed:
    """A person closed a dead item without a correction (it stays dead)."""

    submission_id: str


@dataclass(frozen=True)
class StatusUpdated:
    """The platform's changes feed reported news of this item (case status)."""

    submission_id: str


@dataclass(frozen=True)
class SenderRefused:
    """The platform refused a sender's session (``senders.REFUSED_SENDER_CODES``)."""

    sender: Sender
    code: str


@dataclass(frozen=True)
class PlatformReachable:
    """After an offline run, the worker's health probe got an answer: the line is back."""


def _no_held() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Progress:
    """A run's progress (``SYNCING``, ``done`` of ``total``) or its end. ``held``: items per
    channel waiting for their sender; the rest is the queue's record, filled in by
    ``SyncEngine.progress()`` (events carry them only when a run just set them)."""

    state: RunState = RunState.IDLE
    done: int = 0
    total: int = 0
    held: Mapping[str, int] = field(default_factory=_no_held)
    last_error: str | None = None
    last_sync_at: float | None = None
    clock_skew_s: float | None = None

    @property
    def sending(self) -> bool:
        """A run is under way and has something to send."""
        return self.state is RunState.SYNCING and self.total > 0


OutboxEvent = (ItemChanged | ItemDismissed | StatusUpdated | SenderRefused | PlatformReachable
               | Progress)
#: ``listener(event)``; called on the thread that caused the event
Listener = Callable[[OutboxEvent], None]
