"""The platform client's "thinking ahead" calls against the real sandbox: "For you" read in
the card session (and refused without one), halls by expected wait with their age, slots,
a booking replayed by its key, a full slot and a second booking refused as typed errors
that delay nothing else, and cancelling.

The sandbox runs on a stopped clock: 10:00 local time on the next Monday (halls open)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.halls import LOCAL
from central.platform import SandboxServer
from civic.ahead import by_expected_wait, stale
from civic.pii import Personal
from offline_queue.errors import (
    AlreadyBooked,
    BookingRefused,
    NoCardSession,
    PlatformNotFound,
    PlatformUnavailable,
    SlotFull,
)
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.central.ahead_helpers import (
    ELDERLY_ALLOWANCE,
    PENSION_CERTIFICATION,
    R001,
    R008,
    MovableClock,
    next_monday_10,
    serve,
)
from tests.offline_queue.conftest import TIMEOUTS, enrolled, faults, session_for

VILLAGE_POINT = "H06"        # one place a slot


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    yield from serve(tmp_path_factory.mktemp("central"), MovableClock(next_monday_10()))


@pytest.fixture
def client(sandbox: SandboxServer, data_dir: Path) -> Iterator[PlatformClient]:
    with PlatformClient.build(enrolled(sandbox, data_dir), ClientSettings(**TIMEOUTS)) as c:
        yield c


def saturday() -> dt.date:
    return next_monday_10().astimezone(LOCAL).date() + dt.timedelta(days=5)


def test_for_you_lists_the_pension_certification_then_the_allowance_with_reasons(
        client: PlatformClient) -> None:
    """R001 (80) first sees the certification due by 31 December, then the elderly
    allowance with its worded reason; R008 (52) a different list."""
    elder = Personal(R001, "id_number")
    found = client.eligible(elder, session_for(client, elder))
    codes = [item.item_code for item in found.items]
    assert codes[:2] == [PENSION_CERTIFICATION, ELDERLY_ALLOWANCE]
    assert found.items[0].due_by is not None and found.items[0].due_by.month == 12
    assert "80" in found.items[1].reason.zh and found.items[1].reason.en
    worker = Personal(R008, "id_number")
    other = client.eligible(worker, session_for(client, worker))
    assert other.items and {i.item_code for i in other.items}.isdisjoint(codes[:2])


def test_for_you_outside_a_card_session_is_no_card_session(client: PlatformClient) -> None:
    """Eligibility is shared data: without the resident's card session it is refused."""
    with pytest.raises(NoCardSession):
        client.eligible(Personal(R001, "id_number"), "not-a-session")


def test_halls_come_by_expected_wait_and_stale_figures_are_told(
        sandbox: SandboxServer, client: PlatformClient) -> None:
    """The halls that handle the allowance, open ones first by wait; a frozen hall feed
    makes one hall's figures older than five minutes."""
    halls = client.halls(ELDERLY_ALLOWANCE)
    assert {h.hall_id for h in halls} == {"H01", "H02", "H03", "H06"}
    assert halls == by_expected_wait(halls)
    now = sandbox.platform.clock()
    assert not any(stale(h, now) for h in halls)
    faults(sandbox, stale_halls_min=7, stale_halls=["H02"])
    aged = {h.hall_id: h for h in client.halls(ELDERLY_ALLOWANCE)}
    assert stale(aged["H02"], now) and not stale(aged["H01"], now)


def test_a_booking_replays_by_its_key_and_cancels(client: PlatformClient) -> None:
    """Booked with a key, the same key answers the same appointment; cancelled once (True),
    a second cancel finds nothing (False)."""
    elder = Personal(R001, "id_number")
    session = session_for(client, elder)
    day = client.slots("H02", ELDERLY_ALLOWANCE)
    assert day.day is not None and day.hall_id == "H02"
    slot = next(s for s in day.slots if s.free)
    key = str(uuid.uuid4())
    booked = client.book(session, key, "H02", ELDERLY_ALLOWANCE, slot.start_text)
    assert (booked.hall_id, booked.slot_start) == ("H02", slot.start) and booked.ticket
    assert client.book(session, key, "H02", ELDERLY_ALLOWANCE, slot.start_text) == booked
    with pytest.raises(AlreadyBooked) as again:
        client.book(session, str(uuid.uuid4()), "H02", ELDERLY_ALLOWANCE, slot.start_text)
    assert again.value.existing == booked
    assert client.cancel_appointment(booked.appointment_id, session) is True
    assert client.cancel_appointment(booked.appointment_id, session) is False


def test_a_full_slot_is_slot_full_and_not_an_unavailable_platform(
        sandbox: SandboxServer, client: PlatformClient) -> None:
    """The village point takes one booking a slot: the second resident is refused with
    SlotFull, a BookingRefused that nothing treats as the platform being down."""
    first = Personal(R001, "id_number")
    start = client.slots(VILLAGE_POINT, ELDERLY_ALLOWANCE, saturday()).slots[0].start_text
    booked = client.book(session_for(client, first), str(uuid.uuid4()), VILLAGE_POINT,
                         ELDERLY_ALLOWANCE, start)
    other = next(r.id_number for r in sandbox.platform.catalog.residents
                 if r.card_type == "resident" and r.id_number not in (R001, R008))
    second = Personal(other, "id_number")
    with pytest.raises(SlotFull) as full:
        client.book(session_for(client, second), str(uuid.uuid4()), VILLAGE_POINT,
                    ELDERLY_ALLOWANCE, start)
    assert isinstance(full.value, BookingRefused)
    assert not isinstance(full.value, PlatformUnavailable)
    assert client.slots(VILLAGE_POINT, ELDERLY_ALLOWANCE, saturday()).slots[0].free == 0
    client.cancel_appointment(booked.appointment_id, session_for(client, first))


def test_slots_of_a_hall_that_does_not_handle_the_item_are_not_found(
        client: PlatformClient) -> None:
    with pytest.raises(PlatformNotFound):
        client.slots("H04", ELDERLY_ALLOWANCE)
