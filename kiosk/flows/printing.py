"""The session's printed end: submit and receipt, or the query_print proof; then goodbye.

Submit queues the application durably and waits a moment for the case number; the receipt
slip is printed either way. A query_print item's proof is made from the form and the
shared data, previewed, then printed. Answers from the printer carry their session, so a
job finishing after a wipe is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.flows.core import FlowCore, guarded, log
from kiosk.flows.messages import MESSAGES
from kiosk.flows.states import PrefillState, PrintState, Step, Topic
from kiosk.lazy import lazy

# A session's end needs these, the first screen does not (kiosk.lazy).
if TYPE_CHECKING:
    from civic import submission as wire
    from kiosk import receipts
    from kiosk.flows import proof as proofs
    from kiosk.flows import services, submission
    from kiosk.flows.services import PrintOutcome, ProofContent
    from offline_queue import errors as queue_errors
    from offline_queue import events, states
    from offline_queue.events import OutboxEvent
else:
    proofs, receipts = lazy("kiosk.flows.proof"), lazy("kiosk.receipts")
    services, submission = lazy("kiosk.flows.services"), lazy("kiosk.flows.submission")
    events, states = lazy("offline_queue.events"), lazy("offline_queue.states")
    queue_errors, wire = lazy("offline_queue.errors"), lazy("civic.submission")


class PrintingSteps(FlowCore):
    # -- submit -------------------------------------------------------------------------------
    @guarded
    def sign(self, png: bytes) -> None:
        """The citizen signed and pressed Submit: queue durably, then wait for a case number."""
        self._need("sign", Step.SIGN)
        if not png:
            self.notice = MESSAGES["sign.empty"]
            self._changed(Topic.NOTICE)
            return
        self._submit(png)

    @guarded
    def confirm_by_keypad(self) -> None:
        """A citizen who cannot draw confirmed on the keypad instead of signing: the
        application goes without a signature image, its consent saying so."""
        self._need("confirm_by_keypad", Step.SIGN)
        if not self.can_confirm_by_keypad:
            raise RuntimeError(f"no keypad confirmation on the {self.settings.channel} channel")
        self._submit(None)

    @property
    def can_confirm_by_keypad(self) -> bool:
        """Whether this terminal's channel may confirm without a signature (a kiosk's
        keypad; the platform refuses it from an agent's laptop)."""
        return self.settings.channel in wire.KEYPAD_CHANNELS

    def _submit(self, png: bytes | None) -> None:
        assert self.item is not None and self.identity is not None
        self.signature = png or b""
        self.submitted_at = self.now()
        built = submission.build_submission(
            item=self.item, catalog_version=self.catalog.version, identity=self.identity,
            values=self.values, signature_png=png, files=self.files,
            prefill_authorised=bool(self.consent), now=self.submitted_at,
            channel=self.settings.channel)
        check = self.identity_check_wire()
        if check is not None:           # a face item: how the person was checked
            built.body["identity_check"] = check
        self._go(Step.SUBMIT)
        try:
            sid = self.outbox.enqueue(built.body, built.blobs())
        except queue_errors.OutboxError as exc:
            log.error("flow.enqueue_failed", extra={"ctx": {"error": type(exc).__name__}})
            self._fail()
            return
        self.submission_id = sid
        self.local_receipt = self.outbox.get(sid)["local_receipt"]
        self._deadline = self.clock() + self.settings.online_wait_s
        self._changed(Topic.SUBMIT)

    def identity_check_wire(self) -> dict[str, object] | None:
        """The Submission's ``identity_check`` (the face part overrides it)."""
        return None

    @guarded
    def outbox_event(self, event: OutboxEvent) -> None:
        """An event from the outbox (moved to the GUI thread by the bridge)."""
        # here, not at the top: kiosk.flows loads before the first frame, events after it

        if not (isinstance(event, events.ItemChanged) and event.state is states.State.SENT
                and self.submission_id is not None
                and event.submission_id == self.submission_id):
            return
        self.case_number = self.outbox.get(self.submission_id)["case_number"]
        if self.step is Step.SUBMIT:
            self._to_receipt()
        else:
            self._changed(Topic.CASE_NUMBER)

    def _to_receipt(self) -> None:
        assert self.item is not None and self.identity is not None
        assert self.submission_id is not None and self.submitted_at is not None
        self._deadline = None
        self._go(Step.RECEIPT)
        self._print_receipt()

    def _print_receipt(self) -> None:

        assert self.item is not None and self.identity is not None
        assert self.submission_id is not None and self.submitted_at is not None
        info = proofs.receipt_info(
            item=self.item, identity=self.identity, submission_id=self.submission_id,
            submitted_at=self.submitted_at, template=self.settings.tracking_url_template,
            site_name=self.settings.site_name, case_number=self.case_number,
            local_receipt=self.local_receipt, language=self.language)
        self.print_state, self.print_message = PrintState.PRINTING, None
        self._changed(Topic.PRINT)
        session = self._session
        self.printer.print_receipt(receipts.submission_receipt(info),
                                    lambda outcome: self._printed(session, outcome))

    @guarded
    def _printed(self, session: int, outcome: PrintOutcome) -> None:
        if not self._current(session):
            return
        if outcome.preview:
            self.preview = outcome.preview
        self.print_state = PrintState.PRINTED if outcome.printed else PrintState.FAILED
        self.print_message = outcome.message
        self._changed(Topic.PRINT)

    @guarded
    def reprint(self) -> None:
        self._need("reprint", Step.RECEIPT, Step.PROOF)
        self.idle.activity()
        if self.step is Step.RECEIPT:
            self._print_receipt()
        else:
            self.print_proof()

    @guarded
    def finish(self) -> None:
        self._need("finish", Step.RECEIPT, Step.PROOF, Step.AGENT_ONLY)
        self._end_card_session()         # done with shared data, whether or not the card is
        if not self.card_present:
            self.wipe("finished")
            return
        self._go(Step.GOODBYE)

    # -- query_print ---------------------------------------------------------------------------
    def _proof_content(self) -> ProofContent:

        assert self.item is not None and self.identity is not None
        record_id = f"{self.settings.terminal_id}-{self._session}-{self.item.code}"
        title = self.item.output.title.zh if self.item.output.title else self.item.name.zh
        rows = proofs.proof_rows(self.item, self.identity, self._shared_fields, self.values,
                                 record_id)
        return services.ProofContent(title, rows, proofs.verification_url(
            self.settings.tracking_url_template, record_id), self.now().isoformat())

    def _make_proof(self) -> None:
        if self.prefill_state is PrefillState.LOADING:         # made when the shared data arrives
            self.print_state = PrintState.PREPARING
            self._changed(Topic.PRINT)
            return
        if self.prefill_state in (PrefillState.FAILED, PrefillState.IDLE):
            self.notice = MESSAGES["proof.offline"]
            self.print_state = PrintState.FAILED
            self._changed(Topic.PRINT)
            return
        self.print_state = PrintState.PREPARING
        self._changed(Topic.PRINT)
        session = self._session
        self.printer.preview_proof(self._proof_content(),
                                    lambda pages: self._proof_ready(session, pages))

    @guarded
    def _proof_ready(self, session: int, pages: list[bytes]) -> None:
        if not self._current(session):
            return
        self.proof_pages = pages
        self.print_state = PrintState.IDLE
        self._changed(Topic.PRINT)

    @guarded
    def print_proof(self) -> None:
        self._need("print_proof", Step.PROOF)
        if not self.proof_pages:
            return
        self.print_state, self.print_message = PrintState.PRINTING, None
        self._changed(Topic.PRINT)
        session = self._session
        self.printer.print_proof(self._proof_content(),
                                  lambda outcome: self._printed(session, outcome))
