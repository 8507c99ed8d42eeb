"""The session's printed end: submit and receipt, or the query_print proof; then goodbye.

Submit queues the application durably and waits a moment for the case number; the receipt
slip is printed either way. A query_print item's proof is the platform's certified record:
fetched in the citizen's card session, verified against the platform's keys
(``kiosk.flows.certify``), previewed, then printed on the A4 proof and on the slip. Without
a verified record nothing is printed, and the screen says why (platform-api.md: "Without a
verified record the terminal prints no proof"). Answers from the printer and the platform
carry their session, so one arriving after a wipe is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from civic.text import Text
from kiosk.flows.core import FlowCore, guarded, log
from kiosk.flows.messages import MESSAGES
from kiosk.flows.states import PrefillOutcome, PrefillState, PrintState, Step, Topic
from kiosk.lazy import lazy

# A session's end needs these, the first screen does not (kiosk.lazy).
if TYPE_CHECKING:
    from civic import submission as wire
    from civic.records import Record
    from kiosk import receipts
    from kiosk.flows import certify, services, submission
    from kiosk.flows import proof as proofs
    from kiosk.flows.certify import RecordResult
    from kiosk.flows.services import PrintOutcome, ProofContent
    from offline_queue import errors as queue_errors
    from offline_queue import events, states
    from offline_queue.events import OutboxEvent
else:
    proofs, receipts = lazy("kiosk.flows.proof"), lazy("kiosk.receipts")
    services, submission = lazy("kiosk.flows.services"), lazy("kiosk.flows.submission")
    events, states = lazy("offline_queue.events"), lazy("offline_queue.states")
    queue_errors, wire = lazy("offline_queue.errors"), lazy("civic.submission")
    certify = lazy("kiosk.flows.certify")


class PrintingSteps(FlowCore):
    # the query_print item's certified record, verified; personal data, in memory only
    record: Record | None
    record_outcome: str | None        # kiosk.flows.certify.RecordOutcome once answered
    _slip_outcome: PrintOutcome | None

    def _clear(self) -> None:
        super()._clear()
        self.record = None
        self.record_outcome = None
        self._slip_outcome = None

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
            channel=self.settings.channel, identity_check=self.submission_identity_check())
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

    def submission_identity_check(self) -> wire.IdentityCheck | None:
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
        self.record = None               # and with the certified record: it is on paper now
        if not self.card_present:
            self.wipe("finished")
            return
        self._go(Step.GOODBYE)

    # -- query_print ---------------------------------------------------------------------------
    def _proof_content(self) -> ProofContent:
        assert self.item is not None and self.record is not None
        record = self.record
        return services.ProofContent(record.title.zh,
                                     proofs.record_proof_rows(record, self.item, self.values),
                                     record.verify_url, record.issued_at.isoformat())

    @property
    def proof_rows_shown(self) -> tuple[tuple[str, str], ...]:
        """What the screen can show when no record could be certified: the values the form
        read (masked where personal), in the session's language; never printed."""
        if self.item is None or self.identity is None or self.record is not None:
            return ()
        return proofs.uncertified_rows(self.item, self.identity, self._shared_fields,
                                       self.language)

    def _make_proof(self) -> None:
        if self.prefill_state is PrefillState.LOADING:         # asked when the session is open
            self.print_state = PrintState.PREPARING
            self._changed(Topic.PRINT)
            return
        if self.record is not None:                             # back again: preview it anew
            self._preview_record()
            return
        if self._card_session_id is None:                       # offline, declined, refused
            self._uncertified("proof.uncertified")
            return
        assert self.identity is not None and self.item is not None
        self.print_state = PrintState.PREPARING
        self._changed(Topic.PRINT)
        session = self._session
        self._fetch_record(session, retried=False)

    def _fetch_record(self, session: int, *, retried: bool) -> None:
        assert self.identity is not None and self.item is not None
        assert self._card_session_id is not None
        self.prefill_client.fetch_record(
            self.identity.id_number, self.item.code, self._card_session_id,
            lambda result: self._record_done(session, result, retried))

    def _uncertified(self, key: str, **values: Text) -> None:
        self.notice = Text(MESSAGES[key].zh.format(**{k: v.zh for k, v in values.items()}),
                           MESSAGES[key].en.format(**{k: v.en for k, v in values.items()})) \
            if values else MESSAGES[key]
        self.print_state = PrintState.FAILED
        self._changed(Topic.PRINT)
        self._changed(Topic.NOTICE)

    @guarded
    def _record_done(self, session: int, result: RecordResult, retried: bool = False) -> None:
        if not self._current(session) or self.step is not Step.PROOF:
            return                  # a previous citizen's record, or the citizen went back
        self.record_outcome = str(result.outcome)
        outcome = certify.RecordOutcome
        if result.outcome is outcome.VERIFIED and result.record is not None:
            self.record = result.record
            self._preview_record()
        elif result.outcome is outcome.REFUSED:
            why = MESSAGES[f"proof.why.{result.refusal or 'malformed'}"]
            self._uncertified("proof.refused", why=why)
        elif result.outcome is outcome.NOT_FOUND:
            self._uncertified("proof.no_record")
        elif result.outcome is outcome.NO_SESSION:
            self._card_session_lost(
                session, retried=retried, wanted=lambda: self.step is Step.PROOF,
                retry=lambda: self._fetch_record(session, retried=True),
                give_up=lambda why: self._uncertified(
                    "proof.no_session" if why is PrefillOutcome.NO_SESSION
                    else "proof.uncertified"))
        else:
            self._uncertified("proof.uncertified")

    def _preview_record(self) -> None:
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
        """Print the verified record: on the slip (rows, id, code, QR), then on A4."""
        self._need("print_proof", Step.PROOF)
        if not self.proof_pages or self.record is None:
            return                  # never a proof without a verified record
        self.print_state, self.print_message = PrintState.PRINTING, None
        self._changed(Topic.PRINT)
        session = self._session
        slip = receipts.record_slip(self.record, site_name=self.settings.site_name,
                                    language=self.language)
        self.printer.print_receipt(slip, lambda outcome: self._slip_printed(session, outcome))

    @guarded
    def _slip_printed(self, session: int, outcome: PrintOutcome) -> None:
        if not self._current(session) or self.record is None:
            return
        self._slip_outcome = outcome
        if outcome.preview:
            self.preview = outcome.preview
        self.printer.print_proof(self._proof_content(),
                                  lambda done: self._proof_printed(session, done))

    @guarded
    def _proof_printed(self, session: int, outcome: PrintOutcome) -> None:
        """Printed when the A4 proof is; a slip that did not print is said as well."""
        if not self._current(session):
            return
        slip = self._slip_outcome
        self.print_state = PrintState.PRINTED if outcome.printed else PrintState.FAILED
        self.print_message = outcome.message or (
            slip.message if slip is not None and not slip.printed else None)
        self._changed(Topic.PRINT)
