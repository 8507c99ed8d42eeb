"""The proof screen in elder and normal mode, with a verified record's preview and without
a certified record: targets, text size and contrast as every citizen screen is held to."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.flows import PrintState, Step
from kiosk.flows.certify import RecordOutcome, RecordResult
from kiosk.ui.theme import ELDER, NORMAL
from tests.kiosk.flows.conftest import INSURANCE_PROOF, NOW
from tests.kiosk.flows.helpers import certified_answer, platform_answer
from tests.kiosk.ui.driver import to_proof
from tests.kiosk.ui.test_accessibility import rendered_contrast, visible


@pytest.mark.parametrize("certified", [True, False], ids=["record", "no_record"])
@pytest.mark.parametrize("elder", [True, False], ids=["elder", "normal"])
def test_the_proof_screen_is_readable(qtbot, window, flow, id_cards, prefill, catalog,
                                      elder: bool, certified: bool) -> None:
    theme = ELDER if elder else NORMAL
    window.resize(1920, 1080)
    prefill.answer = platform_answer(catalog, "R001", INSURANCE_PROOF)
    prefill.record = (certified_answer(catalog, "R001", INSURANCE_PROOF, NOW) if certified
                      else RecordResult(RecordOutcome.OFFLINE))
    to_proof(qtbot, window, flow, id_cards["R001"], INSURANCE_PROOF)
    flow.set_elder(elder)
    QApplication.processEvents()
    assert flow.step is Step.PROOF
    assert flow.print_state is (PrintState.IDLE if certified else PrintState.FAILED)
    labels = [label for label in visible(window, QLabel) if label.text()]
    assert len(labels) >= (2 if certified else 3)
    for label in labels:
        if elder:
            assert label.font().pointSizeF() >= 20, label.text()
        assert rendered_contrast(label) >= 4.5, label.text()
        assert label.visibleRegion().boundingRect().height() >= label.sizeHint().height() - 1, \
            f"clipped: {label.text()[:30]}"
    for button in visible(window, QPushButton):
        assert button.height() >= theme.target_px - 1 and button.width() >= theme.target_px - 1
        assert rendered_contrast(button) >= 4.5, button.text()
