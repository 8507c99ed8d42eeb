"""Thinking ahead for the citizen (少操心): the wire shapes of "For you", halls and booking.

The platform API ("Thinking ahead for the citizen") answers four things the terminal shows:
the items a resident can apply for now (:class:`EligibleItem`, read in the card session),
the service halls that handle an item with their live queues (:class:`Hall`), a hall's free
appointment slots (:class:`Slot`, :class:`DaySlots`) and a booked appointment
(:class:`Appointment`). This module reads each answer into those types
(:func:`eligible_of`, :func:`halls_of`, :func:`slots_of`, :func:`appointment_of`) and holds
the two rules both sides must apply alike: which halls come first (:func:`by_expected_wait`)
and when a hall's figures are too old to be shown without their age (:func:`stale`).

Pure: no socket, thread or clock (the caller hands the time in). A malformed answer raises
:class:`~civic.errors.AheadAnswerInvalid`, never a ``KeyError`` deep in a caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from civic.errors import AheadAnswerInvalid
from civic.text import Text

#: a terminal shows a hall's ``updated_at`` when the figures are older than this
STALE_AFTER: Final = dt.timedelta(minutes=5)
#: the halls keep China Standard Time: slot times are shown in it, whatever zone the
#: terminal's own clock is set to (a hall's "09:00" is the hall's)
HALL_ZONE: Final = dt.timezone(dt.timedelta(hours=8), "CST")


def hall_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` as the halls' clocks show it (:data:`HALL_ZONE`)."""
    return moment.astimezone(HALL_ZONE)


@dataclass(frozen=True)
class EligibleItem:
    """One item the resident can apply for now, why, and by when (None: no date)."""

    item_code: str
    reason: Text
    due_by: dt.date | None = None


@dataclass(frozen=True)
class Eligible:
    """``GET /v1/residents/{id}/eligible``: the platform's list, most pressing first."""

    generated_at: dt.datetime | None
    items: tuple[EligibleItem, ...]


@dataclass(frozen=True)
class Hall:
    """A service hall that handles an item, with its live queue as of ``updated_at``."""

    hall_id: str
    name: Text
    address: Text
    hours: Text
    open_now: bool
    waiting: int
    average_wait_min: int
    updated_at: dt.datetime

    def age(self, now: dt.datetime) -> dt.timedelta:
        """How old the queue figures are at ``now`` (never negative: clocks differ)."""
        return max(now - self.updated_at, dt.timedelta(0))


@dataclass(frozen=True)
class Slot:
    """A bookable slot of a hall: its span and the places still free."""

    start: dt.datetime
    end: dt.datetime
    free: int

    @property
    def start_text(self) -> str:
        """The start exactly as the platform wrote it is what a booking names; this is the
        canonical RFC 3339 form with its offset, which the platform reads back alike."""
        return self.start.isoformat()


@dataclass(frozen=True)
class DaySlots:
    """``GET /v1/halls/{id}/slots``: the slots of one day (``day`` None: none to come)."""

    hall_id: str
    day: dt.date | None
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Appointment:
    """A booked appointment: what the slip prints and what cancelling names."""

    appointment_id: str
    hall_id: str
    item_code: str
    slot_start: dt.datetime
    slot_end: dt.datetime
    ticket: str
    verify_url: str


# -- rules both sides apply -------------------------------------------------------------------

def by_expected_wait(halls: Iterable[Hall]) -> tuple[Hall, ...]:
    """Open halls first, the shortest expected wait first (then the fewest waiting); closed
    halls last. Stable, so the platform's order decides ties."""
    return tuple(sorted(halls, key=lambda h: (not h.open_now, h.average_wait_min
                                              if h.open_now else 0, h.waiting
                                              if h.open_now else 0)))


def stale(hall: Hall, now: dt.datetime) -> bool:
    """Whether the hall's figures are older than :data:`STALE_AFTER` at ``now``."""
    return hall.age(now) > STALE_AFTER


# -- reading answers ---------------------------------------------------------------------------

def _need(doc: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = doc.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise AheadAnswerInvalid(f"{key!r} missing or not {getattr(kind, '__name__', kind)}")
    return value


def _text(doc: Mapping[str, Any], key: str) -> Text:
    value = doc.get(key)
    if not isinstance(value, Mapping) or not isinstance(value.get("zh"), str):
        raise AheadAnswerInvalid(f"{key!r} is not a {{zh, en}} text")
    return Text(value["zh"], str(value.get("en") or value["zh"]))


def _moment(value: Any, key: str) -> dt.datetime:
    if not isinstance(value, str):
        raise AheadAnswerInvalid(f"{key!r} missing or not a time")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise AheadAnswerInvalid(f"{key!r} is not an RFC 3339 time") from exc
    if moment.tzinfo is None:
        raise AheadAnswerInvalid(f"{key!r} has no UTC offset")
    return moment


def _day(value: Any, key: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise AheadAnswerInvalid(f"{key!r} is not a YYYY-MM-DD day")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise AheadAnswerInvalid(f"{key!r} is not a YYYY-MM-DD day") from exc


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    if not isinstance(value, list):
        raise AheadAnswerInvalid(f"{key!r} missing or not a list")
    return value


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AheadAnswerInvalid(f"{what} is not an object")
    return value


def eligible_of(doc: Mapping[str, Any]) -> Eligible:
    """The "For you" answer, in the platform's order (most pressing first)."""
    generated = doc.get("generated_at")
    items = []
    for entry in _list(doc, "eligible"):
        entry = _object(entry, "an eligible item")
        items.append(EligibleItem(_need(entry, "item_code", str), _text(entry, "reason"),
                                  _day(entry.get("due_by"), "due_by")))
    return Eligible(_moment(generated, "generated_at") if generated is not None else None,
                    tuple(items))


def hall_of(doc: Mapping[str, Any]) -> Hall:
    waiting, wait_min = _need(doc, "waiting", int), _need(doc, "average_wait_min", int)
    if waiting < 0 or wait_min < 0:
        raise AheadAnswerInvalid("a negative queue figure")
    return Hall(hall_id=_need(doc, "hall_id", str), name=_text(doc, "name"),
                address=_text(doc, "address"), hours=_text(doc, "hours"),
                open_now=_need(doc, "open_now", bool), waiting=waiting,
                average_wait_min=wait_min,
                updated_at=_moment(doc.get("updated_at"), "updated_at"))


def halls_of(doc: Mapping[str, Any]) -> tuple[Hall, ...]:
    """``GET /v1/halls``, in the platform's order."""
    return tuple(hall_of(_object(h, "a hall")) for h in _list(doc, "halls"))


def slots_of(doc: Mapping[str, Any], hall_id: str = "") -> DaySlots:
    """``GET /v1/halls/{id}/slots``. ``hall_id`` and ``date`` extend the spec's answer: a
    platform without them is read too (the day then from the first slot)."""
    slots = []
    for entry in _list(doc, "slots"):
        entry = _object(entry, "a slot")
        free = _need(entry, "free", int)
        slots.append(Slot(_moment(entry.get("start"), "start"),
                          _moment(entry.get("end"), "end"), max(free, 0)))
    day = _day(doc.get("date"), "date")
    if day is None and slots:
        day = slots[0].start.date()
    named = doc.get("hall_id")
    return DaySlots(named if isinstance(named, str) else hall_id, day, tuple(slots))


def appointment_of(doc: Mapping[str, Any]) -> Appointment:
    """``POST /v1/appointments`` → 201 (or a 409 ``already_booked``'s ``appointment``)."""
    return Appointment(
        appointment_id=_need(doc, "appointment_id", str), hall_id=_need(doc, "hall_id", str),
        item_code=_need(doc, "item_code", str),
        slot_start=_moment(doc.get("slot_start"), "slot_start"),
        slot_end=_moment(doc.get("slot_end"), "slot_end"), ticket=_need(doc, "ticket", str),
        verify_url=_need(doc, "verify_url", str))
