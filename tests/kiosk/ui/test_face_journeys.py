"""Face-check journeys through the real widgets (issue #17): the emulated ID-card reader on a
pty, the real sandbox on 127.0.0.1, the face engine in its own process, and frames from a
synthetic camera (a public-domain sample portrait, warped with Pillow to turn the head)
fed through the same frame pipeline a camera feeds. The synthetic citizen does what the
screen asks (looks straight, turns the way it says).

* card → consent → face check (the platform compares, in the card session) → the pension
  qualification certification submitted with ``identity_check`` ``platform_face``, which the
  sandbox accepts;
* another person's face is refused after three tries, with where to get help;
* offline, with the vendor's card-photo decoder (a stand-in compiled from C whose photo is
  the same portrait), the face is compared with the card's photo (``card_photo_face``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from faces import samples
from faces.samples import Portrait
from kiosk import config as cfg
from kiosk.app.citizen import KioskApp
from kiosk.demo import Demo
from kiosk.flows import PrefillState, Step
from kiosk.flows.face_check import FacePhase, RefusalReason
from offline_queue import State
from tests.kiosk.ui.driver import choose_by_search, current, fill_form, role, tap, texts
from tests.kiosk.ui.residue import face_residue, residue
from tests.kiosk.ui.test_journeys import WAIT, _wiring, at, demo, identify, submit  # noqa: F401

CERTIFICATION = "11330110002503015G4007000015000"
FACE_WAIT = 90_000            # the engine's first load, then a few frames each


def _portraits() -> None:
    if not samples.GRACE_HOPPER.installed() or not samples.ASTRONAUT.installed():
        pytest.skip("sample portraits need scikit-image and matplotlib (the dev extra)")


def face_source(portrait: Portrait) -> Callable[[], object]:
    from faces.synthetic import SyntheticCamera
    from kiosk.ui.face_frames import SyntheticFrames

    return lambda: SyntheticFrames(SyntheticCamera(portrait.read()), fps=15)


@pytest.fixture
def start_kiosk(qtbot, demo: Demo, data_dir: Path, catalog  # noqa: F811
                ) -> Iterator[Callable[..., KioskApp]]:
    from kiosk.ui.fonts import ui_font

    apps: list[KioskApp] = []

    def start(portrait: Portrait | None, config: cfg.Config | None = None) -> KioskApp:
        QApplication.instance().setFont(ui_font())
        demo.enrol(data_dir)
        wiring = _wiring(demo)
        if portrait is not None:                   # None: the real camera (none here)
            wiring.face_source = face_source(portrait)
        app = KioskApp(data_dir, config or cfg.Config(), wiring, catalog=catalog
                       ).open(show=False)
        app.window.resize(1280, 800)
        app.window.show()
        app.start_background()
        apps.append(app)
        return app

    yield start
    demo.remove_id_card()
    demo.cut_network(False)
    for app in apps:
        app.close()


def to_face_check(qtbot, demo: Demo, app: KioskApp, ref: str) -> None:  # noqa: F811
    identify(qtbot, demo, app, ref)
    choose_by_search(qtbot, app.window, "资格认证", CERTIFICATION)
    tap(qtbot, role(app.window, "start"))
    tap(qtbot, role(app.window, "agree"))
    at(qtbot, app.flow, Step.FACE_CHECK)


def test_a_pensioner_is_checked_by_the_platform_and_certified(qtbot, demo,  # noqa: F811
                                                              start_kiosk) -> None:
    """R002's face (Grace Hopper's portrait is her registry photo in the sandbox) is captured
    after the turn, the platform matches it, and the certification reaches the sandbox with
    identity_check platform_face; the check screen holds no frame afterwards."""
    _portraits()
    app = start_kiosk(samples.GRACE_HOPPER)
    flow = app.flow
    to_face_check(qtbot, demo, app, "R002")
    screen = current(app.window)
    qtbot.waitUntil(lambda: screen.guide.has_frame(), timeout=WAIT)    # the preview runs
    at(qtbot, flow, Step.FORM, timeout=FACE_WAIT)
    assert flow.identity_check is not None
    assert str(flow.identity_check.method) == "platform_face"
    assert flow.identity_check.check_id and flow.identity_check.score is not None
    assert not screen.guide.has_frame() and screen.pipeline is None and screen.run is None
    qtbot.waitUntil(lambda: flow.prefill_state in (PrefillState.DONE, PrefillState.FAILED),
                    timeout=WAIT)
    fill_form(qtbot, app.window)
    submit(qtbot, app)
    at(qtbot, flow, Step.RECEIPT)
    assert app.outbox.get(flow.submission_id)["state"] == State.SENT
    body = app.outbox.body(flow.submission_id)
    assert body is not None and body["identity_check"]["method"] == "platform_face"
    demo.remove_id_card()
    tap(qtbot, role(app.window, "done"))
    at(qtbot, flow, Step.ATTRACT)
    assert residue(["李秀英"], flow, app.keyboard) == []


def test_another_persons_face_is_refused_after_three_tries(qtbot, demo,  # noqa: F811
                                                           start_kiosk) -> None:
    """The astronaut in front of R002's card: three checks do not match; the screen says a
    staffed window of the service hall can help, and nothing can be submitted."""
    _portraits()
    app = start_kiosk(samples.ASTRONAUT)
    flow = app.flow
    to_face_check(qtbot, demo, app, "R002")
    for tries_left in (2, 1):
        qtbot.waitUntil(lambda left=tries_left: flow.face_phase is FacePhase.RETRY
                        and flow.face_tries_left == left, timeout=FACE_WAIT)
        assert flow.last_face is not None and flow.last_face.score is not None
        assert flow.last_face.score < 0.5833
        tap(qtbot, role(app.window, "face_retry"))
    qtbot.waitUntil(lambda: flow.face_phase is FacePhase.REFUSED, timeout=FACE_WAIT)
    assert flow.step is Step.FACE_CHECK and flow.face_refusal is RefusalReason.FAILED_MATCHES
    assert flow.identity_check is None
    words = texts(current(app.window))
    assert "人工窗口" in words and current(app.window).pipeline is None
    tap(qtbot, role(app.window, "face_finish"))
    at(qtbot, flow, Step.ATTRACT)


def test_offline_the_face_is_compared_with_the_card_photo(qtbot, demo,  # noqa: F811
                                                          start_kiosk,
                                                          tmp_path) -> None:
    """The line is down (no card session), the vendor's decoder is configured: the face is
    compared on the terminal with the card's photo and the application is queued with
    identity_check card_photo_face."""
    _portraits()
    from faces.frame import frame_from_image
    from faces.worker import FaceWorker
    from tests.faces import portrait_decoder

    portrait = frame_from_image(samples.GRACE_HOPPER.read())
    with FaceWorker(timeout=60) as engine:
        found = engine.judge(portrait, encode=False).face
    assert found is not None
    box = (found.box.left, found.box.top, found.box.right, found.box.bottom)
    library = portrait_decoder.build(tmp_path, portrait_decoder.card_bmp(portrait, box))
    config = cfg.Config(identity=cfg.IdentityConfig(card_photo_decoder=str(library)))
    app = start_kiosk(samples.GRACE_HOPPER, config)
    demo.cut_network(True)
    to_face_check(qtbot, demo, app, "R002")
    at(qtbot, app.flow, Step.FORM, timeout=FACE_WAIT)
    check = app.flow.identity_check
    assert check is not None and str(check.method) == "card_photo_face"
    assert check.check_id is None and check.score is not None and check.score >= 0.5833
    fill_form(qtbot, app.window)
    submit(qtbot, app)
    at(qtbot, app.flow, Step.RECEIPT)
    body = app.outbox.body(app.flow.submission_id)
    assert body is not None and body["identity_check"]["method"] == "card_photo_face"


def test_taking_the_card_mid_check_leaves_no_frame(qtbot, demo, start_kiosk) -> None:  # noqa: F811
    """The citizen looks at the camera but never turns, then takes the card: the session is
    wiped, and no frame, capture or check is left in a widget, the flow or memory."""
    _portraits()
    app = start_kiosk(samples.GRACE_HOPPER)
    to_face_check(qtbot, demo, app, "R002")
    screen = current(app.window)
    qtbot.waitUntil(lambda: screen.run is not None and screen.run.holds_frame
                    and screen.guide.has_frame(), timeout=FACE_WAIT)
    screen.pipeline.source.follow = False          # looks straight, never turns
    demo.remove_id_card()
    at(qtbot, app.flow, Step.ATTRACT)
    assert screen.pipeline is None and screen.run is None
    # a frame the engine was judging at that moment is released when its answer comes back
    # (and is dropped unread): within one round trip
    qtbot.waitUntil(lambda: face_residue(app.flow) == [], timeout=WAIT)
    assert residue(["李秀英"], app.flow, app.keyboard) == []


# Qt Multimedia's FFmpeg backend warns that optional libraries (pipewire, VA-API) are absent
@pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) .* (library|symbols)")
def test_without_a_camera_the_screen_says_where_to_go(qtbot, demo, start_kiosk) -> None:  # noqa: F811
    """No synthetic source and no camera on this machine (Qt Multimedia finds no video
    input): the check cannot be made here, the screen says so and where to go instead."""
    from PySide6.QtMultimedia import QMediaDevices

    if QMediaDevices.videoInputs():
        pytest.skip("this machine has a camera")
    app = start_kiosk(None)
    to_face_check(qtbot, demo, app, "R002")
    screen = current(app.window)
    qtbot.waitUntil(lambda: screen.no_camera and screen.finish.isVisible(), timeout=WAIT)
    words = texts(screen)
    assert "摄像头" in words and "人工窗口" in words and not screen.guide.isVisible()
    tap(qtbot, role(app.window, "face_finish"))
    at(qtbot, app.flow, Step.ATTRACT)
