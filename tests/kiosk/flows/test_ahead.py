"""Thinking ahead in the citizen flow against the real sandbox (stopped at 10:00 on the next
Monday): "For you" only after consent and inside the card session, the 80-year-old's list
first with reasons, a working-age list, offline in words, a late answer dropped; halls by
expected wait with stale figures, a booking with its slip, a full slot and a second booking
refused in words, cancelling, and nothing kept after the wipe."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from central.platform import SandboxServer
from civic.catalog import Catalog
from civic.pii import Personal
from devices.idcard.card import IdCard
from kiosk.flows import CitizenFlow, FlowSettings, Step
from kiosk.flows.ahead_service import PlatformAhead
from kiosk.flows.for_you import ForYouState
from kiosk.flows.halls import HallsPhase
from kiosk.flows.messages import MESSAGES
from kiosk.flows.services import (
    PrefillResult,
    SessionRequest,
    SessionResult,
    close_card_session,
    fetch_prefill,
    open_card_session,
)
from kiosk.flows.states import PrintState
from offline_queue import Outbox, credentials
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.central.ahead_helpers import (
    ELDERLY_ALLOWANCE,
    PENSION_CERTIFICATION,
    R001,
    MovableClock,
    next_monday_10,
    serve,
)
from tests.kiosk.flows.conftest import FakeClock, RecordingPrinter
from tests.offline_queue.conftest import TIMEOUTS, enrolled, faults, session_for

T = TypeVar("T")
#: 老年人能力（失能）评估申请: agent_only, done at the civil-affairs halls
ASSESSMENT = "1133011000250201204005000020000"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    yield from serve(tmp_path_factory.mktemp("central"), MovableClock(next_monday_10()))


@pytest.fixture(autouse=True)
def _faults_off(sandbox: SandboxServer) -> Iterator[None]:
    yield
    sandbox.platform.faults.update({}, reset=True)


@dataclass
class SandboxPlatform:
    """The flow's platform services done synchronously through the real client: card
    sessions and prefill (``PrefillClient``) and any other call (``CallRunner``); with
    ``hold`` set, answers wait for :meth:`deliver` as a worker's would."""

    client: PlatformClient
    hold: bool = False
    held: list[Callable[[], None]] = field(default_factory=list, repr=False)
    opened: list[str] = field(default_factory=list, repr=False)
    closed: list[str] = field(default_factory=list, repr=False)

    def _answer(self, answer: Callable[[], None]) -> None:
        if self.hold:
            self.held.append(answer)
        else:
            answer()

    def open_session(self, request: SessionRequest,
                     done: Callable[[SessionResult], None]) -> None:
        result = open_card_session(self.client, request)
        if result.session_id:
            self.opened.append(result.session_id)
        self._answer(lambda: done(result))

    def close_session(self, session_id: str) -> None:
        self.closed.append(session_id)
        close_card_session(self.client, session_id)

    def fetch(self, id_number: Any, item_code: str, session_id: str,
              done: Callable[[PrefillResult], None]) -> None:
        self._answer(lambda: done(fetch_prefill(self.client, id_number, item_code,
                                                session_id)))

    def fetch_record(self, *args: Any) -> None:
        raise AssertionError("no certified record in these journeys")

    def call(self, job: Callable[[PlatformClient], T], done: Callable[[T], None],
             offline: T) -> None:
        answer = job(self.client)
        self._answer(lambda: done(answer))

    def deliver(self) -> None:
        held, self.held = self.held, []
        for answer in held:
            answer()


@pytest.fixture
def platform(sandbox: SandboxServer, data_dir: Path) -> Iterator[SandboxPlatform]:
    with PlatformClient.build(enrolled(sandbox, data_dir), ClientSettings(**TIMEOUTS)) as c:
        yield SandboxPlatform(c)


@pytest.fixture
def ahead_flow(catalog: Catalog, outbox: Outbox, platform: SandboxPlatform,
               printer: RecordingPrinter, clock: FakeClock,
               sandbox: SandboxServer) -> CitizenFlow:
    settings = FlowSettings(site_name="荀山村便民服务点", terminal_id="kiosk-test")
    return CitizenFlow(catalog, outbox, platform, printer, settings=settings, clock=clock,
                       now=lambda: sandbox.platform.clock(), ahead=PlatformAhead(platform))


def test_nothing_is_read_before_consent_then_the_elders_list_comes_first(
        ahead_flow: CitizenFlow, platform: SandboxPlatform,
        id_cards: dict[str, IdCard]) -> None:
    """A card read opens no card session; after "Agree and show" R001 (80) sees the
    pension certification (due 31 Dec) then the elderly allowance, with reasons."""
    ahead_flow.card_placed(id_cards["R001"])
    assert ahead_flow.for_you_state is ForYouState.ASK and not platform.opened
    assert ahead_flow.for_you == ()
    ahead_flow.show_for_you()
    assert ahead_flow.for_you_state is ForYouState.READY and len(platform.opened) == 1
    first, second = ahead_flow.for_you[:2]
    assert (first.item_code, second.item_code) == (PENSION_CERTIFICATION, ELDERLY_ALLOWANCE)
    assert first.due_by == dt.date(first.due_by.year, 12, 31) if first.due_by else False
    assert "80" in second.reason.zh
    spoken = ahead_flow.for_you_spoken()
    assert ahead_flow.catalog.get(ELDERLY_ALLOWANCE).name.zh in spoken
    assert not any(R001 in s for s in spoken)


def test_a_working_age_resident_sees_another_list(ahead_flow: CitizenFlow,
                                                  id_cards: dict[str, IdCard]) -> None:
    """R013 (41; R008's ID card is not valid before 2030, so the kiosk refuses it) sees
    the housing-fund withdrawal, not the elders' items."""
    ahead_flow.card_placed(id_cards["R013"])
    ahead_flow.show_for_you()
    codes = [i.item_code for i in ahead_flow.for_you]
    assert ahead_flow.for_you_state is ForYouState.READY and codes
    assert PENSION_CERTIFICATION not in codes and ELDERLY_ALLOWANCE not in codes


def test_offline_for_you_says_it_needs_the_network(
        ahead_flow: CitizenFlow, sandbox: SandboxServer,
        id_cards: dict[str, IdCard]) -> None:
    ahead_flow.card_placed(id_cards["R001"])
    faults(sandbox, drop_before=1.0)
    ahead_flow.show_for_you()
    assert ahead_flow.for_you_state is ForYouState.OFFLINE and ahead_flow.for_you == ()
    assert ahead_flow.for_you_notice == MESSAGES["foryou.offline"]
    assert "联网" in ahead_flow.for_you_spoken()[0]


def test_a_list_arriving_after_the_citizen_left_is_dropped(
        ahead_flow: CitizenFlow, platform: SandboxPlatform,
        id_cards: dict[str, IdCard]) -> None:
    """The card session opens, the citizen takes the card, then the answers land: the next
    citizen's screen shows nothing of them and the late session is closed."""
    platform.hold = True
    ahead_flow.card_placed(id_cards["R001"])
    ahead_flow.show_for_you()
    ahead_flow.card_removed()
    platform.deliver()
    assert ahead_flow.step is Step.ATTRACT and ahead_flow.for_you == ()
    assert ahead_flow.for_you_state is ForYouState.ASK
    assert platform.closed == platform.opened


def open_halls(flow: CitizenFlow, card: IdCard) -> None:
    flow.card_placed(card)
    flow.choose(ASSESSMENT)
    assert flow.step is Step.AGENT_ONLY
    flow.find_halls()
    assert flow.step is Step.HALLS and flow.halls_phase is HallsPhase.LIST


def test_halls_by_wait_booked_with_a_slip_and_cancelled(
        ahead_flow: CitizenFlow, platform: SandboxPlatform, printer: RecordingPrinter,
        sandbox: SandboxServer, id_cards: dict[str, IdCard]) -> None:
    """The civil-affairs halls, open ones by wait; stale figures marked; a slot at H02
    booked (card session opened for it), its slip printed with hall, time and ticket, then
    cancelled within the session."""
    faults(sandbox, stale_halls_min=7, stale_halls=["H02"])
    open_halls(ahead_flow, id_cards["R001"])
    halls = ahead_flow.halls
    assert {h.hall_id for h in halls} == {"H01", "H02", "H03", "H06"}
    waits = [h.average_wait_min for h in halls if h.open_now]
    assert waits == sorted(waits)
    stale = {h.hall_id for h in halls if ahead_flow.hall_is_stale(h)}
    assert stale == {"H02"}
    ahead_flow.choose_hall("H02")
    assert ahead_flow.halls_phase is HallsPhase.SLOTS and ahead_flow.slots_day
    slot = next(s for s in ahead_flow.slots if s.free)
    ahead_flow.choose_slot(slot.start)
    ahead_flow.confirm_booking()
    booked = ahead_flow.appointment
    assert ahead_flow.halls_phase is HallsPhase.BOOKED and booked is not None
    assert (booked.hall_id, booked.slot_start) == ("H02", slot.start)
    assert ahead_flow.slip_state is PrintState.PRINTED and ahead_flow.slip_preview
    slip = printer.receipts[-1]
    texts = " ".join(str(getattr(e, "text", "")) + " " + str(getattr(e, "value", ""))
                     for e in slip.elements)
    assert booked.ticket in texts and "良渚" in texts
    assert f"{slot.start.astimezone(dt.timezone(dt.timedelta(hours=8))):%H:%M}" in texts
    spoken = " ".join(ahead_flow.halls_spoken())         # read out: ticket, time, hall
    assert booked.ticket in spoken and "良渚" in spoken and R001 not in spoken
    ahead_flow.cancel_appointment()
    assert ahead_flow.halls_phase is HallsPhase.CANCELLED and ahead_flow.appointment is None
    assert ahead_flow.halls_notice == MESSAGES["halls.cancelled"]
    ahead_flow.leave_halls()
    assert ahead_flow.step is Step.AGENT_ONLY


def test_a_full_slot_and_a_second_booking_are_refused_in_words(
        ahead_flow: CitizenFlow, platform: SandboxPlatform, sandbox: SandboxServer,
        id_cards: dict[str, IdCard]) -> None:
    """H06 takes one booking a slot: another resident takes it between choosing and
    confirming, and the flow says so and shows the day again; R001's own earlier booking of
    the item is shown (with its cancel) instead of a second one."""
    open_halls(ahead_flow, id_cards["R001"])
    ahead_flow.choose_hall("H06")
    slot = next(s for s in ahead_flow.slots if s.free)
    ahead_flow.choose_slot(slot.start)
    other = next(r.id_number for r in sandbox.platform.catalog.residents
                 if r.card_type == "resident" and r.id_number != R001)
    rival = Personal(other, "id_number")
    taken = platform.client.book(session_for(platform.client, rival), str(uuid.uuid4()),
                                 "H06", ASSESSMENT, slot.start_text)
    ahead_flow.confirm_booking()
    assert ahead_flow.halls_phase is HallsPhase.SLOTS
    assert ahead_flow.halls_notice == MESSAGES["halls.slot_full"]
    assert ahead_flow.halls_spoken() == [MESSAGES["halls.slot_full"].zh]
    assert next(s for s in ahead_flow.slots if s.start == slot.start).free == 0

    elder = Personal(R001, "id_number")
    mine = platform.client.book(session_for(platform.client, elder), str(uuid.uuid4()),
                                "H02", ASSESSMENT,
                                platform.client.slots("H02", ASSESSMENT).slots[-1].start_text)
    free = next(s for s in ahead_flow.slots if s.free)
    ahead_flow.choose_slot(free.start)
    ahead_flow.confirm_booking()
    assert ahead_flow.halls_phase is HallsPhase.BOOKED and ahead_flow.appointment_existing
    assert ahead_flow.appointment == mine
    assert ahead_flow.halls_notice == MESSAGES["halls.already_booked"]
    platform.client.cancel_appointment(taken.appointment_id,
                                       session_for(platform.client, rival))
    ahead_flow.cancel_appointment()
    assert ahead_flow.halls_phase is HallsPhase.CANCELLED


def test_booking_offline_is_said_and_the_retry_keeps_its_key(
        ahead_flow: CitizenFlow, platform: SandboxPlatform, sandbox: SandboxServer,
        id_cards: dict[str, IdCard]) -> None:
    open_halls(ahead_flow, id_cards["R001"])
    ahead_flow.choose_hall("H03")
    ahead_flow.choose_slot(next(s for s in ahead_flow.slots if s.free).start)
    faults(sandbox, drop_before=1.0)
    ahead_flow.confirm_booking()
    assert ahead_flow.halls_phase is HallsPhase.CONFIRM
    assert ahead_flow.halls_notice == MESSAGES["halls.book_offline"]
    key = ahead_flow._booking.key if ahead_flow._booking else None
    faults(sandbox)
    ahead_flow.confirm_booking()
    assert ahead_flow.halls_phase is HallsPhase.BOOKED and key is not None
    ahead_flow.cancel_appointment()


def test_the_wipe_leaves_nothing_of_for_you_or_the_booking(
        ahead_flow: CitizenFlow, id_cards: dict[str, IdCard]) -> None:
    ahead_flow.card_placed(id_cards["R001"])
    ahead_flow.show_for_you()
    ahead_flow.choose(ASSESSMENT)
    ahead_flow.find_halls()
    ahead_flow.choose_hall(ahead_flow.halls[0].hall_id)
    ahead_flow.wipe("idle")
    assert (ahead_flow.for_you, ahead_flow.halls, ahead_flow.slots, ahead_flow.hall,
            ahead_flow.appointment, ahead_flow.slip_preview) == ((), (), (), None, None, b"")
    assert ahead_flow.for_you_state is ForYouState.ASK and ahead_flow.card_session_id is None


def test_a_face_check_that_sends_the_citizen_to_a_hall_offers_the_halls(
        ahead_flow: CitizenFlow, id_cards: dict[str, IdCard]) -> None:
    """The elderly allowance needs the person checked; where this terminal cannot check
    (no face engine here) the citizen is sent to a hall: the halls that handle it are one
    tap away, and leaving them returns to the check's explanation."""
    ahead_flow.card_placed(id_cards["R001"])
    ahead_flow.choose(ELDERLY_ALLOWANCE)
    ahead_flow.start_item()
    ahead_flow.give_consent(True)
    assert ahead_flow.step is Step.FACE_CHECK
    ahead_flow.find_halls()
    assert ahead_flow.step is Step.HALLS and ahead_flow.halls_phase is HallsPhase.LIST
    assert {h.hall_id for h in ahead_flow.halls} == {"H01", "H02", "H03", "H06"}
    ahead_flow.leave_halls()
    assert ahead_flow.step is Step.FACE_CHECK


def test_days_go_forward_and_back_but_never_before_today(
        ahead_flow: CitizenFlow, id_cards: dict[str, IdCard]) -> None:
    """H02 on Monday 10:00 offers today's later slots; the day after, then back to today,
    and no further back."""
    open_halls(ahead_flow, id_cards["R001"])
    ahead_flow.choose_hall("H02")
    today = ahead_flow.slots_day
    assert today == next_monday_10().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert not ahead_flow.can_go_earlier
    ahead_flow.other_day(1)
    assert ahead_flow.slots_day == today + dt.timedelta(days=1) and ahead_flow.can_go_earlier
    assert ahead_flow.slots and all(s.start.date() >= ahead_flow.slots_day for s in
                                    ahead_flow.slots)
    ahead_flow.other_day(-5)
    assert ahead_flow.slots_day == today


def test_an_item_applied_for_here_is_not_offered_again_while_open(
        ahead_flow: CitizenFlow, outbox: Outbox, sandbox: SandboxServer, data_dir: Path,
        id_cards: dict[str, IdCard]) -> None:
    """R001 applies at this kiosk for an item "For you" offered (one without a face check),
    the outbox delivers it; the next visit's list leaves it out while the case is open."""
    from civic.catalog.vocab import IdentityAssurance, Mode
    from offline_queue.sync import SyncEngine
    from tests.kiosk.flows.helpers import SIGNATURE_PNG, fill_remaining

    ahead_flow.card_placed(id_cards["R001"])
    ahead_flow.show_for_you()
    code = next(i.item_code for i in ahead_flow.for_you
                if ahead_flow.catalog.get(i.item_code).mode is Mode.APPLY
                and ahead_flow.catalog.get(i.item_code).identity_assurance
                is IdentityAssurance.CARD)
    ahead_flow.choose(code)
    ahead_flow.start_item()
    ahead_flow.give_consent(True)
    fill_remaining(ahead_flow)
    ahead_flow.to_review()
    ahead_flow.confirm_review()
    ahead_flow.sign(SIGNATURE_PNG)
    assert ahead_flow.submission_id is not None, ahead_flow.errors
    with SyncEngine(outbox, credentials.load(data_dir), connect_timeout_s=5,
                    read_timeout_s=15) as engine:
        assert engine.sync_once().sent == 1
    ahead_flow.wipe("next visit")
    ahead_flow.card_placed(id_cards["R001"])
    ahead_flow.show_for_you()
    assert ahead_flow.for_you_state is ForYouState.READY
    assert code not in [i.item_code for i in ahead_flow.for_you]
