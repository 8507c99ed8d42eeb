"""What "thinking ahead" needs from outside: one small protocol and the answers it gives.

:class:`AheadService` is asynchronous like every flow service (``kiosk.flows.services``):
the flow calls it on the GUI thread with a ``done`` callback that is called back on the GUI
thread. :class:`PlatformAhead` implements it over any :class:`CallRunner` (the Qt bridge's
``platform`` worker, ``PrefillBridge.call``, which also opens and closes the card sessions,
so a read never overtakes the session it names). The blocking jobs are plain functions
here, so the flow's tests can run them synchronously against the real sandbox.

Every answer is an :class:`AheadResult`: the value, or the :class:`AheadOutcome` that says
why there is none, decided from the platform client's typed errors in one place
(:func:`outcome_of`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from kiosk.lazy import lazy

if TYPE_CHECKING:
    from civic.ahead import Appointment, DaySlots, Eligible, Hall
    from civic.pii import Personal
    from offline_queue import errors as queue_errors
    from offline_queue.platform import PlatformClient
else:
    queue_errors = lazy("offline_queue.errors")

log = logging.getLogger(__name__)
T = TypeVar("T")


class AheadOutcome(StrEnum):
    """Why a "thinking ahead" answer has no value (OK: it has one)."""

    OK = "ok"
    OFFLINE = "offline"                # no answer, 5xx, not enrolled: it needs the network
    NO_SESSION = "no_session"          # 403 no_session: the card session is gone
    SLOT_FULL = "slot_full"            # 409 slot_full: choose another slot
    ALREADY_BOOKED = "already_booked"  # 409 already_booked: ``existing`` names it
    NOT_FOUND = "not_found"            # 404: no such hall, appointment or item here
    REFUSED = "refused"                # 401/403 other than no_session, 429 session_rate
    ERROR = "error"                    # a wrong request or an unreadable answer (a bug)


@dataclass(frozen=True)
class AheadResult(Generic[T]):
    outcome: AheadOutcome
    value: T | None = None
    existing: Appointment | None = field(default=None)   # with ALREADY_BOOKED

    @property
    def ok(self) -> bool:
        return self.outcome is AheadOutcome.OK


def outcome_of(exc: queue_errors.PlatformError) -> AheadOutcome:
    """What a refused call means for the flow (the client's table decided the error)."""
    if isinstance(exc, queue_errors.SlotFull):
        return AheadOutcome.SLOT_FULL
    if isinstance(exc, queue_errors.AlreadyBooked):
        return AheadOutcome.ALREADY_BOOKED
    if isinstance(exc, queue_errors.NoCardSession):
        return AheadOutcome.NO_SESSION
    if isinstance(exc, queue_errors.PlatformNotFound):
        return AheadOutcome.NOT_FOUND
    if isinstance(exc, queue_errors.PlatformUnavailable):    # no answer, 5xx, 429
        return AheadOutcome.OFFLINE
    if isinstance(exc, queue_errors.AccessRefused | queue_errors.SessionRateLimited):
        return AheadOutcome.REFUSED
    return AheadOutcome.ERROR


def _run(call: str, job: Callable[[], T]) -> AheadResult[T]:
    """``job()`` as a result; a platform error told as its outcome and logged (no data)."""
    try:
        return AheadResult(AheadOutcome.OK, job())
    except queue_errors.PlatformError as exc:
        outcome = outcome_of(exc)
        level = logging.WARNING if outcome is AheadOutcome.ERROR else logging.INFO
        log.log(level, "ahead.refused", extra={"ctx": {"call": call, "outcome": str(outcome),
                                                        "status": exc.status,
                                                        "code": exc.code}})
        existing = getattr(exc, "existing", None)
        return AheadResult(outcome, existing=existing)


# -- the blocking jobs (a worker thread runs them) --------------------------------------------

def read_eligible(client: PlatformClient, id_number: Personal, session_id: str,
                  agent_token: str | None = None) -> AheadResult[Eligible]:
    return _run("eligible", lambda: client.eligible(id_number, session_id,
                                                    agent_token=agent_token))


def read_halls(client: PlatformClient, item_code: str) -> AheadResult[tuple[Hall, ...]]:
    return _run("halls", lambda: client.halls(item_code))


def read_slots(client: PlatformClient, hall_id: str, item_code: str,
               day: dt.date | None) -> AheadResult[DaySlots]:
    return _run("slots", lambda: client.slots(hall_id, item_code, day))


@dataclass(frozen=True)
class BookingRequest:
    """One booking as the citizen confirmed it; ``key`` stays the same for a retry."""

    key: str
    hall_id: str
    item_code: str
    slot_start: str


def make_booking(client: PlatformClient, session_id: str, request: BookingRequest,
                 agent_token: str | None = None) -> AheadResult[Appointment]:
    return _run("book", lambda: client.book(session_id, request.key, request.hall_id,
                                            request.item_code, request.slot_start,
                                            agent_token=agent_token))


def cancel_booking(client: PlatformClient, appointment_id: str, session_id: str,
                   agent_token: str | None = None) -> AheadResult[bool]:
    return _run("cancel", lambda: client.cancel_appointment(appointment_id, session_id,
                                                            agent_token=agent_token))


# -- the service ----------------------------------------------------------------------------

class AheadService(Protocol):
    def eligible(self, id_number: Personal, session_id: str,
                 done: Callable[[AheadResult[Eligible]], None]) -> None: ...

    def halls(self, item_code: str,
              done: Callable[[AheadResult[tuple[Hall, ...]]], None]) -> None: ...

    def slots(self, hall_id: str, item_code: str, day: dt.date | None,
              done: Callable[[AheadResult[DaySlots]], None]) -> None: ...

    def book(self, session_id: str, request: BookingRequest,
             done: Callable[[AheadResult[Appointment]], None]) -> None: ...

    def cancel(self, appointment_id: str, session_id: str,
               done: Callable[[AheadResult[bool]], None]) -> None: ...


class CallRunner(Protocol):
    """Runs a blocking platform call off the GUI thread and hands its answer back on it;
    ``offline`` is the answer when the terminal is not enrolled (``PrefillBridge.call``)."""

    def call(self, job: Callable[[PlatformClient], T], done: Callable[[T], None],
             offline: T) -> None: ...


def _offline() -> AheadResult[Any]:
    """The answer of a terminal that is not enrolled: it needs the network (the platform)."""
    return AheadResult(AheadOutcome.OFFLINE)


class PlatformAhead:
    """:class:`AheadService` over a :class:`CallRunner`; ``agent_token`` names the signed-in
    agent on an agent's terminal (None at a kiosk)."""

    def __init__(self, runner: CallRunner,
                 agent_token: Callable[[], str | None] | None = None) -> None:
        self._runner = runner
        self._agent_token = agent_token or (lambda: None)

    def eligible(self, id_number: Personal, session_id: str,
                 done: Callable[[AheadResult[Eligible]], None]) -> None:
        token = self._agent_token()
        self._runner.call(lambda c: read_eligible(c, id_number, session_id, token), done,
                          _offline())

    def halls(self, item_code: str,
              done: Callable[[AheadResult[tuple[Hall, ...]]], None]) -> None:
        self._runner.call(lambda c: read_halls(c, item_code), done,
                          _offline())

    def slots(self, hall_id: str, item_code: str, day: dt.date | None,
              done: Callable[[AheadResult[DaySlots]], None]) -> None:
        self._runner.call(lambda c: read_slots(c, hall_id, item_code, day), done,
                          _offline())

    def book(self, session_id: str, request: BookingRequest,
             done: Callable[[AheadResult[Appointment]], None]) -> None:
        token = self._agent_token()
        self._runner.call(lambda c: make_booking(c, session_id, request, token), done,
                          _offline())

    def cancel(self, appointment_id: str, session_id: str,
               done: Callable[[AheadResult[bool]], None]) -> None:
        token = self._agent_token()
        self._runner.call(lambda c: cancel_booking(c, appointment_id, session_id, token),
                          done, _offline())
