"""The terminal's platform comparison against the real sandbox, answer by answer: a match
and a mismatch with their check ids, a resident without a reference photo and an image with
no face (each caused for real), a session the platform does not know, and the sixth check
of a session; and the uploaded image is gone from the platform once compared."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from civic.pii import Personal
from faces import samples
from kiosk.catalog.load import load_residents
from kiosk.flows.face_check import FaceCapture, FaceOutcome
from kiosk.flows.face_compare import compare_on_platform
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.kiosk.flows.conftest import RESIDENTS
from tests.offline_queue.conftest import TIMEOUTS, enrolled, session_for


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    settings = SandboxSettings(tmp_path_factory.mktemp("central"),
                               workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as server:
        yield server


@pytest.fixture
def platform(sandbox: SandboxServer, data_dir: Path) -> Iterator[PlatformClient]:
    with PlatformClient.build(enrolled(sandbox, data_dir), ClientSettings(**TIMEOUTS)) as client:
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


def test_a_closed_session_and_the_sixth_check_are_unavailable(platform) -> None:
    """No session of this device (closed): unavailable; five checks are a session's limit,
    the sixth is refused for the rest of it."""
    session = session_for(platform, id_of("R002"))
    for _ in range(5):
        assert compare_on_platform(platform, capture(samples.ASTRONAUT), session).outcome \
            is FaceOutcome.NO_MATCH
    assert compare_on_platform(platform, capture(samples.GRACE_HOPPER), session).outcome \
        is FaceOutcome.UNAVAILABLE
    platform.close_session(session)
    assert compare_on_platform(platform, capture(samples.GRACE_HOPPER), session).outcome \
        is FaceOutcome.UNAVAILABLE
