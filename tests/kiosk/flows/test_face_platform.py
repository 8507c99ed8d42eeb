"""The terminal's platform comparison against the real sandbox, answer by answer: a match
and a mismatch with their check ids, a resident without a reference photo and an image with
no face (each caused for real), a session the platform does not know, and the sixth check
of a session; the uploaded image is gone from the platform once compared; and in the flow,
a session the platform closed before the check is opened again once."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from civic.pii import Personal
from civic.submission import IdentityMethod
from faces import samples
from kiosk.catalog.load import load_residents
from kiosk.flows import CitizenFlow, FlowSettings, Step
from kiosk.flows.face_check import FaceCapture, FaceComparison, FaceOutcome, FaceRoute
from kiosk.flows.face_compare import compare_on_platform
from offline_queue.credentials import Credentials
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.kiosk.flows.conftest import NOW, RESIDENTS, RecordingPrinter
from tests.kiosk.flows.test_card_sessions import PlatformNow, sessions_of
from tests.kiosk.flows.test_face_check import CERTIFICATION
from tests.offline_queue.conftest import TIMEOUTS, enrolled, session_for


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    settings = SandboxSettings(tmp_path_factory.mktemp("central"),
                               workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as server:
        yield server


@pytest.fixture
def creds(sandbox: SandboxServer, data_dir: Path) -> Credentials:
    return enrolled(sandbox, data_dir)


@pytest.fixture
def platform(creds: Credentials) -> Iterator[PlatformClient]:
    with PlatformClient.build(creds, ClientSettings(**TIMEOUTS)) as client:
        yield client


def id_of(ref: str) -> Personal:
    return Personal(next(r for r in load_residents(RESIDENTS) if r.ref == ref).id_number)


def jpeg_of(portrait: samples.Portrait | None) -> bytes:
    """A 640 × 480 camera-like JPEG: the portrait on a grey wall, or the wall alone."""
    from PIL import Image

    canvas = Image.new("RGB", (640, 480), (120, 124, 128))
    if portrait is not None:
        with Image.open(io.BytesIO(portrait.read())) as opened:
            face = opened.convert("RGB")
        face.thumbnail((480, 480))
        canvas.paste(face, ((640 - face.width) // 2, 0))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=85)
    return out.getvalue()


def capture(portrait: samples.Portrait | None) -> FaceCapture:
    return FaceCapture(jpeg_of(portrait), "turn_left", 6)


@pytest.fixture(scope="module", autouse=True)
def _portraits() -> None:
    if not samples.GRACE_HOPPER.installed() or not samples.ASTRONAUT.installed():
        pytest.skip("sample portraits need scikit-image and matplotlib (the dev extra)")


def test_match_and_mismatch_carry_the_platforms_check(sandbox, platform) -> None:
    """R002's registry photo is Grace Hopper's portrait: her face matches (check id, score
    ≥ threshold), the astronaut's does not; the image is deleted once compared."""
    session = session_for(platform, id_of("R002"))
    same = compare_on_platform(platform, capture(samples.GRACE_HOPPER), session)
    assert same.outcome is FaceOutcome.MATCH and same.check_id and same.score is not None
    other_capture = capture(samples.ASTRONAUT)
    other = compare_on_platform(platform, other_capture, session)
    assert other.outcome is FaceOutcome.NO_MATCH and other.check_id != same.check_id
    assert other.score is not None and other.score < same.score
    import hashlib

    sha = hashlib.sha256(other_capture.jpeg).hexdigest()
    assert httpx.head(f"{sandbox.url}/v1/blobs/{sha}", headers=dict(
        platform.http.headers)).status_code == 404


def test_no_reference_and_no_face_are_told_apart(platform) -> None:
    """A resident the registry has no photo of: unavailable (the card photo or "not here"
    next); an image of an empty wall: no face (a request to look at the camera)."""
    without = session_for(platform, id_of("R001"))
    assert compare_on_platform(platform, capture(samples.GRACE_HOPPER), without).outcome \
        is FaceOutcome.UNAVAILABLE
    session = session_for(platform, id_of("R002"))
    assert compare_on_platform(platform, capture(None), session).outcome is FaceOutcome.NO_FACE


def test_a_closed_session_is_told_and_the_sixth_check_is_unavailable(platform) -> None:
    """No session of this device (closed): no_session (the flow reopens it); five checks
    are a session's limit, the sixth is refused for the rest of it."""
    session = session_for(platform, id_of("R002"))
    for _ in range(5):
        assert compare_on_platform(platform, capture(samples.ASTRONAUT), session).outcome \
            is FaceOutcome.NO_MATCH
    assert compare_on_platform(platform, capture(samples.GRACE_HOPPER), session).outcome \
        is FaceOutcome.UNAVAILABLE
    platform.close_session(session)
    assert compare_on_platform(platform, capture(samples.GRACE_HOPPER), session).outcome \
        is FaceOutcome.NO_SESSION


@dataclass
class PlatformFaces:
    """The flow's face service comparing on the real platform at once (the Qt bridge does
    the same on the platform worker); counts the comparisons asked."""

    client: PlatformClient
    card_photo_available: bool = False
    asked: int = 0

    def prepare(self) -> None:
        pass

    def compare_on_platform(self, capture: FaceCapture, session_id: str,
                            done: Callable[[FaceComparison], None]) -> None:
        self.asked += 1
        done(compare_on_platform(self.client, capture, session_id))

    def compare_with_card_photo(self, capture: FaceCapture, card_photo: bytes,
                                done: Callable[[FaceComparison], None]) -> None:
        raise AssertionError("no decoder here: the card photo is never asked")


def test_a_session_closed_before_the_check_is_opened_again_once(
        sandbox, creds, platform, catalog, outbox, id_cards, clock) -> None:
    """The platform closed the card session (DELETE) before the check: the check's 403
    no_session opens exactly one new session while the card is there and compares the same
    capture in it (platform_face, matched). Closed again before the next visit's check and
    retried once more in vain, the check falls back: without a decoder, "not here"."""
    faces = PlatformFaces(platform)
    flow = CitizenFlow(catalog, outbox, PlatformNow(platform), RecordingPrinter(),
                       settings=FlowSettings(terminal_id="kiosk-test"), faces=faces,
                       clock=clock, now=lambda: NOW)
    flow.card_placed(id_cards["R002"])
    flow.choose(CERTIFICATION)
    flow.start_item()
    flow.give_consent(True)
    assert flow.step is Step.FACE_CHECK and flow.face_route is FaceRoute.PLATFORM
    device = creds.device_id
    before = len(sessions_of(sandbox, device))
    assert platform.close_session(flow._card_session_id)
    flow.face_captured(capture(samples.GRACE_HOPPER))
    assert faces.asked == 2 and len(sessions_of(sandbox, device)) == before + 1
    assert flow.step is Step.FORM and flow.identity_check is not None
    assert flow.identity_check.method is IdentityMethod.PLATFORM_FACE
    assert flow.identity_check.check_id and flow._card_session_id is not None
    assert sessions_of(sandbox, device)[-1]["closed_at"] is None

    flow.back()                             # to consent, and past the check's 15 minutes
    clock.advance(15 * 60 + 1)              # now a new check is due
    flow.give_consent(True)
    assert flow.step is Step.FACE_CHECK
    opened = len(sessions_of(sandbox, device))

    class ClosingPlatform(PlatformFaces):
        """Closes every session on the platform before comparing in it."""

        def compare_on_platform(self, capture: FaceCapture, session_id: str,
                                done: Callable[[FaceComparison], None]) -> None:
            self.client.close_session(session_id)
            super().compare_on_platform(capture, session_id, done)

    flow.faces = closing = ClosingPlatform(platform)
    flow.face_captured(capture(samples.GRACE_HOPPER))
    assert closing.asked == 2 and len(sessions_of(sandbox, device)) == opened + 1
    assert flow.step is Step.FACE_CHECK and not flow.face_check_fresh
    assert flow.face_route is FaceRoute.NOT_HERE
    assert flow.last_face is not None and flow.last_face.outcome is FaceOutcome.UNAVAILABLE
