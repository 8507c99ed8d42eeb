"""The service halls of ``seeds/halls.toml``: where an item that needs a visit is done, when
each hall is open, and what its windows and walk-ins look like.

Halls keep local time, Beijing time (UTC+8, no daylight saving), while the platform answers
in UTC: :data:`LOCAL` is the one place that says so. The live queues are
``central.hall_queues``'s, the bookable slots ``central.appointments``'s.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from central.errors import SeedDataInvalid
from civic.text import Text

HALLS_FILE: Final = "halls.toml"
LOCAL: Final = dt.timezone(dt.timedelta(hours=8), "CST")
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES: Final = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
EVERY_DEPARTMENT: Final = "*"


@dataclass(frozen=True)
class Hours:
    """One day's opening, local time."""

    opens: dt.time
    closes: dt.time

    @classmethod
    def parse(cls, text: str) -> Hours:
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError(f"hours are 'HH:MM-HH:MM', not {text!r}")
        opens, closes = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
        if closes <= opens:
            raise ValueError(f"{text!r} closes before it opens")
        return cls(opens, closes)

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


@dataclass(frozen=True)
class Hall:
    hall_id: str
    name: Text
    address: Text
    departments: frozenset[str]
    windows: int
    service_min: float
    slot_min: int
    slot_capacity: int
    hours: tuple[Hours | None, ...]           # by weekday, Monday first; None: closed
    arrivals: tuple[tuple[int, float], ...]   # (from hour, walk-ins per hour), by hour

    def handles(self, department: str) -> bool:
        return EVERY_DEPARTMENT in self.departments or department in self.departments

    def hours_on(self, day: dt.date) -> Hours | None:
        return self.hours[day.weekday()]

    def opening(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """When the hall opens and closes on a local ``day`` (aware datetimes), or None."""
        hours = self.hours_on(day)
        if hours is None:
            return None
        return (dt.datetime.combine(day, hours.opens, LOCAL),
                dt.datetime.combine(day, hours.closes, LOCAL))

    def is_open(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(LOCAL)
        span = self.opening(local.date())
        return span is not None and span[0] <= local < span[1]

    def arrivals_per_hour(self, hour: int) -> float:
        """Walk-ins per hour at this hour of the day (the last rate named before it)."""
        rate = 0.0
        for start, per_hour in self.arrivals:
            if start <= hour:
                rate = per_hour
        return rate

    def hours_text(self) -> Text:
        """"周一至周五 08:30–17:00，周六 09:00–12:00，周日休息", grouping days alike."""
        return Text(_hours_text(self.hours, "zh"), _hours_text(self.hours, "en"))


def _runs(hours: tuple[Hours | None, ...]) -> Iterator[tuple[int, int, Hours | None]]:
    start = 0
    for day in range(1, len(hours) + 1):
        if day == len(hours) or hours[day] != hours[start]:
            yield start, day - 1, hours[start]
            start = day


def _hours_text(hours: tuple[Hours | None, ...], language: str) -> str:
    names = _DAY_NAMES[language]
    parts = []
    for first, last, span in _runs(hours):
        joined = "至" if language == "zh" else "–"
        days = names[first] if first == last else f"{names[first]}{joined}{names[last]}"
        closed = "休息" if language == "zh" else "closed"
        parts.append(f"{days} {span}" if span else (
            f"{days}{closed}" if language == "zh" else f"{days} {closed}"))
    return ("，" if language == "zh" else ", ").join(parts)


class Halls:
    """Every hall, in the seed file's order."""

    def __init__(self, halls: Iterable[Hall]) -> None:
        self.all = tuple(halls)
        self._by_id = {h.hall_id: h for h in self.all}

    @classmethod
    def load(cls, seeds_dir: Path, departments: Iterable[str]) -> Halls:
        """Read and check ``seeds/halls.toml``; :class:`SeedDataInvalid` names the problem."""
        path = seeds_dir / HALLS_FILE
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SeedDataInvalid(f"{path}: {exc}") from exc
        known = {*departments, EVERY_DEPARTMENT}
        halls = []
        for index, raw in enumerate(doc.get("halls") or []):
            try:
                hall = _hall(raw, known)
            except (KeyError, TypeError, ValueError) as exc:
                raise SeedDataInvalid(f"{path}: halls[{index}]: {exc}") from exc
            halls.append(hall)
        if len({h.hall_id for h in halls}) != len(halls):
            raise SeedDataInvalid(f"{path}: two halls share an id")
        return cls(halls)

    def get(self, hall_id: str) -> Hall | None:
        return self._by_id.get(hall_id)

    def for_department(self, department: str) -> list[Hall]:
        return [h for h in self.all if h.handles(department)]


def _positive(raw: dict[str, Any], key: str) -> int:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key} is a whole number of at least 1")
    return value


def _text(raw: dict[str, Any], key: str) -> Text:
    value = raw[key]
    if not (isinstance(value, dict) and isinstance(value.get("zh"), str)
            and isinstance(value.get("en"), str)):
        raise ValueError(f"{key} is {{zh, en}}")
    return Text(value["zh"], value["en"])


def _hall(raw: dict[str, Any], departments: set[str]) -> Hall:
    hall_id = raw["id"]
    if not isinstance(hall_id, str) or not hall_id.isalnum():
        raise ValueError("id is letters and digits")
    unknown = set(raw["departments"]) - departments
    if unknown:
        raise ValueError(f"unknown departments {sorted(unknown)}")
    hours_raw = raw["hours"]
    if set(hours_raw) - set(WEEKDAYS):
        raise ValueError(f"hours are named by {', '.join(WEEKDAYS)}")
    hours = tuple(Hours.parse(hours_raw[d]) if d in hours_raw else None for d in WEEKDAYS)
    arrivals = tuple(sorted((int(hour), float(rate)) for hour, rate in raw["arrivals"].items()))
    if any(not 0 <= hour <= 23 or rate < 0 for hour, rate in arrivals):
        raise ValueError("arrivals are hour (00..23) = people per hour (at least 0)")
    service_min = raw["service_min"]
    if isinstance(service_min, bool) or not isinstance(service_min, int | float) \
            or service_min <= 0:
        raise ValueError("service_min is a number of minutes above 0")
    return Hall(hall_id, _text(raw, "name"), _text(raw, "address"),
                frozenset(raw["departments"]), _positive(raw, "windows"), float(service_min),
                _positive(raw, "slot_min"), _positive(raw, "slot_capacity"), hours, arrivals)
