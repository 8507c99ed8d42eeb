"""The screens through their real widgets, over the flow with recording services."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.flows import PrintState, Step
from kiosk.flows.certify import RecordOutcome, RecordResult
from tests.kiosk.flows.conftest import DISABILITY_CARD, INSURANCE_PROOF, NOW, PENSION
from tests.kiosk.flows.helpers import certified_answer, platform_answer
from tests.kiosk.ui.driver import (
    choose_by_search,
    current,
    fill_form,
    role,
    sign,
    tap,
    texts,
    to_proof,
)


def test_apply_journey_through_the_widgets(qtbot, window, flow, id_cards, prefill, printer,
                                           clock, catalog) -> None:
    """Card, search, item, consent, prefilled form (marks), review, signature, receipt."""
    prefill.answer = platform_answer(catalog, "R001", PENSION)
    flow.card_placed(id_cards["R001"])
    assert current(window) is window.screens[Step.CHOOSE]
    assert "张**" in texts(current(window)) and "张建国" not in texts(current(window))
    choose_by_search(qtbot, window, "yanglao", PENSION)
    assert flow.step is Step.ITEM
    assert "无需提交" in texts(current(window)) or "需要提供" in texts(current(window))
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "agree"))
    form = current(window)
    assert flow.step is Step.FORM
    assert form.rows["phone"].mark.isVisible() and "共享" in form.rows["phone"].mark.text()
    assert form.rows["applicant_name"].edit.isReadOnly()
    fill_form(qtbot, window)
    tap(qtbot, role(window, "next"))
    assert flow.step is Step.REVIEW, flow.errors
    tap(qtbot, role(window, "confirm"))
    sign(qtbot, window)
    tap(qtbot, role(window, "submit"))
    assert flow.step is Step.SUBMIT
    clock.advance(6)
    window.tick()
    assert flow.step is Step.RECEIPT
    screen = current(window)
    assert flow.local_receipt in screen.number.text() and screen.preview.has_image()
    tap(qtbot, role(window, "done"))
    assert flow.step is Step.GOODBYE


def test_validation_error_is_shown_beside_the_field_and_fixed(qtbot, window, flow,
                                                              id_cards) -> None:
    """A wrong phone number shows a plain message under the field, in the chosen language."""
    flow.card_placed(id_cards["R001"])
    flow.set_language("en")
    flow.choose(PENSION)
    flow.start_item()
    tap(qtbot, role(window, "decline"))
    row = current(window).rows["phone"]
    row.edit.setFocus()
    qtbot.keyClicks(row.edit, "12345")
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    assert row.error.isVisible() and "phone" in row.error.text()
    assert current(window).pad.isVisible()     # the numeric pad serves phone numbers
    row.edit.clear()
    qtbot.keyClicks(row.edit, "13805710000")
    qtbot.keyClick(row.edit, Qt.Key.Key_Return)
    assert not row.error.isVisible()


def test_agent_only_and_query_print_screens(qtbot, window, flow, id_cards, prefill, catalog,
                                            printer) -> None:
    """agent_only explains where to go; query_print shows the proof preview and prints it."""
    flow.card_placed(id_cards["R001"])
    flow.choose(DISABILITY_CARD)
    assert "代办" in texts(current(window))
    tap(qtbot, role(window, "back"))
    prefill.answer = platform_answer(catalog, "R001", INSURANCE_PROOF)
    prefill.record = certified_answer(catalog, "R001", INSURANCE_PROOF, NOW)
    flow.choose(INSURANCE_PROOF)
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "agree"))
    fill_form(qtbot, window)
    tap(qtbot, role(window, "next"))
    assert flow.step is Step.PROOF and current(window).page.has_image()
    tap(qtbot, role(window, "print"))
    assert printer.proofs and flow.print_state is PrintState.PRINTED


def test_the_proof_screen_without_a_certified_record(qtbot, window, flow, id_cards, prefill,
                                                     catalog, printer) -> None:
    """The platform cannot certify: the screen shows what the form read (masked) and says
    why nothing is printed; the print button stays off."""
    prefill.answer = platform_answer(catalog, "R001", INSURANCE_PROOF)
    prefill.record = RecordResult(RecordOutcome.OFFLINE)
    to_proof(qtbot, window, flow, id_cards["R001"], INSURANCE_PROOF)
    screen = current(window)
    assert flow.step is Step.PROOF and not screen.page.has_image()
    shown = texts(screen)
    assert "无法出具" in shown and "张**" in shown and "张建国" not in shown
    assert not any(b.isVisible() for b in screen.findChildren(type(screen.print_button))
                   if b.property("role") == "print")
    assert not printer.proofs and not printer.receipts


def test_language_switch_on_every_screen(qtbot, window, flow, id_cards) -> None:
    """The top bar's language button switches the current screen at once, both ways."""
    flow.card_placed(id_cards["R001"])
    tap(qtbot, window.language_button)
    assert flow.language == "en" and "what would you like" in texts(current(window))
    tap(qtbot, window.language_button)
    assert flow.language == "zh" and "请选择" in texts(current(window))


def test_document_photo_with_preview_retake_and_crop(qtbot, window, flow, id_cards) -> None:
    """A file field opens the camera (the sample document without one), the picture is
    cropped to the paper, and using it attaches it to the field."""
    from kiosk.ui.camera import auto_crop, sample_document

    cropped = auto_crop(sample_document())
    assert 800 <= cropped.width() <= 900 and 700 <= cropped.height() <= 760
    flow.card_placed(id_cards["R001"])
    code = next(i.code for i in flow.catalog if str(i.mode) == "apply"
                and any(str(f.type) == "file" for f in i.form.fields))
    flow.choose(code)
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "decline"))
    row = next(r for r in current(window).rows.values() if r.photo_button is not None)
    tap(qtbot, row.photo_button)
    assert window.camera.isVisible() and window.camera.demo_note.isVisible()
    tap(qtbot, window.camera.shoot)
    assert window.camera.view.has_image()
    tap(qtbot, window.camera.use)
    assert row.field.key in flow.files and not window.camera.isVisible()
    assert "已拍摄" in row.photo_button.text()
