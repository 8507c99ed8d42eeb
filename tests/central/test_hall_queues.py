"""The halls' simulated live queues (central.hall_queues), without a server: waits grow while
arrivals outpace the windows and drain after closing, one seed and one moment always give the
same figures, and figures are computed once a minute. Also the halls' seed file and hours."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from central.catalog_source import load_catalog
from central.hall_queues import HallQueues, simulate
from central.halls import LOCAL, Hall, Halls, Hours
from civic.text import Text
from seeds import seeds_dir

MONDAY = dt.date(2026, 12, 7)
SUNDAY = dt.date(2026, 12, 13)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Local time on ``day``; minutes past 59 run on into the next hours."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL) + \
        dt.timedelta(minutes=minute)


def busy_hall(**changes: object) -> Hall:
    """Two windows of 10 minutes (12 people an hour) and 40 walk-ins an hour, 09:00-12:00."""
    hours = tuple(Hours.parse("09:00-12:00") if day < 5 else None for day in range(7))
    hall = Hall("T1", Text("测试大厅", "Test hall"), Text("地址", "Address"), frozenset({"*"}),
                windows=2, service_min=10, slot_min=30, slot_capacity=1, hours=hours,
                arrivals=((9, 40.0),))
    return dataclasses.replace(hall, **changes)  # type: ignore[arg-type]


def test_waits_grow_while_arrivals_outpace_the_windows() -> None:
    """40 an hour against 12 served: the queue and the expected wait grow through the
    morning."""
    hall = busy_hall()
    figures = [simulate(hall, 7, at(MONDAY, hour, minute))
               for hour, minute in ((9, 30), (10, 15), (11, 0), (11, 45))]
    waits = [f.average_wait_min for f in figures]
    assert [f.waiting for f in figures] == sorted(f.waiting for f in figures)
    assert waits == sorted(waits) and waits[-1] > waits[0] + 30, waits
    assert figures[-1].waiting > 40


def test_after_closing_nobody_arrives_and_the_queue_drains() -> None:
    """At closing the queue is long; it shrinks as the windows go on serving, and is empty
    once they have served everyone."""
    hall = busy_hall()
    closing = simulate(hall, 7, at(MONDAY, 12))
    later = simulate(hall, 7, at(MONDAY, 13))
    evening = simulate(hall, 7, at(MONDAY, 20))
    assert closing.waiting > later.waiting > 0
    assert evening.waiting == 0 and evening.average_wait_min == 0
    assert not hall.is_open(at(MONDAY, 13)) and hall.is_open(at(MONDAY, 11))


def test_a_quiet_hall_keeps_a_short_queue() -> None:
    """Windows faster than the walk-ins: the wait stays short all morning."""
    hall = busy_hall(arrivals=((9, 6.0),), windows=3)
    assert all(simulate(hall, 7, at(MONDAY, 9, m)).average_wait_min <= 30
               for m in range(10, 180, 10))


def test_one_seed_and_moment_give_the_same_figures() -> None:
    """Repeatable: the same seed and minute give the same figures; another seed, others."""
    hall = busy_hall()
    moments = [at(MONDAY, 9, m) for m in range(5, 180, 7)]
    first = [simulate(hall, 11, m) for m in moments]
    assert first == [simulate(hall, 11, m) for m in moments]
    assert first != [simulate(hall, 12, m) for m in moments]


def test_a_closed_day_and_before_opening_show_nobody() -> None:
    hall = busy_hall()
    assert simulate(hall, 7, at(SUNDAY, 10)).waiting == 0
    assert simulate(hall, 7, at(MONDAY, 8, 59)).waiting == 0


def test_figures_are_computed_once_a_minute() -> None:
    """Asked twice within one minute, a hall's figures are the same, dated that minute."""
    queues = HallQueues(seed=3)
    hall = busy_hall()
    early = queues.figures(hall, at(MONDAY, 10, 30) + dt.timedelta(seconds=5))
    late = queues.figures(hall, at(MONDAY, 10, 30) + dt.timedelta(seconds=55))
    assert early is late
    assert early.at == at(MONDAY, 10, 30).astimezone(dt.UTC)
    assert queues.figures(hall, at(MONDAY, 10, 31)).at > early.at


def test_the_seed_halls_load_and_say_their_hours() -> None:
    """seeds/halls.toml: six halls with known departments; hours grouped into a sentence."""
    catalog = load_catalog(seeds_dir() / "catalog")
    halls = Halls.load(seeds_dir(), catalog.departments)
    assert [h.hall_id for h in halls.all] == ["H01", "H02", "H03", "H04", "H05", "H06"]
    h01 = halls.get("H01")
    assert h01 is not None
    assert h01.hours_text() == Text("周一至周五 08:30–17:00，周六 09:00–12:00，周日休息",
                                    "Mon–Fri 08:30–17:00, Sat 09:00–12:00, Sun closed")
    assert {h.hall_id for h in halls.for_department("real_estate")} == {"H01", "H04"}


def test_the_district_centre_has_a_morning_rush() -> None:
    """The seed's busiest hall: its queue at 11:30 on a weekday is longer than at 09:00, and
    gone by evening."""
    hall = Halls.load(seeds_dir(), load_catalog(seeds_dir() / "catalog").departments).get("H01")
    assert hall is not None
    assert simulate(hall, 19, at(MONDAY, 11, 30)).waiting > \
        simulate(hall, 19, at(MONDAY, 9)).waiting
    assert simulate(hall, 19, at(MONDAY, 19)).waiting == 0


@pytest.mark.parametrize("text", ["9-17", "17:00-09:00", "08:00"])
def test_bad_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Hours.parse(text)
