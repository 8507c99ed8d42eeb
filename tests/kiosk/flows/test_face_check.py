"""The face check in the citizen flow: placed after consent for an item that needs it,
taken again when more than 15 minutes pass before Submit, refused after three faces that
do not match, impossible here offline without the card-photo decoder or without consent;
and the card-photo comparison through the real face engine's process and a stand-in
vendor decoder compiled from C, with frames captured from a synthetic camera."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from civic.catalog import Catalog
from civic.submission import IdentityMethod
from faces import samples
from faces.card_photo import DecoderConfig, DecoderSignature
from faces.synthetic import Pose, SyntheticCamera
from faces.worker import FaceWorker
from kiosk.flows import CitizenFlow, FlowSettings, Step
from kiosk.flows.face_capture import CaptureStage, LivenessCapture
from kiosk.flows.face_check import (
    FaceCapture,
    FaceComparison,
    FaceOutcome,
    FacePhase,
    FaceRoute,
    RefusalReason,
)
from kiosk.flows.face_compare import compare_with_card_photo
from kiosk.flows.face_threshold import CardPhotoThreshold, CardPhotoThresholds
from kiosk.flows.states import PrefillOutcome
from offline_queue import Outbox
from tests.faces import portrait_decoder
from tests.kiosk.flows.conftest import NOW, PENSION, FakeClock, HeldPrefill, RecordingPrinter
from tests.kiosk.flows.helpers import SIGNATURE_PNG, fill_remaining

CERTIFICATION = "11330110002503015G4007000015000"   # pension qualification certification


def capture() -> FaceCapture:
    """A stand-in capture (never a module global: the UI tests' residue check, in the same
    process, looks for any capture left alive)."""
    return FaceCapture(b"\xff\xd8-a-jpeg", "turn_left", 7)


@dataclass
class ScriptedFaces:
    """The flow's face service answering from a script, at once (as the bridge would,
    later, on the GUI thread); records which route each capture took."""

    answers: list[FaceComparison] = field(default_factory=list)
    card_photo_available: bool = False
    calls: list[str] = field(default_factory=list, repr=False)

    def prepare(self) -> None:
        self.calls.append("prepare")

    def compare_on_platform(self, capture: FaceCapture, session_id: str,
                            done: Callable[[FaceComparison], None]) -> None:
        self.calls.append("platform")
        done(self.answers.pop(0))

    def compare_with_card_photo(self, capture: FaceCapture, card_photo: bytes,
                                done: Callable[[FaceComparison], None]) -> None:
        self.calls.append("card_photo")
        done(self.answers.pop(0))


def make_flow(catalog: Catalog, outbox: Outbox, prefill: HeldPrefill, faces: Any,
              clock: FakeClock, channel: str = "kiosk") -> CitizenFlow:
    return CitizenFlow(catalog, outbox, prefill, RecordingPrinter(),
                       settings=FlowSettings(terminal_id="kiosk-test", channel=channel),
                       faces=faces, clock=clock, now=lambda: NOW)


def to_consent(flow: CitizenFlow, card: Any, code: str = CERTIFICATION) -> None:
    flow.card_placed(card)
    flow.choose(code)
    flow.start_item()


def match(score: float = 0.81) -> FaceComparison:
    return FaceComparison(FaceOutcome.MATCH, score, "fc-1")


def test_a_face_item_checks_the_person_after_consent_and_submits_the_check(
        catalog, outbox, id_cards, clock) -> None:
    """Consent → FACE_CHECK (compared by the platform in the card session) → the form; the
    queued submission carries identity_check platform_face with the check id and score."""
    faces = ScriptedFaces([match()])
    flow = make_flow(catalog, outbox, HeldPrefill(), faces, clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    assert flow.step is Step.FACE_CHECK and flow.face_route is FaceRoute.PLATFORM
    flow.face_captured(capture())
    assert faces.calls == ["prepare", "platform"] and flow.step is Step.FORM
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    flow.sign(SIGNATURE_PNG)
    assert flow.step is Step.SUBMIT
    check = _queued_check(outbox, flow.submission_id)
    assert check["method"] == "platform_face" and check["check_id"] == "fc-1"
    assert check["score"] == 0.81 and check["at"] == NOW.isoformat(timespec="seconds")


def _queued_check(outbox: Outbox, submission_id: str | None) -> dict[str, Any]:
    assert submission_id is not None
    body = outbox.body(submission_id)
    assert body is not None
    return dict(body["identity_check"])


def test_an_item_without_face_assurance_goes_straight_to_the_form(
        catalog, outbox, id_cards, clock) -> None:
    """A card-assurance item never shows the check, and its submission carries none."""
    flow = make_flow(catalog, outbox, HeldPrefill(), ScriptedFaces(), clock)
    to_consent(flow, id_cards["R001"], PENSION)
    flow.give_consent(True)
    assert flow.step is Step.FORM and flow.submission_identity_check() is None


def test_the_check_is_taken_again_when_more_than_15_minutes_pass_before_submit(
        catalog, outbox, id_cards, clock) -> None:
    """14 minutes after the check Submit goes through; past 15 the citizen is checked
    again (then signs again), and the submission carries the second check."""
    faces = ScriptedFaces([match(0.7), FaceComparison(FaceOutcome.MATCH, 0.9, "fc-2")])
    flow = make_flow(catalog, outbox, HeldPrefill(), faces, clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    flow.face_captured(capture())
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    clock.advance(15 * 60 + 1)
    flow.sign(SIGNATURE_PNG)
    assert flow.step is Step.FACE_CHECK and flow.submission_id is None
    flow.face_captured(capture())
    assert flow.step is Step.SIGN
    flow.sign(SIGNATURE_PNG)
    assert flow.step is Step.SUBMIT
    assert _queued_check(outbox, flow.submission_id)["check_id"] == "fc-2"


def test_a_check_under_15_minutes_old_is_not_repeated(catalog, outbox, id_cards,
                                                       clock) -> None:
    faces = ScriptedFaces([match()])
    flow = make_flow(catalog, outbox, HeldPrefill(), faces, clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    flow.face_captured(capture())
    fill_remaining(flow)
    flow.to_review()
    flow.confirm_review()
    clock.advance(14 * 60)
    flow.sign(SIGNATURE_PNG)
    assert flow.step is Step.SUBMIT and faces.calls == ["prepare", "platform"]


def test_three_faces_that_do_not_match_end_in_a_refusal_and_requests_do_not_count(
        catalog, outbox, id_cards, clock) -> None:
    """no_face and too_small ask the citizen to look or come closer and cost no try; the
    third mismatch refuses, saying where a person can help; nothing is submitted."""
    no = FaceComparison(FaceOutcome.NO_MATCH, 0.31)
    faces = ScriptedFaces([FaceComparison(FaceOutcome.NO_FACE), no,
                           FaceComparison(FaceOutcome.TOO_SMALL), no, no])
    flow = make_flow(catalog, outbox, HeldPrefill(), faces, clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    flow.face_captured(capture())
    assert flow.face_phase is FacePhase.READY and flow.face_failures == 0
    assert flow.face_request is not None and "camera" in flow.face_request.en
    flow.face_captured(capture())
    assert (flow.face_phase, flow.face_tries_left) == (FacePhase.RETRY, 2)
    flow.face_retry()
    assert flow.face_phase is FacePhase.READY and flow.face_request is None
    flow.face_captured(capture())
    assert flow.face_request is not None and "closer" in flow.face_request.en
    flow.face_captured(capture())
    flow.face_captured(capture())
    assert flow.step is Step.FACE_CHECK and flow.face_phase is FacePhase.REFUSED
    assert flow.face_refusal is RefusalReason.FAILED_MATCHES and flow.identity_check is None
    flow.face_captured(capture())                      # a late frame after the refusal
    assert faces.calls.count("platform") == 5


def test_offline_without_a_decoder_the_item_cannot_be_completed_here(
        catalog, outbox, id_cards, clock) -> None:
    """No card session (offline) and no photo decoder: NOT_HERE, nothing compared."""
    faces = ScriptedFaces()
    flow = make_flow(catalog, outbox, HeldPrefill(session=PrefillOutcome.OFFLINE), faces,
                     clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    assert flow.step is Step.FACE_CHECK and flow.face_route is FaceRoute.NOT_HERE
    flow.face_captured(capture())
    assert faces.calls == ["prepare"] and flow.identity_check is None


def test_declining_consent_means_the_check_cannot_be_made_here(
        catalog, outbox, id_cards, clock) -> None:
    """No consent, no session: not here, even with a decoder configured."""
    flow = make_flow(catalog, outbox, HeldPrefill(),
                     ScriptedFaces(card_photo_available=True), clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(False)
    assert flow.step is Step.FACE_CHECK and flow.face_route is FaceRoute.NOT_HERE


def test_offline_with_a_decoder_compares_with_the_card_photo(catalog, outbox, id_cards,
                                                             clock) -> None:
    faces = ScriptedFaces([FaceComparison(FaceOutcome.MATCH, 0.77)], card_photo_available=True)
    flow = make_flow(catalog, outbox, HeldPrefill(session=PrefillOutcome.OFFLINE), faces,
                     clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    assert flow.face_route is FaceRoute.CARD_PHOTO
    flow.face_captured(capture())
    assert flow.step is Step.FORM and flow.identity_check is not None
    assert flow.identity_check.method is IdentityMethod.CARD_PHOTO_FACE
    assert flow.identity_check.as_dict() == {
        "method": "card_photo_face", "check_id": None, "score": 0.77,
        "at": NOW.isoformat(timespec="seconds")}


def test_a_platform_without_a_reference_falls_back_to_the_card_photo(
        catalog, outbox, id_cards, clock) -> None:
    faces = ScriptedFaces([FaceComparison(FaceOutcome.UNAVAILABLE), match(0.66)],
                          card_photo_available=True)
    flow = make_flow(catalog, outbox, HeldPrefill(), faces, clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    flow.face_captured(capture())
    assert flow.face_route is FaceRoute.CARD_PHOTO
    flow.face_captured(capture())
    assert faces.calls == ["prepare", "platform", "card_photo"] and flow.step is Step.FORM


def test_cannot_do_this_ends_in_the_refusal_and_card_removal_wipes(
        catalog, outbox, id_cards, clock) -> None:
    flow = make_flow(catalog, outbox, HeldPrefill(), ScriptedFaces(), clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    flow.face_cannot()
    assert flow.face_phase is FacePhase.REFUSED and flow.face_refusal is RefusalReason.CANNOT
    flow.card_removed()
    assert flow.step is Step.ATTRACT and flow.face_refusal is None


def test_an_agent_attests_the_person(catalog, outbox, id_cards, clock) -> None:
    """On an agent's terminal the check is the agent's confirmation: agent_attested."""
    flow = make_flow(catalog, outbox, HeldPrefill(), ScriptedFaces(), clock, channel="agent")
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    assert flow.step is Step.FACE_CHECK and flow.face_route is FaceRoute.AGENT
    flow.attest_identity()
    assert flow.step is Step.FORM
    assert flow.identity_check is not None and flow.identity_check.as_dict() == {
        "method": "agent_attested", "check_id": None, "score": None,
        "at": NOW.isoformat(timespec="seconds")}


# -- the card photo through the real engine ---------------------------------------------------

@dataclass
class CardPhotoNow:
    """The flow's face service doing the terminal-side comparison at once, through the real
    engine's process, at the threshold applied now (the Qt bridge does the same on a
    worker); without ``thresholds``, the engine's own."""

    worker: FaceWorker
    card_photo_available: bool = True
    thresholds: CardPhotoThresholds | None = None

    def prepare(self) -> None:
        pass

    def compare_on_platform(self, capture: FaceCapture, session_id: str,
                            done: Callable[[FaceComparison], None]) -> None:
        raise AssertionError("offline: the platform is not asked")

    def compare_with_card_photo(self, capture: FaceCapture, card_photo: bytes,
                                done: Callable[[FaceComparison], None]) -> None:
        threshold = self.thresholds.current().applied if self.thresholds else None
        done(compare_with_card_photo(self.worker, capture, card_photo, threshold))


@pytest.fixture(scope="module")
def portrait_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaceWorker]:
    """The engine's process with a stand-in decoder whose card photo is the astronaut."""
    if not samples.ASTRONAUT.installed() or not samples.GRACE_HOPPER.installed():
        pytest.skip("sample portraits need scikit-image and matplotlib (the dev extra)")
    from faces.frame import frame_from_image

    with FaceWorker(timeout=60) as plain:
        portrait = frame_from_image(samples.ASTRONAUT.read())
        box = plain.judge(portrait, encode=False).face
        assert box is not None
        face = (box.box.left, box.box.top, box.box.right, box.box.bottom)
    library = portrait_decoder.build(tmp_path_factory.mktemp("vendor"),
                                     portrait_decoder.card_bmp(portrait, face))
    with FaceWorker(card_decoder=DecoderConfig(library, "unpack", DecoderSignature.UNPACK),
                    timeout=60) as worker:
        yield worker


def capture_from(camera: SyntheticCamera, worker: FaceWorker, seed: int) -> FaceCapture:
    """Run the challenge on the synthetic camera as the screen does."""
    run = LivenessCapture(random.Random(seed))
    camera.pose = Pose.STRAIGHT
    for _ in range(10):
        frame = camera.frame()
        stage = run.feed(frame, worker.judge(frame, encode=run.wants_encoding))
        if stage is CaptureStage.TURN:
            camera.pose = Pose.LEFT if run.challenge == "turn_left" else Pose.RIGHT
        if stage is CaptureStage.DONE:
            capture = run.result()
            run.drop()
            return capture
    raise AssertionError(f"the challenge was not met: {run!r}")


def test_card_photo_face_with_the_stand_in_decoder(catalog, outbox, id_cards, clock,
                                                   portrait_worker) -> None:
    """Offline: the astronaut's live frames match her card photo (card_photo_face, score
    ≥ threshold); Grace Hopper's do not, and three tries end in the refusal."""
    astronaut = SyntheticCamera(samples.ASTRONAUT.read())
    flow = make_flow(catalog, outbox, HeldPrefill(session=PrefillOutcome.OFFLINE),
                     CardPhotoNow(portrait_worker), clock)
    to_consent(flow, id_cards["R001"])
    flow.give_consent(True)
    flow.face_captured(capture_from(astronaut, portrait_worker, 1))
    assert flow.step is Step.FORM and flow.identity_check is not None
    assert flow.identity_check.method is IdentityMethod.CARD_PHOTO_FACE
    assert flow.identity_check.score is not None
    assert flow.identity_check.score >= portrait_worker.threshold

    hopper = SyntheticCamera(samples.GRACE_HOPPER.read())
    other = make_flow(catalog, outbox, HeldPrefill(session=PrefillOutcome.OFFLINE),
                      CardPhotoNow(portrait_worker), clock)
    to_consent(other, id_cards["R001"])
    other.give_consent(True)
    for seed in range(3):
        other.face_captured(capture_from(hopper, portrait_worker, seed))
    assert other.face_phase is FacePhase.REFUSED and other.identity_check is None
    assert other.last_face is not None and other.last_face.score is not None
    assert other.last_face.score < portrait_worker.threshold


def test_the_platforms_stricter_card_photo_threshold_refuses_what_the_terminals_passes(
        catalog, outbox, id_cards, clock, portrait_worker, tmp_path, data_dir) -> None:
    """A sandbox naming 0.99 in its heartbeat reply, a terminal configured at the engine's
    0.5833: before any heartbeat the astronaut's face matches her card photo; once the real
    heartbeat has answered, the same kind of capture (a score that passes the terminal's
    own threshold) is a mismatch, and three of them end in the refusal."""
    from central.platform import SandboxServer, SandboxSettings
    from central.workflow import WorkflowSchedule
    from kiosk.fleet import DeviceStates, HeartbeatSender
    from tests.offline_queue.conftest import TIMEOUTS, enrolled

    configured = portrait_worker.threshold
    thresholds = CardPhotoThresholds(configured)
    astronaut = SyntheticCamera(samples.ASTRONAUT.read())

    def checked_flow() -> CitizenFlow:
        flow = make_flow(catalog, outbox, HeldPrefill(session=PrefillOutcome.OFFLINE),
                         CardPhotoNow(portrait_worker, thresholds=thresholds), clock)
        to_consent(flow, id_cards["R001"])
        flow.give_consent(True)
        return flow

    before = checked_flow()
    before.face_captured(capture_from(astronaut, portrait_worker, 1))
    assert before.step is Step.FORM and thresholds.current().applied == configured

    settings = SandboxSettings(tmp_path / "central", workflow=WorkflowSchedule(step_s=0),
                               card_photo_threshold=0.99)
    with SandboxServer(settings) as sandbox:
        enrolled(sandbox, data_dir)
        sender = HeartbeatSender(outbox, data_dir, app_version="t", devices=DeviceStates(),
                                 on_reply=lambda reply: thresholds.platform_named(
                                     reply.card_photo_threshold), **TIMEOUTS)
        assert sender.send_once().ok
    assert thresholds.current() == CardPhotoThreshold(configured, 0.99)

    after = checked_flow()
    for seed in range(3):
        after.face_captured(capture_from(astronaut, portrait_worker, seed + 1))
        assert after.last_face is not None and after.last_face.outcome is FaceOutcome.NO_MATCH
        assert after.last_face.score is not None
        assert configured <= after.last_face.score < 0.99
        if seed < 2:
            after.face_retry()
    assert after.face_phase is FacePhase.REFUSED and after.identity_check is None
