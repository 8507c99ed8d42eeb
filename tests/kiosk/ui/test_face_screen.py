"""The face-check screen as an elder, a keypad user and a screen reader meet it: every
button large enough, named and described in the session's language, reached by Tab; text
large and legible; the turn asked for drawn and named; "I cannot do this" reachable by
keypad alone and leading to where help is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.flows import Step
from kiosk.flows.face_capture import CaptureStage, LivenessCapture
from kiosk.flows.face_check import FacePhase, RefusalReason
from kiosk.ui.accessible import move_focus
from kiosk.ui.theme import ELDER, NORMAL
from tests.kiosk.ui.driver import current
from tests.kiosk.ui.test_accessibility import rendered_contrast, visible

CERTIFICATION = "11330110002503015G4007000015000"


def to_face_check(window, flow, card) -> None:
    flow.card_placed(card)
    flow.choose(CERTIFICATION)
    flow.start_item()
    flow.give_consent(True)
    assert flow.step is Step.FACE_CHECK
    QApplication.processEvents()


@pytest.mark.parametrize("elder", [True, False], ids=["elder", "normal"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_control_is_large_named_described_and_legible(qtbot, window, flow, id_cards,
                                                            elder, language) -> None:
    """Asked to turn, then refused: each visible button ≥ the theme's target, named by its
    text and described; elder text ≥ 20 pt; contrast ≥ 4.5:1; the drawing names the turn."""
    theme = ELDER if elder else NORMAL
    window.resize(1920, 1080)
    flow.set_language(language)
    flow.set_elder(elder)
    to_face_check(window, flow, id_cards["R001"])
    screen = current(window)
    screen.run = LivenessCapture()
    screen.show_stage(CaptureStage.TURN)
    screen.redraw()
    turn = "左" if screen.run.challenge == "turn_left" else "右"
    if language == "en":
        turn = "left" if screen.run.challenge == "turn_left" else "right"
    assert turn in screen.picture.accessibleName() and screen.picture.direction in (
        "left", "right")
    check_controls(window, theme, elder)             # asked to turn
    flow.face_cannot()
    QApplication.processEvents()
    assert screen.finish.isVisible()
    check_controls(window, theme, elder)             # refused, with where help is


def check_controls(window, theme, elder: bool) -> None:
    QApplication.processEvents()
    buttons = visible(window, QPushButton)
    assert buttons
    for button in buttons:
        assert button.height() >= theme.target_px - 1, button.text()
        assert button.accessibleName() or button.text(), button.property("role")
        if button.property("role"):
            assert button.accessibleDescription(), button.property("role")
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus, button.text()
        assert rendered_contrast(button) >= 4.5, button.text()
    for label in visible(window, QLabel):
        if label.text():
            if elder:
                assert label.font().pointSizeF() >= 20, label.text()
            assert rendered_contrast(label) >= 4.5, label.text()


def test_cannot_do_this_is_reached_by_keypad_and_says_where_help_is(qtbot, window, flow,
                                                                     id_cards) -> None:
    """Tab from the top of the screen reaches "I cannot do this"; Enter ends the check with
    a staffed window named; "finish" is then shown instead of the camera."""
    window.resize(1920, 1080)
    to_face_check(window, flow, id_cards["R001"])
    screen = current(window)
    window.activateWindow()
    for _ in range(20):
        if QApplication.focusWidget() is screen.cannot:
            break
        move_focus(screen, True)
    assert QApplication.focusWidget() is screen.cannot
    qtbot.keyClick(screen.cannot, Qt.Key.Key_Return)
    assert flow.face_phase is FacePhase.REFUSED and flow.face_refusal is RefusalReason.CANNOT
    words = " ".join(label.text() for label in screen.findChildren(QLabel)
                     if label.isVisible())
    assert "人工窗口" in words and screen.finish.isVisible() and not screen.guide.isVisible()


def test_without_a_face_engine_the_check_is_not_offered(qtbot, window, flow, id_cards) -> None:
    """The engine cannot run here (a named engine that is not installed, as on a terminal
    without dlib or without AVX): the frames are not retried forever; the screen says the
    check cannot be made here and where to go, and the camera is stopped."""
    from faces import samples
    from faces.synthetic import SyntheticCamera
    from faces.worker import FaceWorker
    from kiosk.flows.face_check import FaceRoute
    from kiosk.ui.bridges.invoker import GuiInvoker, Worker
    from kiosk.ui.face_frames import FacePipeline, SyntheticFrames

    if not samples.GRACE_HOPPER.installed():
        pytest.skip("the sample portrait needs matplotlib (the dev extra)")
    invoker = GuiInvoker()
    thread = Worker("faces", invoker)
    engine = FaceWorker(engine="no_such_vendor.face:Engine", timeout=30)
    screen = window.host.screen_for(Step.FACE_CHECK)
    screen.make_pipeline = lambda parent: FacePipeline(
        SyntheticFrames(SyntheticCamera(samples.GRACE_HOPPER.read()), fps=15),
        lambda: engine, thread, parent)
    try:
        to_face_check(window, flow, id_cards["R001"])
        assert flow.face_route is FaceRoute.PLATFORM and screen.pipeline is not None
        qtbot.waitUntil(lambda: screen.no_camera, timeout=30_000)
        assert screen.pipeline is None and screen.finish.isVisible()
        words = " ".join(label.text() for label in screen.findChildren(QLabel)
                         if label.isVisible())
        assert "人工窗口" in words and not screen.guide.isVisible()
    finally:
        thread.close()
        engine.close()
        invoker.close()
