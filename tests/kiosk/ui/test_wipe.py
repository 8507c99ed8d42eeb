"""Idle expiry and card removal wipe everything; elder mode, language and volume reset."""

from __future__ import annotations

from kiosk.flows import IdlePhase, Step
from kiosk.flows.certify import RecordOutcome, RecordResult
from tests.kiosk.flows.conftest import INSURANCE_PROOF, NOW, PENSION
from tests.kiosk.flows.helpers import certified_answer, platform_answer
from tests.kiosk.ui.driver import current, fill_form, role, tap, to_proof, type_text
from tests.kiosk.ui.residue import residue

NAME, ID_NUMBER, MASKED = "张建国", "330110194610230210", "张**"
SECRETS = [NAME, ID_NUMBER, MASKED, "13805710000"]


def to_form(qtbot, window, flow, card) -> None:
    flow.card_placed(card)
    flow.choose(PENSION)
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "decline"))
    assert flow.step is Step.FORM


def test_idle_expiry_mid_form_leaves_no_residue(qtbot, window, flow, id_cards,
                                                clock) -> None:
    """Warning with countdown, 'continue' works, then expiry: no widget, flow object or
    keyboard dictionary holds the citizen's name, ID number or phone."""
    tap(qtbot, window.attract.elder)
    to_form(qtbot, window, flow, id_cards["R001"])
    tap(qtbot, window.language_button)
    form = current(window)
    assert form.rows["applicant_name"].edit.text() == NAME
    form.rows["phone"].edit.setFocus()
    type_text(qtbot, form.rows["phone"].edit, "13805710000")
    # the keyboard's pinyin engine would have learned the name: stand in for its file
    dictionary = window.keyboard.user_data / "data" / "pinyin"
    dictionary.mkdir(parents=True)
    (dictionary / "usr_dict.dat").write_bytes(NAME.encode("utf-16-le"))
    window.speaker.volume = 100
    clock.advance(60)
    window.tick()
    assert window.idle_warning.isVisible() and "20" in window.idle_warning.countdown.text()
    assert any("still there" in said for said, _ in window.speaker.said)
    tap(qtbot, window.idle_warning.go_on)
    assert flow.idle_status().phase is IdlePhase.ACTIVE and not window.idle_warning.isVisible()
    assert flow.step is Step.FORM
    clock.advance(80)
    window.tick()
    assert flow.step is Step.ATTRACT and current(window) is window.attract
    assert flow.language == "zh" and flow.elder is False and window.speaker.volume == 70
    assert "font-size: 16pt" in window.styleSheet()
    assert residue(SECRETS, flow, window.keyboard) == []


def test_the_wipe_drops_the_card_session(qtbot, window, flow, id_cards, prefill,
                                          clock) -> None:
    """Consent opens a card session; the idle wipe closes it and no widget, the flow or any
    answer object still holds its id (nor the citizen's data)."""
    flow.card_placed(id_cards["R001"])
    flow.choose(PENSION)
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "agree"))
    assert flow.step is Step.FORM and prefill.opened == ["held-session-1"]
    assert flow._card_session_id == "held-session-1"
    assert residue(["held-session-1"], flow, window.keyboard) != []   # the check sees it
    clock.advance(81)
    window.tick()
    assert flow.step is Step.ATTRACT
    assert prefill.closed == ["held-session-1"]
    assert residue([*SECRETS, "held-session-1"], flow, window.keyboard) == []


def test_the_wipe_drops_the_certified_record(qtbot, window, flow, id_cards, prefill,
                                             catalog, clock) -> None:
    """A query_print proof on screen from a verified record: the idle wipe leaves no record,
    its id or its code in the flow, a widget or any live object."""
    prefill.answer = platform_answer(catalog, "R001", INSURANCE_PROOF)
    prefill.record = certified_answer(catalog, "R001", INSURANCE_PROOF, NOW)
    record = prefill.record.record
    assert record is not None
    to_proof(qtbot, window, flow, id_cards["R001"], INSURANCE_PROOF)
    assert flow.step is Step.PROOF and flow.record is record
    marks = [record.record_id, record.verification_code]
    assert residue(marks, flow, window.keyboard) != []                # the check sees it
    # the test's own fake keeps what it answered; the real bridge keeps nothing
    prefill.record = RecordResult(RecordOutcome.NOT_FOUND)
    del record
    clock.advance(81)
    window.tick()
    assert flow.step is Step.ATTRACT
    assert residue([*SECRETS, *marks], flow, window.keyboard) == []


def test_card_removed_mid_flow_wipes_at_once(qtbot, window, flow, id_cards) -> None:
    """Taking the card away during the form returns to the first screen with nothing kept."""
    to_form(qtbot, window, flow, id_cards["R001"])
    fill_form(qtbot, window)
    flow.card_removed()
    assert current(window) is window.attract
    assert residue(SECRETS, flow, window.keyboard) == []
    assert window.wiper.count == 1


def test_speech_never_says_an_id_number(qtbot, window, flow, id_cards) -> None:
    """Elder mode reads each screen's prompts aloud; no ID number is ever among them."""
    flow.set_elder(True)
    to_form(qtbot, window, flow, id_cards["R001"])
    said = " ".join(text for text, _ in window.speaker.said)
    assert said and ID_NUMBER not in said and NAME not in said
