"""The citizen session state machine, driven without Qt through every kind of journey."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from civic.errors import Refusal
from civic.submission import shape_problems
from civic.text import Text
from kiosk.flows import CitizenFlow, PrefillOutcome, PrefillState, PrintState, Step
from kiosk.flows.certify import RecordOutcome, RecordResult
from kiosk.flows.services import PrefillResult
from offline_queue import Outbox, State
from offline_queue.events import ItemChanged
from tests.kiosk.flows.conftest import (
    DISABILITY_CARD,
    INSURANCE_PROOF,
    NOW,
    PENSION,
    FakeClock,
    HeldPrefill,
    RecordingPrinter,
    ssc_of,
)
from tests.kiosk.flows.helpers import (
    SIGNATURE_PNG,
    certified_answer,
    fill_remaining,
    platform_answer,
)


def to_form(flow: CitizenFlow, card, code: str = PENSION, consent: bool = True) -> None:
    flow.card_placed(card)
    flow.choose(code)
    flow.start_item()
    flow.give_consent(consent)
    assert flow.step is Step.FORM


def test_apply_offline_gets_local_receipt_number(flow, id_cards, prefill, printer, clock,
                                                 outbox, catalog) -> None:
    """Prefilled from card and shared data, signed, queued; with no case number within the
    wait the receipt carries the outbox's local receipt number and is printed."""
    prefill.answer = platform_answer(catalog, "R001", PENSION)
    to_form(flow, id_cards["R001"])
    assert flow.prefilled["applicant_name"] == "card"
    assert flow.prefilled["phone"] == "shared" and flow.values["phone"] == "13805710000"
    fill_remaining(flow)
    flow.to_review()
    assert flow.step is Step.REVIEW, flow.errors
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    assert flow.step is Step.SUBMIT
    queued = outbox.get(flow.submission_id)
    assert queued["state"] == State.PENDING and queued["local_receipt"] == flow.local_receipt
    clock.advance(4)
    flow.tick()
    assert flow.step is Step.SUBMIT
    clock.advance(2)
    flow.tick()
    assert flow.step is Step.RECEIPT and flow.case_number is None
    slip = printer.receipts[-1]
    assert any(flow.local_receipt in str(getattr(e, "value", "")) for e in slip.elements)
    assert flow.print_state is PrintState.PRINTED and flow.preview


def test_case_number_arriving_in_time_goes_on_the_receipt(flow, id_cards, outbox,
                                                          printer) -> None:
    """A 'sent' event for our submission within the wait shows and prints the case number."""
    to_form(flow, id_cards["R001"])
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    sid = flow.submission_id
    outbox.store.db.execute("UPDATE items SET state = ?, case_number = ? WHERE id = ?",
                            [str(State.SENT), "YH2026112200001", sid])
    flow.outbox_event(ItemChanged(str(uuid.uuid4()), State.SENT))
    assert flow.step is Step.SUBMIT
    flow.outbox_event(ItemChanged(sid, State.SENT))
    assert flow.step is Step.RECEIPT and flow.case_number == "YH2026112200001"
    assert any("YH2026112200001" in str(getattr(e, "value", ""))
               for e in printer.receipts[-1].elements)


def test_keypad_confirmation_queues_an_application_without_a_signature(
        flow, id_cards, outbox) -> None:
    """A citizen who cannot draw confirms on the keypad: the queued submission is well-formed,
    says keypad_confirmation, carries no signature image and leaves its signature field null."""
    to_form(flow, id_cards["R001"])
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    assert flow.can_confirm_by_keypad
    flow.confirm_by_keypad()
    assert flow.step is Step.SUBMIT
    body = outbox.body(flow.submission_id)
    assert body is not None
    assert shape_problems(body) == {}
    assert body["consent"]["method"] == "keypad_confirmation"
    assert body["consent"]["signature_sha256"] is None
    assert all(a["role"] != "signature" for a in body["attachments"])
    signature_keys = [f.key for f in flow.item.form.fields if str(f.type) == "signature"]
    assert signature_keys and all(body["form"][k] is None for k in signature_keys)


def test_an_agent_terminal_cannot_confirm_by_keypad(flow, id_cards, outbox) -> None:
    """On the agent channel the platform refuses keypad confirmation, so the flow does not
    offer it, and a call anyway ends on the error screen with nothing queued."""
    flow.settings = dataclasses.replace(flow.settings, channel="agent")
    to_form(flow, id_cards["R001"])
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    assert not flow.can_confirm_by_keypad
    flow.confirm_by_keypad()
    assert flow.step is Step.ERROR and flow.submission_id is None


def test_submission_is_well_formed(catalog, id_cards) -> None:
    """The body has a UUIDv7 id, the card's applicant, the signature attachment and consent."""
    from kiosk.flows.submission import Attachment, build_submission
    from kiosk.identity import from_id_card
    from tests.kiosk.flows.conftest import NOW

    photo = Attachment(b"\x89PNG-photo", "image/png", "document")
    built = build_submission(
        item=catalog.get(DISABILITY_CARD), catalog_version=catalog.version,
        identity=from_id_card(id_cards["R001"], NOW.date()), values={"phone": "13805710000"},
        signature_png=SIGNATURE_PNG, files={"photo": photo}, prefill_authorised=False,
        now=NOW)
    body = built.body
    assert uuid.UUID(body["submission_id"]).version == 7
    assert shape_problems(body) == {}
    assert body["consent"]["prefill_authorised"] is False
    assert body["applicant"]["identified_by"] == "id_card"
    assert body["form"]["photo"] == photo.sha256 and body["form"]["phone"] == "13805710000"
    roles = sorted(a["role"] for a in body["attachments"])
    assert roles == ["document", "signature"] and len(built.blobs()) == 2
    assert body["created_at"].endswith("+08:00")
    assert "330110194610230210" not in repr(built)


def test_expired_card_is_refused_and_removal_returns_to_attract(flow, id_cards) -> None:
    """An expired ID card is refused with when and what to do; taking it away resets."""
    flow.card_placed(id_cards["R021"])
    assert flow.step is Step.REFUSED and flow.identity is None
    assert "2025-10-01" in flow.refusal.zh and "renew" in flow.refusal.en
    flow.card_removed()
    assert flow.step is Step.ATTRACT and flow.refusal is None


def test_protected_social_security_card_asks_for_the_id_card(flow) -> None:
    """A third-generation card without a security module is refused: use the ID card."""
    flow.card_placed(ssc_of("R003"))
    assert flow.step is Step.REFUSED and "身份证" in flow.refusal.zh
    flow.card_placed(ssc_of("R001"))
    assert flow.step is Step.CHOOSE
    assert flow.identity.identified_by == "social_security_card"


def test_agent_only_item_explains_and_ends(flow, id_cards) -> None:
    """An agent_only item stops at its explanation; finishing says goodbye."""
    flow.card_placed(id_cards["R001"])
    flow.choose(DISABILITY_CARD)
    assert flow.step is Step.AGENT_ONLY and flow.item.handling is not None
    flow.finish()
    assert flow.step is Step.GOODBYE
    flow.card_removed()
    assert flow.step is Step.ATTRACT


def test_agent_only_item_opens_its_form_on_an_agent_terminal(flow, id_cards) -> None:
    """On the agent's terminal the agent files an agent_only item: item page, then form."""
    flow.settings = dataclasses.replace(flow.settings, channel="agent")
    flow.card_placed(id_cards["R001"])
    flow.choose(DISABILITY_CARD)
    assert flow.step is Step.ITEM
    flow.start_item()
    assert flow.step is Step.CONSENT


def test_validation_error_shown_by_field_then_fixed(flow, id_cards) -> None:
    """A bad phone number gets a plain message next to that field; fixing it clears it."""
    to_form(flow, id_cards["R001"], consent=False)
    flow.set_value("phone", "12345")
    assert set(flow.errors) == {"phone"}
    assert "电话" in flow.errors["phone"]["zh"] and "phone" in flow.errors["phone"]["en"]
    flow.to_review()
    assert flow.step is Step.FORM and flow.notice is not None
    fill_remaining(flow)
    flow.set_value("phone", "13805710000")
    assert "phone" not in flow.errors
    flow.to_review()
    assert flow.step is Step.REVIEW


def test_user_edits_survive_a_late_prefill(flow, id_cards, prefill, catalog) -> None:
    """Shared data arriving after the citizen typed does not overwrite what they typed."""
    prefill.immediate = False
    prefill.answer = platform_answer(catalog, "R001", PENSION)
    to_form(flow, id_cards["R001"])
    assert flow.prefill_state is PrefillState.LOADING
    flow.set_value("phone", "13900000000")
    prefill.deliver()
    assert flow.values["phone"] == "13900000000" and "phone" not in flow.prefilled
    assert flow.prefill_state is PrefillState.DONE


def test_prefill_for_a_previous_citizen_is_dropped(flow, id_cards, prefill, catalog) -> None:
    """An answer that arrives after the session was wiped never reaches the next one."""
    prefill.immediate = False
    prefill.answer = platform_answer(catalog, "R001", PENSION)
    to_form(flow, id_cards["R001"])
    flow.card_removed()
    flow.card_placed(id_cards["R002"])
    prefill.deliver()
    assert flow.values == {} and flow.step is Step.CHOOSE


def test_idle_warning_extends_without_limit_then_expiry_wipes(flow, id_cards, clock) -> None:
    """The warning comes after the idle time, 'continue' works every time, expiry wipes all."""
    to_form(flow, id_cards["R001"], consent=False)
    flow.set_language("en")
    flow.set_elder(True)
    for _ in range(15):
        clock.advance(61)
        status = flow.idle_status()
        assert status.phase == "warning" and 0 < status.seconds_left <= 20
        flow.extend()
        assert flow.idle_status().phase == "active"
    clock.advance(81)
    flow.tick()
    assert flow.step is Step.ATTRACT
    assert flow.identity is None and flow.values == {} and flow.item is None
    assert flow.language == "zh" and flow.elder is False
    assert "张" not in repr(vars(flow))


def test_card_removed_at_a_sensitive_step_wipes(flow, id_cards) -> None:
    """Taking the card away in the middle of the form ends the session at once."""
    to_form(flow, id_cards["R001"], consent=False)
    flow.set_value("phone", "13805710000")
    flow.card_removed()
    assert flow.step is Step.ATTRACT and flow.values == {} and flow.identity is None


def test_card_taken_at_the_receipt_keeps_the_receipt(flow, id_cards, clock) -> None:
    """At the receipt, taking the card is expected: the receipt stays until Done."""
    to_form(flow, id_cards["R001"], consent=False)
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    clock.advance(6)
    flow.tick()
    flow.card_removed()
    assert flow.step is Step.RECEIPT and flow.local_receipt
    flow.finish()
    assert flow.step is Step.ATTRACT


def test_printer_out_of_paper_keeps_receipt_and_submission(flow, id_cards, printer, clock,
                                                           outbox) -> None:
    """Paper out: the receipt stays on screen with what to do; the submission is queued."""
    printer.fail_with = Text("打印机缺纸，请联系工作人员", "Printer out of paper; ask staff")
    to_form(flow, id_cards["R001"], consent=False)
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    clock.advance(6)
    flow.tick()
    assert flow.step is Step.RECEIPT and flow.print_state is PrintState.FAILED
    assert flow.print_message.en.startswith("Printer out of paper") and flow.preview
    assert outbox.get(flow.submission_id)["state"] == State.PENDING
    printer.fail_with = None
    flow.reprint()
    assert flow.print_state is PrintState.PRINTED and len(printer.receipts) == 2


def test_query_print_needs_consent_and_prints_a_masked_proof(flow, id_cards, prefill,
                                                             printer, catalog) -> None:
    """query_print: without consent nothing is looked up; with it, the verified record is
    previewed, then printed on the slip and on A4 with its id and verification code."""
    prefill.answer = platform_answer(catalog, "R001", INSURANCE_PROOF)
    prefill.record = certified_answer(catalog, "R001", INSURANCE_PROOF, NOW)
    record = prefill.record.record
    assert record is not None
    flow.card_placed(id_cards["R001"])
    flow.choose(INSURANCE_PROOF)
    flow.start_item()
    flow.give_consent(False)
    assert flow.step is Step.CONSENT and flow.notice is not None
    flow.give_consent(True)
    fill_remaining(flow)
    flow.to_review()
    assert flow.step is Step.PROOF and flow.proof_pages
    flow.print_proof()
    proof = printer.proofs[-1]
    rows = dict(proof.rows)
    assert str(rows["持有人"]) == "张**" and "330110194610230210" not in repr(proof)
    assert rows["记录编号"] == record.record_id and rows["验证码"] == record.verification_code
    assert all(rows[row.label.zh] == row.value for row in record.rows)
    assert proof.verification_url == record.verify_url
    slip = printer.receipts[-1]
    printed = [getattr(e, "text", "") or getattr(e, "value", "") for e in slip.elements]
    assert record.record_id in printed and record.verification_code in printed
    assert any(getattr(e, "data", None) == record.verify_url for e in slip.elements)
    assert flow.print_state is PrintState.PRINTED
    flow.finish()
    assert flow.step is Step.GOODBYE
    assert flow.record is None                   # the card stays: the session is over


@pytest.mark.parametrize(("result", "words"), [
    (RecordResult(RecordOutcome.REFUSED, refusal=Refusal.BAD_SIGNATURE), "signature"),
    (RecordResult(RecordOutcome.REFUSED, refusal=Refusal.EXPIRED_KEY), "expired"),
    (RecordResult(RecordOutcome.NOT_FOUND), "holds no such record"),
    (RecordResult(RecordOutcome.NO_SESSION), "permission"),
    (RecordResult(RecordOutcome.OFFLINE), "cannot certify"),
])
def test_a_record_that_is_not_verified_is_never_printed(flow, id_cards, prefill, printer,
                                                        catalog, result, words) -> None:
    """A refused, missing or unreachable record: no preview, nothing printed, the citizen
    told why (in both languages) and what could be read shown on screen."""
    prefill.answer = platform_answer(catalog, "R001", INSURANCE_PROOF)
    prefill.record = result
    to_form(flow, id_cards["R001"], INSURANCE_PROOF)
    fill_remaining(flow)
    flow.to_review()
    assert flow.step is Step.PROOF and not flow.proof_pages
    assert flow.print_state is PrintState.FAILED
    assert flow.notice is not None and words in flow.notice.en and flow.notice.zh
    flow.print_proof()
    assert not printer.proofs and not printer.receipts
    shown = dict(flow.proof_rows_shown)
    assert shown["姓名"] == "张**"
    # a lost session is opened again once while the card is here, then the answer stands
    retried = result.outcome is RecordOutcome.NO_SESSION
    assert len(prefill.record_requests) == (2 if retried else 1)
    assert len(prefill.opened) == (2 if retried else 1)


def test_query_print_offline_says_so(flow, id_cards, prefill) -> None:
    """With the platform unreachable a proof cannot be made, and the screen says why."""
    prefill.session = PrefillOutcome.OFFLINE        # no card session opens offline
    prefill.answer = PrefillResult(outcome=PrefillOutcome.OFFLINE)
    to_form(flow, id_cards["R001"], INSURANCE_PROOF)
    fill_remaining(flow)
    flow.to_review()
    assert flow.step is Step.PROOF and not flow.proof_pages
    assert flow.notice is not None and "cannot certify" in flow.notice.en
    assert not prefill.record_requests             # no session: nothing to ask in


def test_a_bug_ends_on_the_error_screen_with_nothing_kept(flow, id_cards) -> None:
    """An unknown item code (a screen's bug) shows the error screen and drops the data."""
    flow.card_placed(id_cards["R001"])
    flow.choose("no-such-item")
    assert flow.step is Step.ERROR and flow.identity is None
    flow.restart()
    assert flow.step is Step.ATTRACT


def test_goodbye_times_out_to_attract(flow, id_cards, clock) -> None:
    """If the citizen walks off without the card event, goodbye returns to attract."""
    flow.card_placed(id_cards["R001"])
    flow.choose(DISABILITY_CARD)
    flow.finish()
    clock.advance(13)
    flow.tick()
    assert flow.step is Step.ATTRACT


def test_listeners_hear_steps_and_can_unsubscribe(flow, id_cards) -> None:
    """Subscribers get topics; after unsubscribing they get nothing."""
    heard: list[str] = []
    unsubscribe = flow.subscribe(heard.append)
    flow.card_placed(id_cards["R001"])
    assert "step" in heard
    unsubscribe()
    heard.clear()
    flow.choose(PENSION)
    assert heard == []


def test_fresh_outbox_and_printer_types_are_used(outbox: Outbox, printer: RecordingPrinter,
                                                 prefill: HeldPrefill,
                                                 clock: FakeClock) -> None:
    """The fixtures are the real outbox and the recording fakes (guards the test set-up)."""
    assert outbox.stats()["pending"] == 0 if "pending" in outbox.stats() else True
    assert printer.receipts == [] and prefill.pending == [] and clock() == 1000.0


def test_english_session_gets_an_english_slip(flow, id_cards, printer, clock) -> None:
    """A citizen who switched to English gets the slip in English (with the item's official
    Chinese name for staff), not the Chinese one."""
    flow.card_placed(id_cards["R001"])
    flow.set_language("en")
    flow.choose(PENSION)
    flow.start_item()
    flow.give_consent(False)
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    clock.advance(10)
    flow.tick()
    assert flow.step is Step.RECEIPT
    texts = [str(getattr(e, "text", "")) + str(getattr(e, "label", ""))
             for e in printer.receipts[-1].elements]
    assert texts[0] == "SUBMITTED" and "Local receipt" in texts
    assert flow.item is not None and flow.item.name.zh in texts


def test_query_print_proof_prints_the_shared_values_shown_on_the_form(
        flow, id_cards, prefill, printer, catalog) -> None:
    """The provident-fund loan pre-assessment: balance, marriage and properties come from
    the platform's prefill answer into read-only fields, and the proof prints them in words."""
    code = "12330110002508019X4014000016000"
    prefill.answer = platform_answer(catalog, "R001", code)
    prefill.record = certified_answer(catalog, "R001", code, NOW)
    to_form(flow, id_cards["R001"], code)
    item = catalog.get(code)
    shared_rows = [pf for pf in item.output.fields if pf.source.startswith("shared:")]
    by_source = {f.prefill: f for f in item.form.fields if f.prefill}
    for pf in shared_rows:
        field = by_source[pf.source]
        assert field.readonly and flow.prefilled.get(field.key) == "shared", field.key
    fill_remaining(flow)
    flow.to_review()
    assert flow.step is Step.PROOF and flow.proof_pages
    flow.print_proof()
    rows = dict(printer.proofs[-1].rows)
    assert len(shared_rows) == 3
    assert all(rows[pf.label.zh] not in ("", "—") for pf in shared_rows)
    assert rows["婚姻状况"] == "已婚" and rows["公积金余额（元）"] == "0"
