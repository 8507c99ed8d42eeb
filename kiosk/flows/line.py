"""What the status bar says about the line to the platform, from the outbox's own events.

The sync worker reports every run (``offline_queue.worker``, docs/outbox.md "Threads"): a
progress event ``syncing`` when it starts and one when it ends — ``idle`` or ``held`` (the
platform answered), ``offline`` (nothing reached it), ``throttled`` (it answered "busy",
Retry-After), ``paused`` (this terminal's token was refused), ``busy`` (another sender is
running); a ``connectivity`` event when its ``GET /v1/health`` probe gets an answer after
an offline run; and a ``state`` event per item it tried. :func:`follow` folds those into a
:class:`LineStatus`: nothing is inferred from a slow screen or a failed prefill.

One refinement: the engine ends a run ``offline`` only when every request failed to
*connect*; a connection the network drops after it was opened (a flaky line, the demo's
"cut network") leaves the item in ``retry_wait`` with an error starting "connection failed"
and the run ends ``idle``. A run that ends like that without delivering anything is
counted as offline too — it is the worker's own report that nothing got through.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any


class Line(StrEnum):
    UNKNOWN = "unknown"          # no run has ended yet (start-up)
    ONLINE = "online"
    OFFLINE = "offline"
    BUSY = "busy"                # the platform answered "try later" (throttled)
    PAUSED = "paused"            # the platform refused this terminal: a technician's matter
    NOT_ENROLLED = "not_enrolled"  # no credentials: nothing is ever sent


@dataclass(frozen=True)
class LineStatus:
    line: Line = Line.UNKNOWN
    waiting: int = 0                        # pending + in flight + retry_wait
    sending: tuple[int, int] | None = None  # (done, total) while a run is under way
    run_delivered: bool = False             # this run: something was sent
    run_unreached: bool = False             # this run: an item's connection failed

    @property
    def online(self) -> bool:
        return self.line in (Line.ONLINE, Line.BUSY)


#: how the outbox's wire layer begins the error of a request that got no answer
UNREACHED = "connection failed"

_RUN_END = {"idle": Line.ONLINE, "held": Line.ONLINE, "offline": Line.OFFLINE,
            "throttled": Line.BUSY, "paused": Line.PAUSED}


def follow(status: LineStatus, event: dict[str, Any], waiting: int | None = None) -> LineStatus:
    """The status after one outbox event (``waiting``: the queue's count, if re-read)."""
    if waiting is not None:
        status = replace(status, waiting=waiting)
    kind, state = event.get("kind"), event.get("state")
    if kind == "progress":
        if state == "syncing":
            return replace(status, sending=(int(event.get("done", 0)),
                                            int(event.get("total", 0))))
        line = _RUN_END.get(str(state), status.line)    # "busy": another run; no news
        if line is Line.ONLINE and status.run_unreached and not status.run_delivered:
            line = Line.OFFLINE
        return replace(status, line=line, sending=None, run_delivered=False,
                       run_unreached=False)
    if kind == "connectivity" and event.get("online"):
        return replace(status, line=Line.ONLINE)
    if kind == "state" and state == "sent":              # it went through: the line works
        return replace(status, line=Line.ONLINE, run_delivered=True)
    if kind == "state" and state == "retry_wait" \
            and str(event.get("error") or "").startswith(UNREACHED):
        return replace(status, run_unreached=True)
    return status
