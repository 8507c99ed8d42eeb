"""Reading the "thinking ahead" answers (civic.ahead): well-formed answers become types,
anything else AheadAnswerInvalid; halls by expected wait; figures older than 5 minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from civic.ahead import (
    appointment_of,
    by_expected_wait,
    eligible_of,
    halls_of,
    slots_of,
    stale,
)
from civic.errors import AheadAnswerInvalid

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def hall(hall_id: str, open_now: bool, wait: int, minutes_old: int = 0) -> dict[str, Any]:
    text = {"zh": hall_id, "en": hall_id}
    return {"hall_id": hall_id, "name": text, "address": text, "hours": text,
            "open_now": open_now, "waiting": wait, "average_wait_min": wait * 2,
            "updated_at": (NOW - dt.timedelta(minutes=minutes_old)).isoformat()}


def test_eligible_items_keep_the_platforms_order_with_reasons_and_dates() -> None:
    found = eligible_of({"generated_at": "2026-12-07T02:00:00Z", "eligible": [
        {"item_code": "A", "reason": {"zh": "甲", "en": "a"}, "due_by": "2026-12-31"},
        {"item_code": "B", "reason": {"zh": "乙", "en": "b"}, "due_by": None}]})
    assert [(i.item_code, i.reason.en, i.due_by) for i in found.items] == \
        [("A", "a", dt.date(2026, 12, 31)), ("B", "b", None)]


@pytest.mark.parametrize("doc", [
    {}, {"eligible": "x"}, {"eligible": [{"item_code": 1}]},
    {"eligible": [{"item_code": "A", "reason": "why"}]},
    {"eligible": [{"item_code": "A", "reason": {"zh": "甲"}, "due_by": "31/12"}]}])
def test_a_malformed_for_you_answer_is_refused(doc: dict[str, Any]) -> None:
    with pytest.raises(AheadAnswerInvalid):
        eligible_of(doc)


def test_open_halls_come_first_by_wait_and_old_figures_are_stale() -> None:
    halls = halls_of({"halls": [hall("C", False, 0), hall("B", True, 9),
                                hall("A", True, 2, minutes_old=6)]})
    assert [h.hall_id for h in by_expected_wait(halls)] == ["A", "B", "C"]
    assert [stale(h, NOW) for h in halls] == [False, False, True]
    with pytest.raises(AheadAnswerInvalid):
        halls_of({"halls": [{**hall("A", True, 1), "updated_at": "2026-12-07T02:00:00"}]})
    with pytest.raises(AheadAnswerInvalid):
        halls_of({"halls": [{**hall("A", True, 1), "waiting": -1}]})


def test_slots_and_an_appointment_are_read() -> None:
    day = slots_of({"slots": [{"start": "2026-12-08T09:00:00+08:00",
                               "end": "2026-12-08T09:30:00+08:00", "free": 2}]}, "H02")
    assert (day.hall_id, day.day, day.slots[0].free) == ("H02", dt.date(2026, 12, 8), 2)
    assert day.slots[0].start_text == "2026-12-08T09:00:00+08:00"
    booked = appointment_of({"appointment_id": "x", "hall_id": "H02", "item_code": "A",
                             "slot_start": "2026-12-08T01:00:00Z",
                             "slot_end": "2026-12-08T01:30:00Z", "ticket": "A0001",
                             "verify_url": "http://p/v1/appointments/x/verify?code=1"})
    assert booked.ticket == "A0001" and booked.slot_start.tzinfo is not None
