"""Video calls from terminals to hall clerks: the signalling state (platform-api.md, "Video
help from a clerk").

The platform only relays a call's offer and answer; the media flow peer to peer. A call is
therefore signalling that lives for minutes, and it is kept **in memory**, not in SQLite:
nothing of it is worth keeping after it ends (the spec keeps nothing of a call, and the
SDP bodies hold the parties' IP addresses, which have no business on disk), a restarted
platform cannot resume a peer connection anyway, and the long poll needs an in-process
:class:`threading.Condition` to wake waiters the moment a call changes.

One lock (the condition's) guards every call, so the rules hold under the server's one
thread per connection: of two clerks accepting one call exactly one gets it (the other
``409 taken``), a new call from a device ends its previous one (``replaced``) in the same
step, and an answer after the citizen hung up is ``409 ended``.

Time is the platform's clock (injectable), read lazily: a call nobody answered within
:data:`NO_ANSWER_S` ends (``no_answer``) when anyone next looks at it — a read, the queue,
or a long poll waking. A long poll's own length ``S`` is real time (a client's read
time-out is ``S`` + 10 s).

A long poll answers as soon as the call changed *since this caller last saw it*: each
answer records the version the caller was shown, so a change that lands between two polls
is answered at once by the next one, instead of waiting out its ``S``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from central.clock import Clock
from central.errors import Conflict, Forbidden, NotFound
from civic.assist import MAX_WAIT_S, CallPhase, EndReason

log = logging.getLogger(__name__)

NO_ANSWER_S: Final = 10 * 60
#: a clerk who accepted a call must post the answer within this; else the call ends
#: ``timeout`` (the console crashed or lost its network between accept and answer)
ACCEPT_TO_ANSWER_S: Final = 2 * 60
#: ended calls stay readable this long, so both sides learn how the call ended
KEEP_ENDED_S: Final = 60 * 60


class CallerKind(StrEnum):
    DEVICE = "device"
    CLERK = "clerk"


@dataclass(frozen=True)
class Caller:
    """Who is asking: the device that placed a call, or a signed-in clerk."""

    kind: CallerKind
    caller_id: str
    display_name: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.caller_id}"


@dataclass(frozen=True)
class Placement:
    """What a terminal sends to place a call."""

    device_id: str
    device_kind: str
    site_name: str
    offer_sdp: str
    language: str
    item_code: str | None
    session_id: str | None


@dataclass
class _Call:
    call_id: str
    placement: Placement
    placed_at: dt.datetime
    status: CallPhase = CallPhase.WAITING
    clerk: Caller | None = None
    accepted_at: dt.datetime | None = None
    answer_sdp: str | None = None
    ended_reason: EndReason | None = None
    ended_at: dt.datetime | None = None
    seq: int = 0                 # placing order: the queue's order, whatever the clock says
    queue_position: int = 0
    version: int = 1
    seen: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueEntry:
    """A waiting call as a clerk sees it: no personal data."""

    call_id: str
    site_name: str
    device_kind: str
    language: str
    item_code: str | None
    waited_s: int


class CallBoard:
    """Every call of the platform, behind one condition."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._calls: dict[str, _Call] = {}
        self._order = itertools.count()
        self._closed = False

    # --- the terminal's side -------------------------------------------------------------

    def place(self, placement: Placement, now: dt.datetime) -> dict[str, Any]:
        """A new waiting call; the device's live call, if any, ends ``replaced``."""
        with self._changed:
            call = _Call(f"call-{uuid.uuid4().hex}", placement, now, seq=next(self._order))
            self._expire(now)
            for old in self._calls.values():
                if old.placement.device_id == placement.device_id \
                        and old.status is not CallPhase.ENDED:
                    self._end(old, EndReason.REPLACED, now)
            self._calls[call.call_id] = call
            self._requeue()
            log.info("assist.call_placed", extra={"ctx": {"call_id": call.call_id}})
            return self._shown(call, Caller(CallerKind.DEVICE, placement.device_id), now)

    def waiting(self, now: dt.datetime) -> int:
        with self._changed:
            self._expire(now)
            return sum(1 for c in self._calls.values() if c.status is CallPhase.WAITING
                       and c.clerk is None)

    # --- either side ---------------------------------------------------------------------

    def read(self, call_id: str, caller: Caller, now: dt.datetime) -> dict[str, Any]:
        with self._changed:
            self._expire(now)
            return self._shown(self._visible(call_id, caller), caller, now)

    def wait(self, call_id: str, caller: Caller, wait_s: float,
             clock: Clock) -> dict[str, Any]:
        """The call once it changed since ``caller`` last saw it, or after ``wait_s``."""
        until = time.monotonic() + wait_s
        with self._changed:
            self._expire(clock())
            call = self._visible(call_id, caller)
            baseline = call.seen.get(caller.key, call.version)
            while call.version <= baseline and not self._closed:
                left = until - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(min(left, self._next_deadline_s(call, clock())))
                self._expire(clock())
            return self._shown(call, caller, clock())

    def hang_up(self, call_id: str, caller: Caller, now: dt.datetime) -> None:
        """Either side ends the call; hanging up an ended call changes nothing."""
        with self._changed:
            self._expire(now)
            call = self._visible(call_id, caller)
            # A clerk ends only a call they took: a waiting call is not turned away by
            # whoever happens to look at the queue.
            if caller.kind is CallerKind.CLERK and (call.clerk is None or
                                                    call.clerk.caller_id != caller.caller_id):
                raise Forbidden("not_your_call", "only the clerk who took this call may end it")
            if call.status is not CallPhase.ENDED:
                self._end(call, EndReason.HUNG_UP if caller.kind is CallerKind.DEVICE
                          else EndReason.CLERK_HUNG_UP, now)

    # --- the clerk's side ----------------------------------------------------------------

    def queue(self, now: dt.datetime) -> list[QueueEntry]:
        with self._changed:
            self._expire(now)
            waiting = sorted((c for c in self._calls.values()
                              if c.status is CallPhase.WAITING and c.clerk is None),
                             key=lambda c: c.queue_position)
            return [QueueEntry(c.call_id, c.placement.site_name, c.placement.device_kind,
                               c.placement.language, c.placement.item_code,
                               max(0, int((now - c.placed_at).total_seconds())))
                    for c in waiting]

    def accept(self, call_id: str, clerk: Caller, now: dt.datetime) -> str:
        """Take a waiting call: its offer (again, to the clerk who took it and has not
        answered yet). ``409 taken`` or ``409 ended``."""
        with self._changed:
            self._expire(now)
            call = self._visible(call_id, clerk)
            if call.status is CallPhase.ENDED:
                raise Conflict("ended", "this call has ended")
            if call.clerk is not None:
                if call.clerk.key == clerk.key and call.answer_sdp is None:
                    # the same clerk again before answering: a browser that lost the first
                    # answer (a stale keep-alive connection after a network blip) retries
                    # the POST; taken "by another clerk" would strand the call
                    return call.placement.offer_sdp
                raise Conflict("taken", "another clerk took this call")
            call.clerk, call.accepted_at = clerk, now
            self._requeue()
            self._touch(call)
            call.seen[clerk.key] = call.version
            log.info("assist.call_accepted", extra={"ctx": {"call_id": call_id}})
            return call.placement.offer_sdp

    def answer(self, call_id: str, clerk: Caller, answer_sdp: str, now: dt.datetime) -> None:
        """The accepting clerk's answer; the call is answered. ``409 ended``."""
        with self._changed:
            self._expire(now)
            call = self._visible(call_id, clerk)
            if call.status is CallPhase.ENDED:
                raise Conflict("ended", "this call has ended")
            if call.clerk is None or call.clerk.caller_id != clerk.caller_id:
                raise Conflict("not_accepted", "accept the call before answering it")
            if call.status is CallPhase.ANSWERED:
                raise Conflict("answered", "this call was answered already")
            call.status, call.answer_sdp = CallPhase.ANSWERED, answer_sdp
            self._touch(call)
            call.seen[clerk.key] = call.version
            log.info("assist.call_answered", extra={"ctx": {"call_id": call_id}})

    def close(self) -> None:
        """The server is stopping: every long poll answers now."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    # --- inside the lock -----------------------------------------------------------------

    def _visible(self, call_id: str, caller: Caller) -> _Call:
        call = self._calls.get(call_id)
        if call is None or (caller.kind is CallerKind.DEVICE
                            and call.placement.device_id != caller.caller_id):
            raise NotFound("call_not_found", "no such call for this caller")
        return call

    def _shown(self, call: _Call, caller: Caller, now: dt.datetime) -> dict[str, Any]:
        call.seen[caller.key] = call.version
        return {"call_id": call.call_id, "status": str(call.status),
                "queue_position": call.queue_position,
                "answer": {"type": "answer", "sdp": call.answer_sdp}
                if call.answer_sdp is not None and call.status is CallPhase.ANSWERED
                else None,
                "clerk": {"display_name": call.clerk.display_name} if call.clerk else None,
                "ended_reason": str(call.ended_reason) if call.ended_reason else None}

    def _touch(self, call: _Call) -> None:
        call.version += 1
        self._changed.notify_all()

    def _end(self, call: _Call, reason: EndReason, now: dt.datetime) -> None:
        call.status, call.ended_reason, call.ended_at = CallPhase.ENDED, reason, now
        call.queue_position = 0
        self._touch(call)
        self._requeue()
        log.info("assist.call_ended", extra={"ctx": {"call_id": call.call_id,
                                                     "reason": str(reason)}})

    def _requeue(self) -> None:
        """Number the calls nobody took yet, 1 first; a call whose number moved changed."""
        waiting = sorted((c for c in self._calls.values()
                          if c.status is CallPhase.WAITING and c.clerk is None),
                         key=lambda c: (c.placed_at, c.call_id))
        numbers = {c.call_id: n for n, c in enumerate(waiting, start=1)}
        for call in self._calls.values():
            position = numbers.get(call.call_id, 0)
            if call.queue_position != position:
                call.queue_position = position
                self._touch(call)

    def _expire(self, now: dt.datetime) -> None:
        for call in list(self._calls.values()):
            if call.status is CallPhase.ENDED:
                if call.ended_at is not None and \
                        (now - call.ended_at).total_seconds() > KEEP_ENDED_S:
                    del self._calls[call.call_id]
            elif call.status is CallPhase.WAITING:
                if (now - call.placed_at).total_seconds() >= NO_ANSWER_S:
                    self._end(call, EndReason.NO_ANSWER, now)
                elif call.accepted_at is not None and \
                        (now - call.accepted_at).total_seconds() >= ACCEPT_TO_ANSWER_S:
                    self._end(call, EndReason.TIMEOUT, now)

    def _next_deadline_s(self, call: _Call, now: dt.datetime) -> float:
        """Seconds until this call would expire (so a long poll wakes to end it)."""
        if call.status is not CallPhase.WAITING:
            return float(MAX_WAIT_S)
        left = NO_ANSWER_S - (now - call.placed_at).total_seconds()
        if call.accepted_at is not None:
            left = min(left, ACCEPT_TO_ANSWER_S - (now - call.accepted_at).total_seconds())
        return max(0.05, left)
