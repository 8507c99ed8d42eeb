"""What the status bar says about the line to the platform, from the outbox's own events.

The sync worker reports every run (``offline_queue.worker``, docs/outbox.md "Threads"): a
progress event ``syncing`` when it starts and one when it ends — ``idle`` or ``held`` (the
platform answered), ``offline`` (no request got an answer), ``throttled`` (it answered "busy",
Retry-After), ``paused`` (this terminal's token was refused), ``fault`` (the queue's own
storage failed: nothing is lost, a technician must look), ``busy`` (another sender is
running); a ``connectivity`` event when its ``GET /v1/health`` probe gets an answer after
an offline run; and a ``state`` event per item it tried. :func:`follow` folds those into a
:class:`LineStatus`: nothing is inferred from a slow screen, a failed prefill or the text
of an item's error. Whether the line is down is the engine's call: it ends a run
``offline`` when no request got an answer (refused, timed out connecting, or dropped, as
the demo's "cut network" does), so the run's end says it all; a delivery during a run
says the line works before the run has ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offline_queue.events import OutboxEvent


class Line(StrEnum):
    UNKNOWN = "unknown"          # no run has ended yet (start-up)
    ONLINE = "online"
    OFFLINE = "offline"
    BUSY = "busy"                # the platform answered "try later" (throttled)
    PAUSED = "paused"            # the platform refused this terminal: a technician's matter
    NOT_ENROLLED = "not_enrolled"  # no credentials: nothing is ever sent
    FAULT = "fault"              # the queue's own storage failed (a full disk): a technician


@dataclass(frozen=True)
class LineStatus:
    line: Line = Line.UNKNOWN
    waiting: int = 0                        # pending + in flight + retry_wait
    sending: tuple[int, int] | None = None  # (done, total) while a run is under way

    @property
    def online(self) -> bool:
        return self.line in (Line.ONLINE, Line.BUSY)


#: what a run's end (``offline_queue.events.RunState``) says of the line; ``busy`` (another
#: run is under way) says nothing
_RUN_END = {"idle": Line.ONLINE, "held": Line.ONLINE, "offline": Line.OFFLINE,
            "throttled": Line.BUSY, "paused": Line.PAUSED, "fault": Line.FAULT}


def follow(status: LineStatus, event: OutboxEvent, waiting: int | None = None) -> LineStatus:
    """The status after one outbox event (``waiting``: the queue's count, if re-read)."""
    # here, not at the top: the status bar (and so this module) is on the first screen, the
    # events come after it (~6 ms of dataclasses before the first frame otherwise)
    from offline_queue.events import ItemChanged, PlatformReachable, Progress, RunState
    from offline_queue.states import State

    if waiting is not None:
        status = replace(status, waiting=waiting)
    if isinstance(event, Progress):
        if event.state is RunState.SYNCING:
            return replace(status, sending=(event.done, event.total))
        line = _RUN_END.get(event.state, status.line)    # busy: another run; no news
        return replace(status, line=line, sending=None)
    if isinstance(event, PlatformReachable):
        return replace(status, line=Line.ONLINE)
    if isinstance(event, ItemChanged) and event.state is State.SENT:  # the line works
        return replace(status, line=Line.ONLINE)
    return status
