"""Appointments on the real sandbox (platform-api.md, "Thinking ahead for the citizen"):
booking inside the resident's card session with an idempotency key, replayed answers, a full
slot, one open booking per resident and item, the last place raced for by many terminals at
once (the database decides: exactly one), cancelling, the slip's verify URL, and
``kiosk central halls``.

The sandbox runs on a stopped clock: 10:00 local time on the next Monday."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.halls import LOCAL
from central.platform import SandboxServer
from tests.central.ahead_helpers import (
    ELDERLY_ALLOWANCE,
    R001,
    R008,
    MovableClock,
    next_monday_10,
    serve,
    session,
)
from tests.central.conftest import Enrol
from tests.conftest import run_kiosk

VILLAGE_POINT = "H06"       # one place a slot
SUB_DISTRICT = "H02"        # two places a slot


@pytest.fixture(scope="module")
def operator_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --data-dir of `kiosk central` for this module's sandbox (which is <it>/central)."""
    return tmp_path_factory.mktemp("operator")


@pytest.fixture(scope="module")
def sandbox(operator_dir: Path) -> Iterator[SandboxServer]:
    yield from serve(operator_dir / "central", MovableClock(next_monday_10()))


def residents(sandbox: SandboxServer, count: int) -> list[str]:
    """ID numbers of demo residents on resident cards, other than R001 and R008."""
    people = [r.id_number for r in sandbox.platform.catalog.residents
              if r.card_type == "resident" and r.id_number not in (R001, R008)]
    assert len(people) >= count
    return people[:count]


def slots(client: httpx.Client, hall: str) -> list[dict[str, Any]]:
    """The hall's slots: the sub-district centre's today, the village point's on Saturday
    (on Monday it opens only until 11:30)."""
    params = {"item_code": ELDERLY_ALLOWANCE}
    if hall == VILLAGE_POINT:
        params["date"] = (next_monday_10().astimezone(LOCAL).date()
                          + dt.timedelta(days=5)).isoformat()
    answer = client.get(f"/v1/halls/{hall}/slots", params=params)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["slots"])


def book(client: httpx.Client, headers: dict[str, str], hall: str, start: str,
         key: str | None = None, item_code: str = ELDERLY_ALLOWANCE) -> httpx.Response:
    return client.post("/v1/appointments",
                       json={"hall_id": hall, "item_code": item_code, "slot_start": start},
                       headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())})


def test_a_booking_answers_with_a_ticket_and_a_verify_url_and_replays(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """201 with the slot, a short ticket and a verify URL; the same key again gives the same
    answer marked Idempotent-Replayed; the same key for another booking is 422."""
    kiosk = enrol()
    headers = session(kiosk, R001)
    start = slots(kiosk, SUB_DISTRICT)[2]["start"]
    first = book(kiosk, headers, SUB_DISTRICT, start, key="slip-1")
    assert first.status_code == 201, first.text
    doc = first.json()
    assert set(doc) == {"appointment_id", "hall_id", "item_code", "slot_start", "slot_end",
                        "ticket", "verify_url"}
    assert doc["hall_id"] == SUB_DISTRICT and doc["slot_start"] == start
    assert re.fullmatch(r"A[0-9]{4}", doc["ticket"])
    again = book(kiosk, headers, SUB_DISTRICT, start, key="slip-1")
    assert again.status_code == 201 and again.json() == doc
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    other = book(kiosk, headers, VILLAGE_POINT, slots(kiosk, VILLAGE_POINT)[0]["start"],
                 key="slip-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert slots(kiosk, SUB_DISTRICT)[2]["free"] == 1
    verified = httpx.get(doc["verify_url"])                  # no auth: what the QR opens
    assert verified.status_code == 200
    assert verified.json() == {"appointment_id": doc["appointment_id"], "status": "booked",
                               "valid": True, "hall_id": SUB_DISTRICT,
                               "item_code": ELDERLY_ALLOWANCE, "slot_start": start,
                               "slot_end": doc["slot_end"], "ticket": doc["ticket"]}
    wrong = httpx.get(doc["verify_url"].split("?")[0], params={"code": "WRONG123"})
    assert wrong.status_code == 404


def test_one_open_booking_per_resident_and_item(sandbox: SandboxServer, enrol: Enrol) -> None:
    """A second booking of the same item by the same resident is 409 already_booked, with
    the open one; after cancelling it, booking again works."""
    kiosk = enrol()
    person = residents(sandbox, 1)[0]
    headers = session(kiosk, person)
    open_slots = slots(kiosk, SUB_DISTRICT)
    first = book(kiosk, headers, SUB_DISTRICT, open_slots[4]["start"])
    assert first.status_code == 201, first.text
    second = book(kiosk, headers, SUB_DISTRICT, open_slots[5]["start"])
    assert second.status_code == 409 and second.json()["code"] == "already_booked"
    assert second.json()["appointment"] == first.json()
    appointment_id = first.json()["appointment_id"]
    assert kiosk.delete(f"/v1/appointments/{appointment_id}", headers=headers).status_code == 204
    assert book(kiosk, headers, SUB_DISTRICT, open_slots[5]["start"]).status_code == 201


def test_a_full_slot_is_refused(sandbox: SandboxServer, enrol: Enrol) -> None:
    """The village point takes one booking a slot: the next resident gets 409 slot_full."""
    first_kiosk, second_kiosk = enrol(), enrol()
    one, two = residents(sandbox, 3)[1:3]
    start = slots(first_kiosk, VILLAGE_POINT)[1]["start"]
    assert book(first_kiosk, session(first_kiosk, one), VILLAGE_POINT, start).status_code == 201
    assert next(s for s in slots(first_kiosk, VILLAGE_POINT) if s["start"] == start)["free"] == 0
    full = book(second_kiosk, session(second_kiosk, two), VILLAGE_POINT, start)
    assert full.status_code == 409 and full.json()["code"] == "slot_full"


def test_terminals_racing_for_the_last_place_get_exactly_one(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """A slot with one place left, eight terminals booking it at once for eight residents:
    exactly one 201, seven 409 slot_full, and the slot holds its capacity, no more."""
    people = residents(sandbox, 12)[3:12]
    taker = enrol()
    start = slots(taker, SUB_DISTRICT)[7]["start"]
    assert book(taker, session(taker, people[0]), SUB_DISTRICT, start).status_code == 201
    racers = [(enrol(), person) for person in people[1:]]
    prepared = [(kiosk, session(kiosk, person)) for kiosk, person in racers]
    with concurrent.futures.ThreadPoolExecutor(len(prepared)) as pool:
        answers = list(pool.map(lambda p: book(p[0], p[1], SUB_DISTRICT, start), prepared))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * (len(prepared) - 1), [a.text for a in answers]
    assert all(a.json()["code"] == "slot_full" for a in answers if a.status_code == 409)
    with sandbox.platform.db.session() as conn:
        booked = conn.execute("SELECT COUNT(*) FROM appointments WHERE hall_id = ? AND "
                              "slot_start = ? AND cancelled_at IS NULL",
                              (SUB_DISTRICT, start)).fetchone()[0]
    assert booked == 2


def test_one_resident_booking_from_two_terminals_at_once_gets_one(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """The same resident at two terminals books the item at the same moment, in different
    slots: one 201, one 409 already_booked naming it."""
    person = residents(sandbox, 14)[13]
    terminals = [enrol(), enrol()]
    prepared = [(kiosk, session(kiosk, person)) for kiosk in terminals]
    starts = [s["start"] for s in slots(terminals[0], SUB_DISTRICT)[8:10]]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda p: book(p[0][0], p[0][1], SUB_DISTRICT, p[1]),
                                zip(prepared, starts, strict=True)))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    won = next(a for a in answers if a.status_code == 201).json()
    lost = next(a for a in answers if a.status_code == 409).json()
    assert lost["code"] == "already_booked" and lost["appointment"] == won


def test_booking_and_cancelling_need_the_residents_session(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """No session: 403 no_session. Cancelling someone else's appointment, or one already
    cancelled or unknown, is 404; the verify URL then says cancelled."""
    kiosk, other = enrol(), enrol()
    start = slots(kiosk, VILLAGE_POINT)[3]["start"]
    refused = book(kiosk, {}, VILLAGE_POINT, start)
    assert refused.status_code == 403 and refused.json()["code"] == "no_session"
    headers = session(kiosk, R008)
    booked = book(kiosk, headers, VILLAGE_POINT, start, item_code=ELDERLY_ALLOWANCE)
    assert booked.status_code == 201, booked.text
    path = f"/v1/appointments/{booked.json()['appointment_id']}"
    assert kiosk.delete(path).status_code == 403
    assert other.delete(path, headers=session(other, R001)).status_code == 404
    assert kiosk.delete(path, headers=headers).status_code == 204
    assert kiosk.delete(path, headers=headers).status_code == 404
    assert kiosk.delete("/v1/appointments/nope", headers=headers).status_code == 404
    verified = httpx.get(booked.json()["verify_url"]).json()
    assert verified["status"] == "cancelled" and verified["valid"] is False


def test_a_slot_that_is_not_offered_is_refused(enrol: Enrol) -> None:
    """A time that is no slot of the hall, a past one, or a hall that does not handle the
    item: 400 no_such_slot or 404; a booking without a key is 400."""
    kiosk = enrol()
    headers = session(kiosk, R001)
    start = slots(kiosk, VILLAGE_POINT)[0]["start"]
    shifted = start.replace(":00.000Z", ":10.000Z").replace(":30.000Z", ":40.000Z")
    assert book(kiosk, headers, VILLAGE_POINT, shifted).json()["code"] == "no_such_slot"
    past = "2020-01-06T01:00:00.000Z"
    assert book(kiosk, headers, VILLAGE_POINT, past).json()["code"] == "no_such_slot"
    answer = book(kiosk, headers, "H04", start)
    assert answer.status_code == 404 and answer.json()["code"] == "item_not_handled"
    answer = kiosk.post("/v1/appointments", headers=headers, json={
        "hall_id": VILLAGE_POINT, "item_code": ELDERLY_ALLOWANCE, "slot_start": start})
    assert answer.status_code == 400 and answer.json()["code"] == "idempotency_key_missing"


def test_kiosk_central_halls_lists_queues_and_appointments_without_personal_data(
        sandbox: SandboxServer, enrol: Enrol, operator_dir: Path) -> None:
    """`kiosk central halls --json`: six halls with their queues, and the appointments from
    today on with masked ID numbers only; the human form names them too."""
    kiosk = enrol()
    booked = book(kiosk, session(kiosk, residents(sandbox, 13)[12]), VILLAGE_POINT,
                  slots(kiosk, VILLAGE_POINT)[4]["start"])
    assert booked.status_code == 201, booked.text
    done = run_kiosk("central", "halls", "--json", data_dir=operator_dir)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert [h["hall_id"] for h in doc["halls"]] and len(doc["halls"]) == 6
    assert {"waiting", "average_wait_min", "open_now", "updated_at"} <= set(doc["halls"][0])
    mine = next(a for a in doc["appointments"]
                if a["appointment_id"] == booked.json()["appointment_id"])
    assert mine["ticket"] == booked.json()["ticket"] and mine["status"] == "booked"
    people = {r.id_number for r in sandbox.platform.catalog.residents}
    assert "*" in mine["resident"] and not any(p in done.stdout for p in people)
    human = run_kiosk("central", "halls", data_dir=operator_dir)
    assert human.returncode == 0, human.stderr
    assert booked.json()["ticket"] in human.stdout and "H06" in human.stdout
