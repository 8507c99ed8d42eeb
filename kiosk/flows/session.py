"""The citizen session: one state machine from the card on the reader to the receipt.

The screens read the public attributes and call the methods; nothing else changes the
state. Every change is announced to subscribers with a short topic (``"step"``,
``"values"``, ``"print"``...), so a screen redraws what concerns it. Callbacks from services
carry the session they were started in: an answer that arrives after the session ended
(a late prefill, a print job finishing after a wipe) is dropped, never shown to the next
citizen.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from kiosk.flows.errors import StepError
from kiosk.flows.idle import IdlePhase, IdleStatus, IdleTracker
from kiosk.flows.messages import MESSAGES, Bilingual
from kiosk.flows.states import SESSION_STEPS, TAKE_CARD_STEPS, Step

if TYPE_CHECKING:
    from devices.idcard.card import IdCard
    from devices.smartcard.model import SocialSecurityCard
    from kiosk.catalog.model import Catalog, Item
    from kiosk.flows.services import (
        PrefillClient,
        PrefillResult,
        PrinterService,
        PrintOutcome,
        ProofContent,
    )
    from kiosk.flows.submission import Attachment
    from kiosk.identity import Identity
    from offline_queue import Outbox

# The catalog, identity, receipt, services and outbox modules are imported where they are
# first needed (a card, a form, a submit): the first screen must not wait for them.
APPLY, QUERY_PRINT, AGENT_ONLY = "apply", "query_print", "agent_only"
SIGNATURE, FILE = "signature", "file"

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
Listener = Callable[[str], None]


@dataclass(frozen=True)
class FlowSettings:
    site_name: str = ""
    terminal_id: str = ""
    tracking_url_template: str = "http://127.0.0.1:8765/v1/track/{submission_id}"
    language: str = "zh"                # language each session starts in
    volume: int = 70                    # speech volume each session starts with (0..100)
    idle_warning_s: float = 60.0
    idle_countdown_s: float = 20.0
    online_wait_s: float = 5.0          # how long Submit waits for the case number
    goodbye_s: float = 12.0             # "take your card" before the next citizen
    channel: str = "kiosk"


def _guarded(method: Callable[P, R]) -> Callable[P, R | None]:
    """A bug inside a transition ends the session on the error screen, with a traceback."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except Exception:
            flow = args[0]
            assert isinstance(flow, CitizenFlow)
            log.exception("flow.bug", extra={"ctx": {"action": method.__name__,
                                                      "step": str(flow.step)}})
            flow._fail()
            return None
    return wrapper


class CitizenFlow:
    def __init__(self, catalog: Catalog | None, outbox: Outbox | None,
                 prefill: PrefillClient | None, printer: PrinterService | None, *,
                 settings: FlowSettings | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()
                 ) -> None:
        # The composition root may hand these over after the first screen is shown.
        self.catalog, self.outbox = catalog, outbox
        self.prefill_client, self.printer = prefill, printer
        self.settings = settings or FlowSettings()
        self.clock, self.now = clock, now
        self.idle = IdleTracker(self.settings.idle_warning_s, self.settings.idle_countdown_s,
                                clock)
        self._listeners: list[Listener] = []
        self._session = 0
        self.language = self.settings.language
        self.elder = False
        self.volume = self.settings.volume
        self._clear()

    # -- observing ---------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)
        return unsubscribe

    def _changed(self, topic: str) -> None:
        for listener in list(self._listeners):
            listener(topic)

    def _go(self, step: Step) -> None:
        log.info("flow.step", extra={"ctx": {"from": str(self.step), "to": str(step),
                                             "item": self.item.code if self.item else None}})
        self.step = step
        self.notice = None
        self._entered_at = self.clock()
        self._changed("step")

    def _need(self, action: str, *steps: Step) -> None:
        if self.step not in steps:
            raise StepError(action, str(self.step))

    # -- session data ---------------------------------------------------------------------
    def _clear(self) -> None:
        """Drop everything the session held (the flow's half of the wipe)."""
        self.step = Step.ATTRACT
        self.identity: Identity | None = None
        self.refusal: Bilingual | None = None
        self.notice: Bilingual | None = None
        self.item: Item | None = None
        self.consent: bool | None = None
        self.values: dict[str, Any] = {}
        self.prefilled: dict[str, str] = {}       # field key -> "card" | "shared"
        self.prefill_state = "idle"               # idle | loading | done | failed
        self.exempt_codes: tuple[str, ...] = ()
        self._shared_fields: dict[str, Any] = {}
        self._touched: set[str] = set()
        self.errors: dict[str, dict[str, str]] = {}
        self.files: dict[str, Attachment] = {}
        self.signature: bytes = b""
        self.submission_id: str | None = None
        self.submitted_at: dt.datetime | None = None
        self.case_number: str | None = None
        self.local_receipt: str | None = None
        self.print_state = "idle"                 # idle | printing | printed | failed
        self.print_message: Bilingual | None = None
        self.preview: bytes = b""
        self.proof_pages: list[bytes] = []
        self.card_present = False
        self._deadline: float | None = None
        self._entered_at = self.clock()

    @property
    def session(self) -> int:
        return self._session

    def _current(self, session: int) -> bool:
        return session == self._session

    @_guarded
    def wipe(self, reason: str = "end") -> None:
        """End the session: every personal value dropped, preferences back to defaults."""
        log.info("flow.wipe", extra={"ctx": {"reason": reason, "step": str(self.step)}})
        self._session += 1
        self._clear()
        self.language = self.settings.language
        self.elder = False
        self.volume = self.settings.volume
        self.idle.reset()
        self._changed("wiped")
        self._changed("step")

    def _fail(self) -> None:
        self._session += 1
        self._clear()
        self.step = Step.ERROR
        self._changed("step")

    # -- preferences and activity --------------------------------------------------------
    def set_language(self, language: str) -> None:
        if language not in ("zh", "en"):
            raise ValueError(language)
        self.language = language
        self.idle.activity()
        self._changed("prefs")

    def set_elder(self, on: bool) -> None:
        self.elder = on
        self.idle.activity()
        self._changed("prefs")

    def activity(self) -> None:
        self.idle.activity()

    def extend(self) -> None:
        """"Continue" on the idle warning."""
        self.idle.extend()
        self._changed("idle")

    def idle_status(self) -> IdleStatus:
        if self.step in (Step.ATTRACT, Step.IDENTIFY, Step.SUBMIT):
            return IdleStatus(IdlePhase.ACTIVE)
        return self.idle.poll()

    @_guarded
    def tick(self) -> None:
        """About once a second: idle expiry, the wait for a case number, goodbye."""
        status = self.idle_status()
        if status.phase is IdlePhase.EXPIRED:
            self.wipe("idle")
            return
        if status.phase is IdlePhase.WARNING:
            self._changed("idle")
        if self.step is Step.SUBMIT and self._deadline is not None \
                and self.clock() >= self._deadline:
            self._to_receipt()
        elif self.step is Step.GOODBYE and self.clock() - self._entered_at >= \
                self.settings.goodbye_s:
            self.wipe("goodbye")

    # -- cards ----------------------------------------------------------------------------
    def card_reading(self) -> None:
        self.idle.activity()
        if self.step in (Step.ATTRACT, Step.REFUSED):
            self._go(Step.IDENTIFY)

    @_guarded
    def card_placed(self, card: IdCard | SocialSecurityCard) -> None:
        self.idle.activity()
        if self.step not in (Step.ATTRACT, Step.IDENTIFY, Step.REFUSED, Step.GOODBYE):
            log.info("flow.card_ignored", extra={"ctx": {"step": str(self.step)}})
            return
        if self.step is Step.GOODBYE:
            self.wipe("next_card")
        from devices.smartcard.model import SocialSecurityCard
        from kiosk.errors import IdentityRefused
        from kiosk.identity import from_id_card, from_social_security_card

        today = self.now().date()
        try:
            if isinstance(card, SocialSecurityCard):
                identity = from_social_security_card(card, today)
            else:
                identity = from_id_card(card, today)
        except IdentityRefused as exc:
            self._session += 1
            self._clear()
            self.card_present = True
            self.refusal = Bilingual(exc.zh, exc.en)
            self._go(Step.REFUSED)
            return
        self._session += 1
        self._clear()
        self.identity = identity
        self.card_present = True
        self.idle.reset()
        self._go(Step.CHOOSE)

    def card_failed(self, message: Bilingual) -> None:
        """A card is there but could not be read; the message asks to place it again."""
        self.idle.activity()
        if self.step in (Step.ATTRACT, Step.IDENTIFY, Step.REFUSED):
            self.refusal = message
            self._go(Step.REFUSED)

    @_guarded
    def card_removed(self) -> None:
        self.card_present = False
        if self.step in (Step.IDENTIFY, Step.REFUSED, Step.ERROR):
            self.wipe("card_removed")
        elif self.step is Step.GOODBYE:
            self.wipe("card_taken")
        elif self.step in SESSION_STEPS and self.step not in TAKE_CARD_STEPS:
            self.wipe("card_removed")

    # -- choosing ---------------------------------------------------------------------------
    @_guarded
    def choose(self, code: str) -> None:
        self._need("choose", Step.CHOOSE, Step.ITEM, Step.AGENT_ONLY)
        self.item = self.catalog.get(code)
        self.idle.activity()
        # an agent_only item is the village agent's to file: at the kiosk it is explained,
        # on the agent's terminal its form is filled in like any other
        at_kiosk = self.settings.channel != "agent"
        self._go(Step.AGENT_ONLY if at_kiosk and self.item.mode == AGENT_ONLY else Step.ITEM)

    @_guarded
    def back(self) -> None:
        self.idle.activity()
        previous = {Step.ITEM: Step.CHOOSE, Step.AGENT_ONLY: Step.CHOOSE,
                    Step.CONSENT: Step.ITEM, Step.FORM: Step.CONSENT, Step.REVIEW: Step.FORM,
                    Step.SIGN: Step.REVIEW, Step.PROOF: Step.FORM}
        if self.step not in previous:
            raise StepError("back", str(self.step))
        target = previous[self.step]
        if target is Step.CHOOSE:
            self.item = None
        if target is Step.CONSENT:   # changing one's mind about consent starts the form again
            self.values, self.prefilled, self.errors, self._touched = {}, {}, {}, set()
            self.files, self._shared_fields, self.prefill_state = {}, {}, "idle"
        self._go(target)

    @_guarded
    def start_item(self) -> None:
        self._need("start_item", Step.ITEM)
        self.idle.activity()
        self._go(Step.CONSENT)

    # -- consent and prefill ---------------------------------------------------------------
    @_guarded
    def give_consent(self, authorised: bool) -> None:
        self._need("give_consent", Step.CONSENT)
        assert self.item is not None and self.identity is not None
        self.idle.activity()
        if not authorised and self.item.mode == QUERY_PRINT:
            self.notice = MESSAGES["consent.needed"]
            self._changed("notice")
            return
        from kiosk.catalog.prefill import prefill_values

        self.consent = authorised
        self.values = prefill_values(self.item.form, self.identity.card_fields(), {})
        self.prefilled = {key: "card" for key in self.values}
        self._go(Step.FORM)
        if authorised:
            self.prefill_state = "loading"
            session = self._session
            self.prefill_client.fetch(  # type: ignore[union-attr]
                self.identity.id_number, self.item.code,
                                lambda result: self._prefill_done(session, result))

    @_guarded
    def _prefill_done(self, session: int, result: PrefillResult) -> None:
        if not self._current(session) or self.item is None:
            return                                   # a previous citizen's answer
        if result.outcome != "ok":
            self.prefill_state = "failed"
            self._changed("prefill")
            if self.step is Step.PROOF:
                self._make_proof()
            return
        form_keys = set(self.item.form.keys)
        self._shared_fields = {k: v for k, v in result.fields.items() if k in form_keys}
        for key, value in self._shared_fields.items():
            if key not in self._touched and key not in self.values:
                self.values[key] = value
                self.prefilled[key] = "shared"
        self.exempt_codes = result.exempt_materials
        self.prefill_state = "done"
        self._changed("prefill")
        self._changed("values")
        if self.step is Step.PROOF:
            self._make_proof()

    # -- the form ---------------------------------------------------------------------------
    def visible_fields(self) -> list[Any]:
        """The fields the form screen shows (signatures are taken on their own screen)."""
        if self.item is None:
            return []
        return [f for f in self.item.form.fields if f.type != SIGNATURE]

    @_guarded
    def set_value(self, key: str, value: Any) -> None:
        self._need("set_value", Step.FORM)
        self.idle.activity()
        if value is None or value == "" or value == []:
            self.values.pop(key, None)
        else:
            self.values[key] = value
        if self.prefilled.get(key) == "shared":
            self.prefilled.pop(key)
        self._touched.add(key)
        self._revalidate()
        self._changed("values")

    @_guarded
    def attach_file(self, key: str, data: bytes, media_type: str = "image/png") -> None:
        self._need("attach_file", Step.FORM)
        from kiosk.flows.submission import Attachment

        attachment = Attachment(data, media_type, "document")
        self.files[key] = attachment
        self.values[key] = attachment.sha256
        self._touched.add(key)
        self._revalidate()
        self._changed("values")

    def _validate_all(self) -> dict[str, dict[str, str]]:
        assert self.item is not None
        errors = self.item.form.validate(self.values, today=self.now().date())
        signatures = {f.key for f in self.item.form.fields if f.type == SIGNATURE}
        return {k: v for k, v in errors.items() if k not in signatures}

    def _revalidate(self, everything: bool = False) -> None:
        errors = self._validate_all()
        if not everything:
            errors = {k: v for k, v in errors.items() if k in self._touched}
        self.errors = errors
        self._changed("errors")

    @_guarded
    def to_review(self) -> None:
        self._need("to_review", Step.FORM)
        assert self.item is not None
        self.idle.activity()
        self._touched.update(f.key for f in self.visible_fields())
        self._revalidate(everything=True)
        if self.errors:
            self.notice = MESSAGES["form.fix"]
            self._changed("notice")
            return
        if self.item.mode == QUERY_PRINT:
            self._go(Step.PROOF)
            self._make_proof()
        else:
            self._go(Step.REVIEW)

    @_guarded
    def confirm_review(self) -> None:
        self._need("confirm_review", Step.REVIEW)
        self.idle.activity()
        self._go(Step.SIGN)

    # -- submit -------------------------------------------------------------------------------
    @_guarded
    def sign(self, png: bytes) -> None:
        """The citizen signed and pressed Submit: queue durably, then wait for a case number."""
        self._need("sign", Step.SIGN)
        assert self.item is not None and self.identity is not None
        if not png:
            self.notice = MESSAGES["sign.empty"]
            self._changed("notice")
            return
        from kiosk.flows.submission import build_submission
        from offline_queue import OutboxError

        self.signature = png
        self.submitted_at = self.now()
        built = build_submission(
            item=self.item, catalog_version=self.catalog.version, identity=self.identity,
            values=self.values, signature_png=png, files=self.files,
            prefill_authorised=bool(self.consent), now=self.submitted_at,
            channel=self.settings.channel)
        self._go(Step.SUBMIT)
        try:
            sid = self.outbox.enqueue(  # type: ignore[union-attr]
                built.body, built.blobs())
        except OutboxError as exc:
            log.error("flow.enqueue_failed", extra={"ctx": {"error": type(exc).__name__}})
            self._fail()
            return
        self.submission_id = sid
        self.local_receipt = self.outbox.get(sid)["local_receipt"]
        self._deadline = self.clock() + self.settings.online_wait_s
        self._changed("submit")

    @_guarded
    def outbox_event(self, event: dict[str, Any]) -> None:
        """An event from the outbox (moved to the GUI thread by the bridge)."""
        if event.get("kind") != "state" or event.get("submission_id") != self.submission_id \
                or self.submission_id is None or event.get("state") != "sent":
            return
        self.case_number = self.outbox.get(self.submission_id)["case_number"]
        if self.step is Step.SUBMIT:
            self._to_receipt()
        else:
            self._changed("case_number")

    def _to_receipt(self) -> None:
        assert self.item is not None and self.identity is not None
        assert self.submission_id is not None and self.submitted_at is not None
        self._deadline = None
        self._go(Step.RECEIPT)
        self._print_receipt()

    def _print_receipt(self) -> None:
        from kiosk.flows import proof as proofs
        from kiosk.receipts import submission_receipt

        assert self.item is not None and self.identity is not None
        assert self.submission_id is not None and self.submitted_at is not None
        info = proofs.receipt_info(
            item=self.item, identity=self.identity, submission_id=self.submission_id,
            submitted_at=self.submitted_at, template=self.settings.tracking_url_template,
            site_name=self.settings.site_name, case_number=self.case_number,
            local_receipt=self.local_receipt, language=self.language)
        self.print_state, self.print_message = "printing", None
        self._changed("print")
        session = self._session
        self.printer.print_receipt(submission_receipt(info),
                                    lambda outcome: self._printed(session, outcome))

    @_guarded
    def _printed(self, session: int, outcome: PrintOutcome) -> None:
        if not self._current(session):
            return
        if outcome.preview:
            self.preview = outcome.preview
        self.print_state = "printed" if outcome.printed else "failed"
        self.print_message = outcome.message
        self._changed("print")

    @_guarded
    def reprint(self) -> None:
        self._need("reprint", Step.RECEIPT, Step.PROOF)
        self.idle.activity()
        if self.step is Step.RECEIPT:
            self._print_receipt()
        else:
            self.print_proof()

    @_guarded
    def finish(self) -> None:
        self._need("finish", Step.RECEIPT, Step.PROOF, Step.AGENT_ONLY)
        if not self.card_present:
            self.wipe("finished")
            return
        self._go(Step.GOODBYE)

    def restart(self) -> None:
        self.wipe("restart")

    # -- query_print ---------------------------------------------------------------------------
    def _proof_content(self) -> ProofContent:
        from kiosk.flows import proof as proofs
        from kiosk.flows.services import ProofContent

        assert self.item is not None and self.identity is not None
        record_id = f"{self.settings.terminal_id}-{self._session}-{self.item.code}"
        title = self.item.output.title.zh if self.item.output.title else self.item.name.zh
        rows = proofs.proof_rows(self.item, self.identity, self._shared_fields, self.values,
                                 record_id)
        return ProofContent(title, rows, proofs.verification_url(
            self.settings.tracking_url_template, record_id), self.now().isoformat())

    def _make_proof(self) -> None:
        if self.prefill_state == "loading":         # made when the shared data arrives
            self.print_state = "preparing"
            self._changed("print")
            return
        if self.prefill_state in ("failed", "idle"):
            self.notice = MESSAGES["proof.offline"]
            self.print_state = "failed"
            self._changed("print")
            return
        self.print_state = "preparing"
        self._changed("print")
        session = self._session
        self.printer.preview_proof(self._proof_content(),
                                    lambda pages: self._proof_ready(session, pages))

    @_guarded
    def _proof_ready(self, session: int, pages: list[bytes]) -> None:
        if not self._current(session):
            return
        self.proof_pages = pages
        self.print_state = "idle"
        self._changed("print")

    @_guarded
    def print_proof(self) -> None:
        self._need("print_proof", Step.PROOF)
        if not self.proof_pages:
            return
        self.print_state, self.print_message = "printing", None
        self._changed("print")
        session = self._session
        self.printer.print_proof(self._proof_content(),
                                  lambda outcome: self._printed(session, outcome))

    def __repr__(self) -> str:
        return f"CitizenFlow(step={self.step}, identity={self.identity!r})"
