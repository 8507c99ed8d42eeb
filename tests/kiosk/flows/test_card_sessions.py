"""The citizen flow's card session against the real sandbox: opened when a card was read and
the citizen agreed, named on every prefill, closed when the citizen finishes, takes the card
or walks away; opened again once when the platform lost it while the card is there; and,
when no session can be had (offline, the terminal's limit, an agent outside their area),
the form goes on without shared data and says why.

The flow's shared-data service here is :class:`PlatformNow`: the real platform client
called on the test's thread (the Qt bridge does the same on its worker). What the sandbox
holds is read from its database: a session closed there is closed, not assumed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from central.card_sessions import SessionLimits
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from civic.catalog import Catalog
from civic.pii import Personal
from kiosk.flows import CitizenFlow, FlowSettings, PrefillOutcome, PrefillState, Step
from kiosk.flows.messages import MESSAGES
from kiosk.flows.services import (
    PrefillResult,
    SessionRequest,
    SessionResult,
    close_card_session,
    fetch_prefill,
    open_card_session,
)
from offline_queue import Outbox
from offline_queue.credentials import Credentials
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.central.builders import MovableClock
from tests.conftest import free_port
from tests.kiosk.flows.conftest import NOW, PENSION, FakeClock, RecordingPrinter, ssc_of
from tests.kiosk.flows.helpers import SIGNATURE_PNG, fill_remaining
from tests.offline_queue.conftest import TIMEOUTS, enrolled, session_for

PREFILL_ROUTE = "/v1/residents/{id_number}/prefill"




@pytest.fixture(scope="module")
def sandbox_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory,
            sandbox_clock: MovableClock) -> Iterator[SandboxServer]:
    """The real sandbox on a clock the tests move, 5 sessions an hour for a kiosk."""
    settings = SandboxSettings(tmp_path_factory.mktemp("central"),
                               workflow=WorkflowSchedule(step_s=0),
                               session_limits=SessionLimits(kiosk_per_hour=5))
    with SandboxServer(settings, clock=sandbox_clock) as server:
        yield server


class PlatformNow:
    """The flow's shared-data service over the real platform client, answered on the calling
    thread. With ``hold`` set, prefill reads wait until :meth:`deliver` (as a slow worker
    would), so the test can act on the platform in between."""

    def __init__(self, client: PlatformClient, agent_token: str | None = None) -> None:
        self.client, self.agent_token = client, agent_token
        self.hold = False
        self.pending: list[Callable[[], None]] = []

    def open_session(self, request: SessionRequest,
                     done: Callable[[SessionResult], None]) -> None:
        done(open_card_session(self.client, request, self.agent_token))

    def fetch(self, id_number: Personal, item_code: str, session_id: str,
              done: Callable[[PrefillResult], None]) -> None:
        def read() -> None:
            done(fetch_prefill(self.client, id_number, item_code, session_id,
                               self.agent_token))
        if self.hold:
            self.pending.append(read)
        else:
            read()

    def close_session(self, session_id: str) -> None:
        close_card_session(self.client, session_id, self.agent_token)

    def deliver(self) -> None:
        waiting, self.pending = self.pending, []
        for read in waiting:
            read()


@pytest.fixture
def creds(sandbox: SandboxServer, data_dir: Path) -> Credentials:
    return enrolled(sandbox, data_dir)


@pytest.fixture
def platform(creds: Credentials) -> Iterator[PlatformClient]:
    with PlatformClient.build(creds, ClientSettings(**TIMEOUTS)) as client:
        yield client


def make_flow(catalog: Catalog, outbox: Outbox, shared: Any, clock: FakeClock,
              channel: str = "kiosk") -> CitizenFlow:
    settings = FlowSettings(site_name="荀山村便民服务点", terminal_id="kiosk-test",
                            idle_warning_s=60, idle_countdown_s=20, online_wait_s=5,
                            channel=channel)
    return CitizenFlow(catalog, outbox, shared, RecordingPrinter(), settings=settings,
                       clock=clock, now=lambda: NOW)


@pytest.fixture
def shared(platform: PlatformClient) -> PlatformNow:
    return PlatformNow(platform)


@pytest.fixture
def flow(catalog: Catalog, outbox: Outbox, shared: PlatformNow,
         clock: FakeClock) -> CitizenFlow:
    return make_flow(catalog, outbox, shared, clock)


def sessions_of(sandbox: SandboxServer, device_id: str) -> list[dict[str, Any]]:
    """The device's sessions as the sandbox holds them, oldest first."""
    with sandbox.platform.db.session() as conn:
        return [dict(r) for r in conn.execute(
            "SELECT * FROM card_sessions WHERE device_id = ? ORDER BY opened_at, rowid",
            (device_id,))]


def to_form(flow: CitizenFlow, card: Any, consent: bool = True) -> None:
    flow.card_placed(card)
    flow.choose(PENSION)
    flow.start_item()
    flow.give_consent(consent)
    assert flow.step is Step.FORM


def test_consent_opens_the_session_that_prefill_reads_in(flow, id_cards, sandbox,
                                                          creds) -> None:
    """Agreeing opens one session naming the card's digest (the SHA-256 of its text block,
    never the block), and the shared data arrives through it; declining opens none."""
    card = id_cards["R001"]
    to_form(flow, card, consent=False)
    assert sessions_of(sandbox, creds.device_id) == []
    flow.back()
    flow.give_consent(True)
    assert flow.prefill_state is PrefillState.DONE and flow.prefilled.get("phone") == "shared"
    [session] = sessions_of(sandbox, creds.device_id)
    assert session["card_digest"] == card.text_sha256 and len(card.text_sha256) == 64
    assert session["identified_by"] == "id_card" and session["closed_at"] is None
    with sandbox.platform.db.session() as conn:
        [read] = conn.execute("SELECT * FROM access_log WHERE device_id = ?",
                              (creds.device_id,)).fetchall()
    assert read["session_id"] == session["session_id"] and read["outcome"] == "found"


def test_a_social_security_card_names_its_records_digest(flow, sandbox, creds) -> None:
    """A social-security card's session carries the SHA-256 of its EF05 and EF06 records as
    read."""
    card = ssc_of("R002")
    to_form(flow, card)
    [session] = sessions_of(sandbox, creds.device_id)
    assert session["identified_by"] == "social_security_card"
    assert session["card_digest"] == card.public_sha256 and len(card.public_sha256) == 64
    assert flow.prefill_state is PrefillState.DONE


def test_finishing_closes_the_session(flow, id_cards, sandbox, creds, clock) -> None:
    """Submitted, receipt shown, "finish" pressed with the card still there: the session is
    closed on the platform at once, before the card is taken."""
    to_form(flow, id_cards["R001"])
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    clock.advance(6)
    flow.tick()
    assert flow.step is Step.RECEIPT
    assert sessions_of(sandbox, creds.device_id)[0]["closed_at"] is None
    flow.finish()
    assert flow.step is Step.GOODBYE
    assert sessions_of(sandbox, creds.device_id)[0]["closed_at"] is not None


def test_taking_the_card_closes_the_session(flow, id_cards, sandbox, creds) -> None:
    """The card taken mid-form wipes the session and closes it on the platform; so does the
    card taken at the receipt, where the citizen stays."""
    to_form(flow, id_cards["R001"])
    flow.card_removed()
    assert flow.step is Step.ATTRACT
    assert sessions_of(sandbox, creds.device_id)[0]["closed_at"] is not None
    to_form(flow, id_cards["R002"])
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    assert flow.step is Step.SUBMIT
    flow.card_removed()
    assert flow.step is Step.SUBMIT          # the application goes on to its receipt
    assert [s["closed_at"] is not None for s in sessions_of(sandbox, creds.device_id)] == \
        [True, True]


def test_the_idle_wipe_closes_the_session(flow, id_cards, sandbox, creds, clock) -> None:
    """The citizen walks away: the idle reset wipes and the platform's session is closed."""
    to_form(flow, id_cards["R001"])
    clock.advance(81)
    flow.tick()
    assert flow.step is Step.ATTRACT
    assert sessions_of(sandbox, creds.device_id)[0]["closed_at"] is not None
    assert flow._card_session_id is None


def test_a_lost_session_is_opened_again_once_while_the_card_is_there(
        flow, id_cards, shared, sandbox, sandbox_clock, creds, caplog) -> None:
    """The session expires while the prefill is on its way: the read's 403 no_session opens
    a new session and reads again, once. When that one expires too, the flow stops using
    shared data and says so; a failed close is logged without the ID number."""
    shared.hold = True
    card = id_cards["R001"]
    to_form(flow, card)
    sandbox_clock.advance(minutes=15)
    shared.deliver()                     # 403 no_session: a second session is opened
    assert len(sessions_of(sandbox, creds.device_id)) == 2
    shared.deliver()
    assert flow.prefill_state is PrefillState.DONE and flow.prefilled.get("phone") == "shared"

    flow.back()
    flow.give_consent(True)              # the session of this visit is read in again
    assert len(sessions_of(sandbox, creds.device_id)) == 2
    sandbox_clock.advance(minutes=15)
    shared.deliver()                     # expired: one new session...
    sandbox_clock.advance(minutes=15)
    shared.deliver()                     # ...expired again: no third try
    assert len(sessions_of(sandbox, creds.device_id)) == 3
    assert flow.prefill_state is PrefillState.FAILED
    assert flow.prefill_outcome is PrefillOutcome.NO_SESSION
    assert flow.prefill_notice == MESSAGES["form.shared_session_ended"]
    with caplog.at_level(logging.INFO, logger="kiosk.flows"):
        flow.wipe("idle")                # nothing open: nothing to close
        to_form(flow, card)
        sandbox_clock.advance(minutes=16)
        flow.wipe("idle")                # the platform had it expired: 404, logged
    failed = [r for r in caplog.records if r.getMessage() == "session.close_failed"]
    assert [r.ctx for r in failed] == [{"error": "not_found", "status": 404}]
    assert all(card.id_number not in r.getMessage() + str(getattr(r, "ctx", ""))
               for r in caplog.records)


def test_past_the_terminals_limit_the_form_goes_on_without_shared_data(
        flow, id_cards, platform, sandbox) -> None:
    """429 session_rate: no shared data, the form says why, in both languages."""
    for _ in range(5):
        session_for(platform, Personal(id_cards["R002"].id_number, "id_number"))
    to_form(flow, id_cards["R001"])
    assert flow.prefill_state is PrefillState.FAILED
    assert flow.prefill_outcome is PrefillOutcome.RATE_LIMITED
    assert flow.prefill_notice == MESSAGES["form.shared_rate_limited"]
    assert "上限" in flow.prefill_notice.zh and "limit" in flow.prefill_notice.en
    assert "phone" not in flow.values


def test_offline_there_is_no_session_and_the_form_says_so(catalog, outbox, clock, id_cards,
                                                           data_dir) -> None:
    """Nothing answers: no session, no shared data, and the form says the line is down."""
    creds = Credentials(f"http://127.0.0.1:{free_port()}", "kiosk-x", "token", "", "kiosk")
    with PlatformClient.build(creds, ClientSettings(**TIMEOUTS)) as client:
        flow = make_flow(catalog, outbox, PlatformNow(client), clock)
        to_form(flow, id_cards["R001"])
    assert flow.prefill_state is PrefillState.FAILED
    assert flow.prefill_outcome is PrefillOutcome.OFFLINE
    notice = flow.prefill_notice
    assert notice == MESSAGES["form.shared_offline"]
    assert "网络中断" in notice.zh and "No connection" in notice.en
    assert flow.values["applicant_name"]          # the card's data is still there


def test_an_agent_opens_sessions_for_their_area_only(catalog, outbox, clock, id_cards,
                                                     sandbox, tmp_path) -> None:
    """On an agent terminal the session is opened with the agent's token: a resident of the
    agent's area gets shared data; one of another area is refused, and the agent is told
    why."""
    from central import admin
    from offline_queue import credentials

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "agent")
    creds = credentials.enroll(tmp_path, sandbox.url, code, "agent", hostname="t",
                               app_version="0.1.0", site={"region_code": "330110", "name": "t"})
    admin.add_agent(sandbox.platform.settings.data_dir, "A-EAST", "246813", "东湖村")
    admin.add_agent(sandbox.platform.settings.data_dir, "A-XUN", "246813", "荀山村")
    with PlatformClient.build(creds, ClientSettings(**TIMEOUTS)) as client:
        east = client.sign_in_agent("A-EAST", "246813").agent_token
        xun = client.sign_in_agent("A-XUN", "246813").agent_token
        outside = make_flow(catalog, outbox, PlatformNow(client, east), clock, "agent")
        to_form(outside, id_cards["R001"])             # R001 lives in 荀山村
        inside = make_flow(catalog, outbox, PlatformNow(client, xun), clock, "agent")
        to_form(inside, id_cards["R001"])
        without = make_flow(catalog, outbox, PlatformNow(client), clock, "agent")
        to_form(without, id_cards["R001"])
    assert outside.prefill_outcome is PrefillOutcome.OUTSIDE_AREA
    assert outside.prefill_notice == MESSAGES["form.shared_outside_area"]
    assert "片区" in outside.prefill_notice.zh and "area" in outside.prefill_notice.en
    assert inside.prefill_state is PrefillState.DONE
    assert without.prefill_outcome is PrefillOutcome.REFUSED   # agent_sign_in_required
    [session] = [s for s in sessions_of(sandbox, creds.device_id)]
    assert session["agent_id"] is not None and session["closed_at"] is None


def test_withdrawn_consent_closes_the_session_and_drops_a_late_answer(
        flow, id_cards, sandbox, creds, shared) -> None:
    """Agreeing, then going back and declining, closes the card session on the platform,
    and the shared data that was on its way is not put into the form."""
    shared.hold = True
    to_form(flow, id_cards["R001"])
    assert sessions_of(sandbox, creds.device_id)[0]["closed_at"] is None
    flow.back()
    flow.give_consent(False)
    assert sessions_of(sandbox, creds.device_id)[0]["closed_at"] is not None
    shared.deliver()                     # the read was already under way: 403, dropped
    assert flow.prefill_state is PrefillState.IDLE and "phone" not in flow.values
    assert flow._card_session_id is None
