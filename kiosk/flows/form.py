"""The form part of the session: choosing an item, consent and prefill, filling in the form.

The form starts with what the card says; with the citizen's consent a card session is opened
on the platform and the shared data fetched in it (an answer for an earlier session is
dropped; a session the platform lost is opened again once while the card is there). Values
are checked as they are touched, and everything once more before the review (or, for a
query_print item, before its proof is made).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from kiosk.flows.core import AGENT_ONLY, QUERY_PRINT, SIGNATURE, guarded
from kiosk.flows.errors import StepError
from kiosk.flows.messages import MESSAGES
from kiosk.flows.printing import PrintingSteps
from kiosk.flows.states import PrefillOutcome, PrefillState, Step, Topic

#: where an item a clerk suggests over video can be opened: the citizen is choosing or
#: filling in (not during the face check, nor once the application is on its way)
SUGGESTIBLE_STEPS = frozenset({Step.CHOOSE, Step.ITEM, Step.AGENT_ONLY, Step.CONSENT,
                               Step.FORM, Step.REVIEW, Step.SIGN, Step.PROOF})

if TYPE_CHECKING:
    from civic.text import Text
    from kiosk.flows.services import PrefillResult

#: what the form says when there is no shared data, by why (messages.py keys)
SHARED_DATA_NOTICES: Final[Mapping[PrefillOutcome | None, str]] = MappingProxyType({
    PrefillOutcome.OFFLINE: "form.shared_offline",
    PrefillOutcome.RATE_LIMITED: "form.shared_rate_limited",
    PrefillOutcome.NO_SESSION: "form.shared_session_ended",
    PrefillOutcome.OUTSIDE_AREA: "form.shared_outside_area",
})


class FormSteps(PrintingSteps):
    # Built on the printed end: a query_print form ends in its proof (_make_proof).
    # -- choosing ---------------------------------------------------------------------------
    @guarded
    def choose(self, code: str) -> None:
        self._need("choose", Step.CHOOSE, Step.ITEM, Step.AGENT_ONLY)
        self.item = self.catalog.get(code)
        self.idle.activity()
        # an agent_only item is the village agent's to file: at the kiosk it is explained,
        # on the agent's terminal its form is filled in like any other
        at_kiosk = self.settings.channel != "agent"
        self._go(Step.AGENT_ONLY if at_kiosk and self.item.mode == AGENT_ONLY else Step.ITEM)

    @guarded
    def open_suggested(self, code: str) -> bool:
        """An item a clerk suggested over video that the citizen agreed to open: from any
        step where the citizen is choosing or filling in (what was being filled in is
        dropped; the citizen was told so before agreeing). False when the item is not in
        this terminal's catalog or the session is past the point of choosing."""
        if self.step not in SUGGESTIBLE_STEPS or code not in self.catalog:
            return False
        self._drop_form()
        self.step = Step.CHOOSE          # choose() announces the step change
        self.choose(code)
        return True

    def form_in_progress(self) -> bool:
        """Whether the citizen has begun an application that opening another would drop."""
        return self.step in SUGGESTIBLE_STEPS - {Step.CHOOSE, Step.ITEM, Step.AGENT_ONLY}

    def _drop_form(self) -> None:
        self.values, self.prefilled, self.errors, self._touched = {}, {}, {}, set()
        self.files, self._shared_fields, self.prefill_state = {}, {}, PrefillState.IDLE
        self.prefill_outcome = None
        self.consent, self.signature, self.exempt_codes = None, b"", ()
        self.preview, self.proof_pages = b"", []

    @guarded
    def back(self) -> None:
        self.idle.activity()
        previous = {Step.ITEM: Step.CHOOSE, Step.AGENT_ONLY: Step.CHOOSE,
                    Step.CONSENT: Step.ITEM, Step.FACE_CHECK: Step.CONSENT,
                    Step.FORM: Step.CONSENT, Step.REVIEW: Step.FORM,
                    Step.SIGN: Step.REVIEW, Step.PROOF: Step.FORM}
        if self.step not in previous:
            raise StepError("back", str(self.step))
        target = previous[self.step]
        if target is Step.CHOOSE:
            self.item = None
        if target is Step.CONSENT:   # changing one's mind about consent starts the form again
            self.values, self.prefilled, self.errors, self._touched = {}, {}, {}, set()
            self.files, self._shared_fields, self.prefill_state = {}, {}, PrefillState.IDLE
            self.prefill_outcome = None
        self._go(target)

    @guarded
    def start_item(self) -> None:
        self._need("start_item", Step.ITEM)
        self.idle.activity()
        self._go(Step.CONSENT)

    # -- consent and prefill ---------------------------------------------------------------
    @guarded
    def give_consent(self, authorised: bool) -> None:
        self._need("give_consent", Step.CONSENT)
        assert self.item is not None and self.identity is not None
        self.idle.activity()
        if not authorised and self.item.mode == QUERY_PRINT:
            self.notice = MESSAGES["consent.needed"]
            self._changed(Topic.NOTICE)
            return
        from civic.catalog.prefill import prefill_values

        self.consent = authorised
        self.values = prefill_values(self.item.form, self.identity.card_fields(), {})
        self.prefilled = {key: "card" for key in self.values}
        if authorised:                  # set before the step: a face check reads it
            self.prefill_state = PrefillState.LOADING
        self._go(self._after_consent())
        if not authorised:              # no consent, no session: none stays open either
            self._end_card_session()
            return
        if self._card_session_id is not None:     # opened for an earlier item of this visit
            self._fetch_shared(self._session, retried=False)
        else:
            self._open_for_shared(self._session)

    def _after_consent(self) -> Step:
        """The step after consent (a face item checks the person first: face_steps)."""
        return Step.FORM

    def _open_for_shared(self, session: int) -> None:
        """Open the card session, then read the citizen's shared data in it."""
        self._open_card_session(session, wanted=self._awaiting_shared,
                                then=lambda: self._fetch_shared(session, retried=False),
                                otherwise=self._shared_failed)

    def _fetch_shared(self, session: int, *, retried: bool) -> None:
        assert self.identity is not None and self.item is not None
        assert self._card_session_id is not None
        self.prefill_client.fetch(self.identity.id_number, self.item.code,
                                  self._card_session_id,
                                  lambda result: self._prefill_done(session, result, retried))

    def _awaiting_shared(self) -> bool:
        """True while the consent that asked for shared data stands and its answer is due."""
        return self.consent is True and self.prefill_state is PrefillState.LOADING

    def _shared_failed(self, outcome: PrefillOutcome) -> None:
        """No shared data this time; the form says why (``prefill_notice``)."""
        self.prefill_state = PrefillState.FAILED
        self.prefill_outcome = outcome
        self._changed(Topic.PREFILL)
        if self.step is Step.PROOF:
            self._make_proof()

    @property
    def prefill_notice(self) -> Text | None:
        """Why the form has no shared data, in the session's words (None when it has)."""
        if self.prefill_state is not PrefillState.FAILED:
            return None
        return MESSAGES[SHARED_DATA_NOTICES.get(self.prefill_outcome, "form.prefill_failed")]

    @guarded
    def _prefill_done(self, session: int, result: PrefillResult, retried: bool = False
                      ) -> None:
        if not self._current(session) or self.item is None or not self._awaiting_shared():
            return                 # a previous citizen's answer, or consent withdrawn since
        if not self.card_present:                    # taken away while this was read
            self._end_card_session()
        if result.outcome is PrefillOutcome.NO_SESSION:
            self._card_session_lost(session, retried=retried, wanted=self._awaiting_shared,
                                    retry=lambda: self._fetch_shared(session, retried=True),
                                    give_up=self._shared_failed)
            return
        if result.outcome is not PrefillOutcome.OK:
            self._shared_failed(result.outcome)
            return
        form_keys = set(self.item.form.keys)
        self._shared_fields = {k: v for k, v in result.fields.items() if k in form_keys}
        for key, value in self._shared_fields.items():
            if key not in self._touched and key not in self.values:
                self.values[key] = value
                self.prefilled[key] = "shared"
        self.exempt_codes = result.exempt_materials
        self.prefill_state = PrefillState.DONE
        self._changed(Topic.PREFILL)
        self._changed(Topic.VALUES)
        if self.step is Step.PROOF:
            self._make_proof()

    # -- the form ---------------------------------------------------------------------------
    def visible_fields(self) -> list[Any]:
        """The fields the form screen shows (signatures are taken on their own screen)."""
        if self.item is None:
            return []
        return [f for f in self.item.form.fields if f.type != SIGNATURE]

    @guarded
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
        self._changed(Topic.VALUES)

    @guarded
    def attach_file(self, key: str, data: bytes, media_type: str = "image/png") -> None:
        self._need("attach_file", Step.FORM)
        from kiosk.flows.submission import Attachment

        attachment = Attachment(data, media_type, "document")
        self.files[key] = attachment
        self.values[key] = attachment.sha256
        self._touched.add(key)
        self._revalidate()
        self._changed(Topic.VALUES)

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
        self._changed(Topic.ERRORS)

    @guarded
    def to_review(self) -> None:
        self._need("to_review", Step.FORM)
        assert self.item is not None
        self.idle.activity()
        self._touched.update(f.key for f in self.visible_fields())
        self._revalidate(everything=True)
        if self.errors:
            self.notice = MESSAGES["form.fix"]
            self._changed(Topic.NOTICE)
            return
        if self.item.mode == QUERY_PRINT:
            self._go(Step.PROOF)
            self._make_proof()
        else:
            self._go(Step.REVIEW)

    @guarded
    def confirm_review(self) -> None:
        self._need("confirm_review", Step.REVIEW)
        self.idle.activity()
        self._go(Step.SIGN)
