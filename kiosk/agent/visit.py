"""The agent's screens as one plain-Python state machine (no Qt): what page shows, and why.

::

    SIGN_IN ──signed in──▶ WORKLIST ──card read──▶ RESIDENT ──start an item──▶ FORMS
       ▲                    │  ▲ ▲                   │   ▲                        │
       │                    ▼  │ └──── end visit ────┘   └── receipt done (same ──┘
       │                  QUEUE ──correct a dead item──▶ CORRECT ──card──▶ FORMS   resident)
       └── sign out / inactivity (from any page: the visit and the form are wiped)

FORMS is the citizen flow itself (``kiosk.flows.CitizenFlow``): the same item, consent,
form, review, signature and receipt steps as the kiosk, with ``AgentOutbox`` behind its
outbox so the agent is recorded on every submission. The visit keeps the resident's card
(in memory only) so that, after one application, the next one starts from the same card:
the flow is wiped between applications and given the card again. A card taken away
(the resident keeps it) does not end the visit; the agent ends it.

A correction (a dead item) goes through the same form: the resident's card is read again
(the resident signs the corrected application), checked to be the applicant's, the form
opens with the rejected values, and the flow's queue (one for the whole of agent mode,
``kiosk.agent.submission.VisitQueue``) sends that one submission through
``QueueDashboard.resend`` (a new submission that ``replaces`` the dead one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from civic.text import Text
from kiosk.agent.dashboard import QueueDashboard
from kiosk.agent.errors import AgentError, WorklistUnavailable
from kiosk.agent.signin import AgentAuth, SignOutReason
from kiosk.agent.submission import VisitQueue
from kiosk.agent.worklist import Worklist, WorkResident
from kiosk.flows.states import Step, Topic

if TYPE_CHECKING:
    from kiosk.flows.session import CitizenFlow

log = logging.getLogger(__name__)



class VisitTopic(StrEnum):
    """What changed, as the visit announces it to its screens."""

    PAGE = "page"               # another page shows
    NOTICE = "notice"           # the notice line changed
    WORKLIST = "worklist"       # the work list was loaded or synced


Listener = Callable[[VisitTopic], None]

#: flow steps after which the agent is back with the resident (the application is done or
#: was abandoned)
_BACK_TO_RESIDENT = (Step.GOODBYE, Step.ATTRACT)


class Page(StrEnum):
    SIGN_IN = "sign_in"
    WORKLIST = "worklist"
    RESIDENT = "resident"
    FORMS = "forms"
    QUEUE = "queue"
    CORRECT = "correct"


class AgentVisit:
    """``AgentVisit(auth, book, dashboard, flow, queue)`` (``queue`` is the flow's); the
    screens read its attributes and call its methods on the GUI thread, and hear each
    change as a :class:`VisitTopic`."""

    def __init__(self, auth: AgentAuth, book: Any, dashboard: QueueDashboard,
                 flow: CitizenFlow, queue: VisitQueue) -> None:
        self.auth, self.book, self.dashboard, self.flow = auth, book, dashboard, flow
        self.queue = queue
        self._listeners: list[Listener] = []
        self.page = Page.SIGN_IN
        self.notice: Text | None = None
        self.worklist: Worklist | None = None
        self.resident: WorkResident | None = None
        self.correcting: str | None = None
        self.correction_reasons: dict[str, Any] | None = None
        self.correction_item = ""
        self._card: Any = None
        self._unsubscribe = flow.subscribe(self._on_flow)

    def close(self) -> None:
        self._unsubscribe()
        self._forget()

    # -- observing -----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _changed(self, topic: VisitTopic) -> None:
        for listener in list(self._listeners):
            listener(topic)

    def _go(self, page: Page) -> None:
        log.info("agent.page", extra={"ctx": {"from": str(self.page), "to": str(page)}})
        self.page = page
        self._changed(VisitTopic.PAGE)

    def say(self, notice: Text | None) -> None:
        self.notice = notice
        self._changed(VisitTopic.NOTICE)

    def say_error(self, error: AgentError) -> None:
        self.say(Text(error.zh, error.en))

    # -- signing in and out ------------------------------------------------------------
    def signed_in(self) -> None:
        """After ``auth.sign_in`` succeeded (on the worker): open the stored work list."""
        self.notice = None
        self.load_worklist()
        self._go(Page.WORKLIST)

    def load_worklist(self) -> None:
        try:
            self.worklist = self.book.load()
        except WorklistUnavailable as exc:
            self.worklist = None
            self.say_error(exc)
        self._changed(VisitTopic.WORKLIST)

    def worklist_synced(self, worklist: Worklist) -> None:
        self.worklist = worklist
        self.notice = None                  # "no work list yet" no longer holds
        self._changed(VisitTopic.WORKLIST)

    def signed_out(self, reason: SignOutReason) -> None:
        """Sign-out by the agent or after inactivity: nothing of the visit is kept."""
        self._forget()
        self.worklist = None
        self.flow.wipe(f"agent_{reason}")
        if reason is SignOutReason.INACTIVITY:
            self.notice = Text("长时间未操作，已自动退出登录。请重新登录。",
                                    "Signed out after a period without activity. "
                                    "Please sign in again.")
        else:
            self.notice = None
        self._go(Page.SIGN_IN)

    def sign_out(self) -> None:
        self.auth.sign_out(SignOutReason.AGENT)
        self.signed_out(SignOutReason.AGENT)

    # -- the visit ---------------------------------------------------------------------
    def card_placed(self, card: Any) -> None:
        """A card read by the agent's reader (GUI thread)."""
        self.auth.activity()
        if self.page is Page.CORRECT:
            self._correction_card(card)
            return
        if self.page not in (Page.WORKLIST, Page.RESIDENT):
            log.info("agent.card_ignored", extra={"ctx": {"page": str(self.page)}})
            return
        self._card = card
        self.resident = None
        self.flow.wipe("agent_next_resident")
        self.flow.card_placed(card)
        if self.flow.step is Step.CHOOSE and self.flow.identity is not None \
                and self.worklist is not None:
            self.resident = self.worklist.match(self.flow.identity)
        self.notice = self.flow.refusal if self.flow.step is Step.REFUSED else None
        if self.flow.step is not Step.CHOOSE:
            self._card = None
        self._go(Page.RESIDENT)

    def card_failed(self, message: Text) -> None:
        if self.page in (Page.WORKLIST, Page.RESIDENT, Page.CORRECT):
            self.say(message)

    def start(self, item_code: str | None) -> None:
        """Start an application for the resident: an eligible item, or (None) any item of
        the catalog chosen on the citizen flow's own screen."""
        self.auth.activity()
        if self._card is None or self.flow.identity is None:
            return
        if self.flow.step is not Step.CHOOSE:
            self._restart_flow()
        self.flow.set_language(self.flow.language)
        self._go(Page.FORMS)
        if item_code is not None:
            self.flow.choose(item_code)

    def _restart_flow(self) -> None:
        language, elder = self.flow.language, self.flow.elder
        self.flow.wipe("agent_next_item")
        self.flow.card_placed(self._card)
        if self.flow.language != language:
            self.flow.set_language(language)
        if self.flow.elder != elder:
            self.flow.set_elder(elder)

    def end_visit(self) -> None:
        self._forget()
        self.flow.wipe("agent_end_visit")
        self.notice = None
        self._go(Page.WORKLIST)

    def _on_flow(self, topic: Topic) -> None:
        if topic is not Topic.STEP or self.page is not Page.FORMS \
                or self.flow.step not in _BACK_TO_RESIDENT:
            return
        corrected = self.correcting is not None
        # Leave FORMS before touching the flow again: its wipe below announces steps too.
        self.page = Page.QUEUE if corrected else Page.RESIDENT
        self._end_correction()
        if corrected:
            self._forget()
            self.flow.wipe("agent_correction_done")
        elif self._card is not None:
            self._restart_flow()               # ready for the resident's next application
        self._go(self.page)

    def _forget(self) -> None:
        self._card = None
        self.resident = None
        self._end_correction()

    # -- the queue and corrections -------------------------------------------------------
    def open_queue(self) -> None:
        self._go(Page.QUEUE)

    def close_queue(self) -> None:
        self._go(Page.RESIDENT if self._card is not None else Page.WORKLIST)

    def correct(self, dead_id: str) -> None:
        """Correct a dead item: ask for the applicant's card (the resident signs again)."""
        self.auth.activity()
        body = self.dashboard.correction(dead_id)
        entry = next((e for e, _ in self.dashboard.entries(self.auth.session().agent_id)
                      if e.submission_id == dead_id), None)
        self.correcting = dead_id
        self.correction_reasons = entry.reasons if entry is not None else None
        self.correction_item = str(body.get("item_code", ""))
        self.notice = None
        self._go(Page.CORRECT)

    def cancel_correction(self) -> None:
        self._end_correction()
        self.flow.wipe("agent_correction_cancelled")
        self.notice = None
        self._go(Page.QUEUE)

    def cancel_application(self) -> None:
        """Leave the form without submitting: back to the resident (or the queue)."""
        self.auth.activity()
        self.flow.restart()         # the flow's wipe; _on_flow takes the agent back

    def _correction_card(self, card: Any) -> None:
        assert self.correcting is not None
        body = self.dashboard.correction(self.correcting)
        self.flow.wipe("agent_correction")
        self.flow.card_placed(card)
        identity = self.flow.identity
        applicant = body.get("applicant") or {}
        if identity is None or identity.id_number.reveal().upper() != \
                str(applicant.get("id_number", "")).upper():
            self.flow.wipe("agent_correction_wrong_card")
            self.say(self.flow.refusal if self.flow.step is Step.REFUSED else Text(
                "这张证件不是该申请人的，请读取申请人本人的证件。",
                "This card is not the applicant's; read the applicant's own card."))
            return
        self.queue.replacing = self.correcting
        self._go(Page.FORMS)
        self.flow.choose(str(body["item_code"]))
        if self.flow.step is Step.ITEM:
            self.flow.start_item()
        consent = body.get("consent") or {}
        self.flow.give_consent(bool(consent.get("prefill_authorised")))
        if self.flow.step is not Step.FORM:
            return
        # The rejected values, as typed (a field the card fills stays as the card says;
        # photos are taken again): the agent changes what the platform refused.
        editable = {f.key for f in self.flow.visible_fields()
                    if str(f.type) != "file" and not f.readonly}
        for key, value in (body.get("form") or {}).items():
            if key in editable:
                self.flow.set_value(key, value)

    def _end_correction(self) -> None:
        self.correcting = None
        self.correction_reasons = None
        self.queue.replacing = None
