"""The agent's visit as a plain state machine (no Qt): which page, which card, which outbox.

Real services over the sandbox, the real catalog and cards read through the emulator; the
citizen flow is driven through its own methods as its screens would.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from civic.catalog.vocab import IdentityAssurance
from devices.idcard.card import IdCard
from kiosk.agent import AgentOutbox, QueueDashboard, WorklistBook
from kiosk.agent.submission import VisitQueue
from kiosk.agent.visit import AgentVisit, Page
from kiosk.flows import PrefillOutcome, Step
from kiosk.flows.session import CitizenFlow, FlowSettings
from offline_queue import Outbox
from tests.kiosk.agent.conftest import PIN, Terminal
from tests.kiosk.flows.conftest import RecordingPrinter

if TYPE_CHECKING:
    from civic.catalog.model import Catalog


class NoPrefill:
    """A platform out of reach: no card session, no shared data."""

    def open_session(self, _request: Any, done: Any) -> None:
        from kiosk.flows.services import SessionResult

        done(SessionResult(PrefillOutcome.OFFLINE))

    def fetch(self, _id: Any, _code: str, _session_id: str, done: Any) -> None:
        from kiosk.flows.services import PrefillResult

        done(PrefillResult(outcome=PrefillOutcome.OFFLINE))

    def close_session(self, _session_id: str) -> None:
        pass


def visit_of(terminal: Terminal, outbox: Outbox, catalog: Catalog) -> AgentVisit:
    auth = terminal.auth()
    dashboard = QueueDashboard(outbox, auth)
    queue = VisitQueue(AgentOutbox(outbox, auth), dashboard)
    flow = CitizenFlow(catalog, queue, NoPrefill(), RecordingPrinter(),
                       settings=FlowSettings(channel="agent"))
    visit = AgentVisit(auth, WorklistBook(terminal.platform, terminal.vault, auth),
                       dashboard, flow, queue)
    auth.sign_in(terminal.agent_number, PIN)
    visit.book.sync()
    visit.signed_in()
    return visit


def test_cards_only_count_where_the_agent_expects_them(
        terminal: Terminal, data_dir: Path, id_cards: dict[str, IdCard],
        catalog: tuple[Catalog, str]) -> None:
    """A card at the work list opens the resident (matched); starting an item hosts the
    flow; cancelling returns to the same resident, whose card starts the next one; ending
    the visit drops the card; a card on the queue page is ignored."""
    ref = next(iter(id_cards))
    with Outbox(data_dir / "outbox") as outbox:
        visit = visit_of(terminal, outbox, catalog[0])
        assert visit.page is Page.WORKLIST and visit.worklist is not None
        visit.card_placed(id_cards[ref])
        assert visit.page is Page.RESIDENT and visit.resident is not None
        code = visit.resident.eligible[0].item_code
        visit.start(code)
        assert visit.page is Page.FORMS and visit.flow.step is Step.ITEM
        visit.cancel_application()
        assert visit.page is Page.RESIDENT and visit.flow.step is Step.CHOOSE
        assert visit.flow.identity is not None, "ready for the next application"
        visit.end_visit()
        assert visit.page is Page.WORKLIST and visit.flow.identity is None
        visit.open_queue()
        visit.card_placed(id_cards[ref])
        assert visit.page is Page.QUEUE and visit.flow.identity is None
        visit.dashboard.close()
        visit.close()


def test_sign_out_wipes_and_a_correction_replaces_the_dead_item(
        terminal: Terminal, data_dir: Path, id_cards: dict[str, IdCard],
        catalog: tuple[Catalog, str]) -> None:
    """During a correction the flow's queue resends in place of the dead item; cancelling
    or signing out ends that; signing out wipes the flow and forgets the resident. The
    flow keeps one queue throughout."""
    from kiosk.agent import as_agent_submission
    from tests.kiosk.agent.conftest import application, identity_of

    ref = next(iter(id_cards))
    with Outbox(data_dir / "outbox") as outbox:
        visit = visit_of(terminal, outbox, catalog[0])
        queue = visit.flow.outbox
        built = application(catalog, visit.book.load().residents[0].eligible[0].item_code,
                            identity_of(id_cards[ref]))
        sid = outbox.enqueue(as_agent_submission(built.body,
                                                 visit.auth.session().agent_id),
                             built.blobs())
        visit.correct(sid)
        assert visit.page is Page.CORRECT and visit.correcting == sid
        visit.cancel_correction()
        assert visit.page is Page.QUEUE and visit.queue.replacing is None
        visit.correcting = sid
        visit.page = Page.CORRECT
        visit.card_placed(id_cards[ref])
        assert visit.queue.replacing == sid
        item = catalog[0].get(built.body["item_code"])
        if item.identity_assurance is IdentityAssurance.FACE:
            # the corrected resend needs the person checked again: the agent attests
            assert visit.page is Page.FORMS and visit.flow.step is Step.FACE_CHECK
            visit.flow.attest_identity()
        assert visit.page is Page.FORMS and visit.flow.step is Step.FORM
        visit.sign_out()
        assert visit.page is Page.SIGN_IN and visit.flow.identity is None
        assert visit.queue.replacing is None and visit.resident is None
        assert visit.flow.outbox is queue
        visit.dashboard.close()
        visit.close()
