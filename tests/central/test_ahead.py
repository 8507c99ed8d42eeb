"""Thinking ahead on the real sandbox (platform-api.md, "Thinking ahead for the citizen"):
"For you" inside the resident's card session, worded for the citizen and most pressing
first, leaving out what is still open; the halls with their live queues ordered by expected
wait, closed ones last, and figures made old by the ``stale_halls_min`` fault; free slots.

The sandbox runs on a stopped clock: 10:00 local time on the next Monday."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from central.api.eligible import ELIGIBLE
from central.halls import LOCAL
from central.platform import SandboxServer
from tests.central.ahead_helpers import (
    ELDERLY_ALLOWANCE,
    PENSION_CERTIFICATION,
    R001,
    R008,
    MovableClock,
    next_monday_10,
    serve,
    session,
)
from tests.central.builders import put_signature, submission, submit
from tests.central.conftest import Enrol

ELIGIBLE_PATH = "/v1/residents/{}/eligible"
R011 = "330110193608140406"         # 郑淑珍, 90, draws a resident pension


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock(next_monday_10())


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory,
            clock: MovableClock) -> Iterator[SandboxServer]:
    yield from serve(tmp_path_factory.mktemp("central"), clock)


@pytest.fixture(autouse=True)
def _clock_back(clock: MovableClock) -> Iterator[None]:
    yield
    clock.reset()


def eligible(client: httpx.Client, id_number: str) -> list[dict[str, object]]:
    answer = client.get(ELIGIBLE_PATH.format(id_number), headers=session(client, id_number))
    assert answer.status_code == 200, answer.text
    assert answer.json()["generated_at"].endswith("Z")
    return list(answer.json()["eligible"])


def test_an_80_year_old_sees_the_pension_certification_and_elderly_allowance_first(
        enrol: Enrol, clock: MovableClock) -> None:
    """R001 (80, draws a pension): the certification, due by the year's end, then the
    elderly allowance, each with a reason addressed to the citizen in both languages."""
    offers = eligible(enrol(), R001)
    assert [o["item_code"] for o in offers[:2]] == [PENSION_CERTIFICATION, ELDERLY_ALLOWANCE]
    certification, allowance = offers[0], offers[1]
    year_end = dt.date(clock.now.year, 12, 31).isoformat()
    assert certification["due_by"] == year_end
    assert allowance["due_by"] is None
    assert allowance["reason"] == {
        "zh": "您已年满 80 周岁，可申领高龄津贴",
        "en": "You are 80 or older and can claim the elderly allowance"}
    assert all(o["due_by"] is None for o in offers[1:])       # dated offers come first
    assert all(set(o["reason"]) == {"zh", "en"} for o in offers)  # type: ignore[arg-type]


def test_a_working_age_resident_gets_a_different_list(enrol: Enrol) -> None:
    """R008 (52, out of work): unemployment items, nothing for the elderly."""
    codes = [o["item_code"] for o in eligible(enrol(), R008)]
    assert codes and ELDERLY_ALLOWANCE not in codes and PENSION_CERTIFICATION not in codes
    assert "11330110002503015G4007000030000" in codes        # 失业登记


def test_the_list_needs_the_residents_session_and_every_read_is_logged(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """No session, or a session of someone else: 403 no_session, logged as refused."""
    kiosk = enrol()
    answer = kiosk.get(ELIGIBLE_PATH.format(R001))
    assert answer.status_code == 403 and answer.json()["code"] == "no_session"
    answer = kiosk.get(ELIGIBLE_PATH.format(R001), headers=session(kiosk, R008))
    assert answer.status_code == 403 and answer.json()["code"] == "no_session"
    eligible(kiosk, R001)
    with sandbox.platform.db.session() as conn:
        outcomes = [r["outcome"] for r in conn.execute(
            "SELECT outcome FROM access_log WHERE device_id = ? AND endpoint = ? ORDER BY id",
            (kiosk.device_id, ELIGIBLE))]  # type: ignore[attr-defined]
    assert outcomes == ["no_session", "no_session", "found"]


def test_a_resident_the_platform_does_not_know_is_404(enrol: Enrol) -> None:
    kiosk = enrol()
    stranger = "11010519491231002X"
    answer = kiosk.get(ELIGIBLE_PATH.format(stranger), headers=session(kiosk, stranger))
    assert answer.status_code == 404 and answer.json()["code"] == "resident_not_found"


def _apply(kiosk: httpx.Client, sandbox: SandboxServer, id_number: str, item_code: str) -> str:
    """A kiosk application of the item for the resident (face items: a card-photo match)."""
    put_signature(kiosk)
    body = submission(sandbox.platform.catalog.catalog, item_code)
    body["applicant"]["id_number"] = id_number
    body["identity_check"] = {"method": "card_photo_face", "check_id": None, "score": 0.9,
                              "at": body["created_at"]}
    answer = submit(kiosk, body)
    assert answer.status_code == 201, answer.text
    return str(body["submission_id"])


def test_an_item_applied_for_and_still_open_is_left_out(
        sandbox: SandboxServer, enrol: Enrol, control: httpx.Client) -> None:
    """R011 applies for the elderly allowance and the certification: neither is offered
    while open; once done, the certification stays away for the year (unless rejected)."""
    kiosk = enrol()
    before = [o["item_code"] for o in eligible(kiosk, R011)]
    assert ELDERLY_ALLOWANCE in before and PENSION_CERTIFICATION in before
    _apply(kiosk, sandbox, R011, ELDERLY_ALLOWANCE)
    certification = _apply(kiosk, sandbox, R011, PENSION_CERTIFICATION)
    after = [o["item_code"] for o in eligible(kiosk, R011)]
    assert ELDERLY_ALLOWANCE not in after and PENSION_CERTIFICATION not in after
    assert [c for c in before if c not in (ELDERLY_ALLOWANCE, PENSION_CERTIFICATION)] == after
    control.post("/v1/_sandbox/advance", json={"steps": 5, "submission_id": certification})
    status = kiosk.get(f"/v1/submissions/{certification}").json()["status"]
    assert status in ("completed", "rejected")
    offered = PENSION_CERTIFICATION in [o["item_code"] for o in eligible(kiosk, R011)]
    assert offered is (status == "rejected")


def _local(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp).astimezone(LOCAL)


def test_halls_for_an_item_are_ordered_by_expected_wait_closed_ones_last(
        enrol: Enrol, clock: MovableClock) -> None:
    """The elderly allowance (civil affairs) is done at four halls; on Monday at 10:00 all
    are open, ordered by expected wait; on Tuesday the village point is closed, so last."""
    kiosk = enrol()
    halls = kiosk.get("/v1/halls", params={"item_code": ELDERLY_ALLOWANCE}).json()["halls"]
    assert {h["hall_id"] for h in halls} == {"H01", "H02", "H03", "H06"}
    assert all(h["open_now"] for h in halls)
    waits = [h["average_wait_min"] for h in halls]
    assert waits == sorted(waits)
    h01 = next(h for h in halls if h["hall_id"] == "H01")
    assert h01["hours"]["zh"].startswith("周一至周五 08:30–17:00")
    assert h01["name"]["en"] and h01["address"]["zh"]
    assert _local(h01["updated_at"]) == _local(h01["updated_at"]).replace(second=0)
    assert clock.now - dt.timedelta(minutes=1) < dt.datetime.fromisoformat(h01["updated_at"])
    clock.now += dt.timedelta(days=1)                       # Tuesday, 10:00
    halls = kiosk.get("/v1/halls", params={"item_code": ELDERLY_ALLOWANCE}).json()["halls"]
    assert halls[-1]["hall_id"] == "H06" and not halls[-1]["open_now"]
    assert all(h["open_now"] for h in halls[:-1])


def test_halls_without_an_item_are_all_of_them_and_an_unknown_item_is_404(
        enrol: Enrol) -> None:
    kiosk = enrol()
    assert len(kiosk.get("/v1/halls").json()["halls"]) == 6
    answer = kiosk.get("/v1/halls", params={"item_code": "nope"})
    assert answer.status_code == 404 and answer.json()["code"] == "item_not_found"
    assert httpx.get(f"{kiosk.base_url}/v1/halls").status_code == 401


def test_a_frozen_feed_makes_a_halls_figures_old(
        enrol: Enrol, control: httpx.Client, clock: MovableClock) -> None:
    """The stale_halls_min fault: H02's figures are 7 minutes old, the others current."""
    kiosk = enrol()
    control.patch("/v1/_sandbox/faults", json={"stale_halls_min": 7, "stale_halls": ["H02"]})
    halls = {h["hall_id"]: h for h in kiosk.get("/v1/halls").json()["halls"]}
    age = {key: clock.now - dt.datetime.fromisoformat(h["updated_at"])
           for key, h in halls.items()}
    assert age["H02"] == dt.timedelta(minutes=7)
    assert all(a < dt.timedelta(minutes=1) for key, a in age.items() if key != "H02")
    control.patch("/v1/_sandbox/faults", json={"stale_halls": []})    # every hall
    halls = {h["hall_id"]: h for h in kiosk.get("/v1/halls").json()["halls"]}
    assert all(clock.now - dt.datetime.fromisoformat(h["updated_at"])
               >= dt.timedelta(minutes=7) for h in halls.values())


def test_the_queue_moves_with_the_platforms_clock(enrol: Enrol, clock: MovableClock) -> None:
    """Figures are those of the platform's minute: the district centre's queue at noon is
    longer than at 10:00 (the morning rush: in a thousand simulated Mondays by at least 3
    people), and gone at 19:00 (it has drained by 18:30 in each of them)."""
    kiosk = enrol()

    def h01() -> dict[str, object]:
        halls = kiosk.get("/v1/halls").json()["halls"]
        return dict(next(h for h in halls if h["hall_id"] == "H01"))

    ten = h01()
    clock.now += dt.timedelta(hours=2)
    noon = h01()
    assert noon["waiting"] > ten["waiting"]  # type: ignore[operator]
    clock.now += dt.timedelta(hours=7)
    evening = h01()
    assert evening["waiting"] == 0 and evening["open_now"] is False


def test_slots_of_the_next_opening_day_and_of_a_date(enrol: Enrol, clock: MovableClock) -> None:
    """Without a date: today's slots still to come (10:30 onwards at 10:00); a Sunday has
    none at H02; a bad date is 400; unknown halls and items not handled are 404."""
    kiosk = enrol()
    answer = kiosk.get("/v1/halls/H02/slots", params={"item_code": ELDERLY_ALLOWANCE})
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    today = clock.now.astimezone(LOCAL).date()
    assert doc["date"] == today.isoformat()
    first = doc["slots"][0]
    assert _local(first["start"]).time() == dt.time(10, 30)
    assert _local(first["end"]) - _local(first["start"]) == dt.timedelta(minutes=30)
    assert _local(doc["slots"][-1]["end"]).time() == dt.time(17, 0)
    assert all(s["free"] == 2 for s in doc["slots"])
    sunday = (today + dt.timedelta(days=6)).isoformat()
    assert kiosk.get("/v1/halls/H02/slots", params={"date": sunday}).json()["slots"] == []
    assert kiosk.get("/v1/halls/H02/slots", params={"date": "2026-13-01"}).status_code == 400
    assert kiosk.get("/v1/halls/H99/slots").json()["code"] == "hall_not_found"
    answer = kiosk.get("/v1/halls/H04/slots", params={"item_code": ELDERLY_ALLOWANCE})
    assert answer.status_code == 404 and answer.json()["code"] == "item_not_handled"
    clock.now += dt.timedelta(hours=8)          # 18:00: the next opening day is tomorrow
    doc = kiosk.get("/v1/halls/H02/slots").json()
    assert doc["date"] == (today + dt.timedelta(days=1)).isoformat()
    assert _local(doc["slots"][0]["start"]).time() == dt.time(8, 30)


def test_health_names_the_ahead_extension(sandbox: SandboxServer) -> None:
    assert "ahead" in httpx.get(f"{sandbox.url}/v1/health").json()["extensions"]
