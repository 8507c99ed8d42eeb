"""The platform's person-to-card check on the real sandbox (platform-api.md, "Person-to-card
check"): live images compared with the demo residents' reference portraits by the real face
engine in its own process, the image deleted once compared or left unnamed, five checks a
session; and the identity_check rules for a face item's submission ("In a submission").

The sandbox runs on a clock the tests move, so checks age and unnamed images expire
without sleeping. Reference portraits are the public-domain samples of the dev extra
(central.reference_photos): R002 is Grace Hopper, R011 the astronaut, R001 has none.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import io
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from central import access_log
from central.admin import add_agent, issue_enrollment_code
from central.face_checks import CHECKS_PER_SESSION, MAX_IMAGE_BYTES
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from civic.catalog import Resident
from faces import samples
from tests.central.builders import open_session, put_signature, submission, submit
from tests.central.conftest import Enrol
from tests.central.test_card_sessions import MovableClock

pytestmark = pytest.mark.skipif(
    not all(p.installed() for p in samples.PORTRAITS),
    reason="the sample portraits come with the dev extra (scikit-image, matplotlib)")

FACE_CHECKS = "/v1/identity/face-checks"
CERTIFICATION = "11330110002503015G4007000015000"     # 养老保险待遇领取资格认证: face
LIVENESS = {"challenge": "turn_left", "passed": True, "frames": 12}
PIN = "246801"


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory,
            clock: MovableClock) -> Iterator[SandboxServer]:
    settings = SandboxSettings(tmp_path_factory.mktemp("central"),
                               workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings, clock=clock) as server:
        yield server


def resident(sandbox: SandboxServer, ref: str) -> Resident:
    return next(r for r in sandbox.platform.catalog.residents if r.ref == ref)


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    data = out.getvalue()
    assert len(data) <= MAX_IMAGE_BYTES
    return data


def portrait(which: samples.Portrait) -> Image.Image:
    return Image.open(io.BytesIO(which.read()))


def hopper_variant() -> bytes:
    """Grace Hopper as a kiosk camera might see her: cropped, scaled, re-compressed."""
    image = portrait(samples.GRACE_HOPPER)
    width, height = image.size
    cropped = image.crop((width // 10, height // 12, width - width // 10, height - height // 8))
    return jpeg(cropped.resize((cropped.width * 3 // 4, cropped.height * 3 // 4)), 70)


def astronaut_image() -> bytes:
    return jpeg(portrait(samples.ASTRONAUT))


def blank_image() -> bytes:
    return jpeg(Image.new("RGB", (640, 480), (128, 128, 128)))


def upload(client: httpx.Client, data: bytes, media_type: str = "image/jpeg") -> str:
    digest = hashlib.sha256(data).hexdigest()
    answer = client.put(f"/v1/blobs/{digest}", content=data,
                        headers={"Content-Type": media_type})
    assert answer.status_code in (200, 201), answer.text
    return digest


def session_for(client: httpx.Client, person: Resident) -> str:
    answer = open_session(client, person.id_number)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["session_id"])


def face_check(client: httpx.Client, session_id: str | None, data: bytes) -> httpx.Response:
    digest = upload(client, data)
    headers = {"X-Session-Id": session_id} if session_id else {}
    return client.post(FACE_CHECKS, headers=headers,
                       json={"image_sha256": digest, "liveness": LIVENESS})


def code_of(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json().get("code", "")


# -- the check ---------------------------------------------------------------------------------
def test_the_reference_matches_a_changed_copy_of_itself_not_another_person(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """In R002's session a cropped, scaled, re-compressed Grace Hopper matches with a score
    above the threshold; the astronaut does not; both answers name the registry."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R002"))
    same = face_check(kiosk, session, hopper_variant())
    assert same.status_code == 200, same.text
    doc = same.json()
    assert set(doc) == {"check_id", "match", "score", "threshold", "reference"}
    assert doc["match"] is True and doc["score"] >= doc["threshold"]
    assert doc["reference"] == "population_registry" and 0 < doc["threshold"] < 1
    other = face_check(kiosk, session, astronaut_image())
    assert other.status_code == 200, other.text
    assert other.json()["match"] is False and other.json()["score"] < doc["threshold"]


def test_the_image_is_gone_once_compared_and_only_the_check_is_kept(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """HEAD on the compared image answers 404 and its file is gone from the sandbox's
    disk; the check keeps its id, device, session, time, score and result, nothing else."""
    kiosk = enrol()
    data = hopper_variant()
    digest = hashlib.sha256(data).hexdigest()
    session = session_for(kiosk, resident(sandbox, "R002"))
    answer = face_check(kiosk, session, data)
    assert answer.status_code == 200, answer.text
    assert kiosk.head(f"/v1/blobs/{digest}").status_code == 404
    blob_dir = sandbox.platform.settings.data_dir / "blobs"
    assert not list(blob_dir.rglob(digest))
    with sandbox.platform.db.session() as conn:
        row = conn.execute("SELECT * FROM face_checks WHERE check_id = ?",
                           (answer.json()["check_id"],)).fetchone()
    assert dict(row) == {"check_id": answer.json()["check_id"], "device_id": kiosk.device_id,
                         "session_id": session, "checked_at": row["checked_at"],
                         "result": "match", "score": answer.json()["score"],
                         "submission_id": None}


def test_a_blank_image_has_no_face_and_is_deleted_too(sandbox: SandboxServer,
                                                      enrol: Enrol) -> None:
    """An image with no face is 422 no_face (not a mismatch), and is deleted as well."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R002"))
    data = blank_image()
    answer = face_check(kiosk, session, data)
    assert code_of(answer) == (422, "no_face")
    assert answer.json()["reason"] == "no_face"
    assert kiosk.head(f"/v1/blobs/{hashlib.sha256(data).hexdigest()}").status_code == 404


def test_a_face_too_small_to_judge_is_no_clear_face_not_a_mismatch(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """The right person far from the camera (her face about 40 px in a 640 × 480 frame)
    is 422 no_face with reason too_small: a request to come closer, never a mismatch."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R002"))
    far = portrait(samples.GRACE_HOPPER).convert("RGB")
    far = far.resize((far.width // 5, far.height // 5))
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(far, (200, 100))
    answer = face_check(kiosk, session, jpeg(frame, 90))
    assert code_of(answer) == (422, "no_face")
    assert answer.json()["reason"] == "too_small"


def test_two_people_in_the_image_are_no_single_face(sandbox: SandboxServer,
                                                    enrol: Enrol) -> None:
    """The resident with someone beside her, both near the camera: 422 no_face with reason
    several_faces (the check compares only one person)."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R002"))
    left = portrait(samples.GRACE_HOPPER).convert("RGB").resize((300, 352))
    # the astronaut's head, cropped from her suit, as large as the resident's
    right = portrait(samples.ASTRONAUT).convert("RGB").crop((100, 0, 400, 300))
    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    frame.paste(left, (10, 20))
    frame.paste(right, (330, 50))
    answer = face_check(kiosk, session, jpeg(frame, 85))
    assert code_of(answer) == (422, "no_face")
    assert answer.json()["reason"] == "several_faces"


def test_a_resident_without_a_photo_is_no_reference(sandbox: SandboxServer,
                                                    enrol: Enrol) -> None:
    """R001 has no reference portrait: 404 no_reference, even for a good face image; it
    does not use up one of the session's checks."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R001"))
    for _ in range(CHECKS_PER_SESSION + 1):
        assert code_of(face_check(kiosk, session, hopper_variant())) == (404, "no_reference")


def test_the_sixth_check_of_a_session_is_refused_for_good(sandbox: SandboxServer,
                                                          enrol: Enrol) -> None:
    """Five checks (no_face ones count) are answered; the sixth is 429 too_many_checks,
    and so is every later one, while a new session may check again."""
    kiosk = enrol()
    person = resident(sandbox, "R002")
    session = session_for(kiosk, person)
    answers = [face_check(kiosk, session, blank_image() if i == 0 else hopper_variant())
               for i in range(CHECKS_PER_SESSION)]
    assert [a.status_code for a in answers] == [422] + [200] * (CHECKS_PER_SESSION - 1)
    for _ in range(2):
        refused = face_check(kiosk, session, hopper_variant())
        assert code_of(refused) == (429, "too_many_checks")
    assert face_check(kiosk, session_for(kiosk, person), hopper_variant()).status_code == 200


def test_a_check_needs_an_open_session_of_this_device(sandbox: SandboxServer,
                                                      enrol: Enrol) -> None:
    """No session, another terminal's session, and a session closed by opening one for
    another resident are each 403 no_session; the image stays the uploader's; and a check
    in the current session is of that session's resident (R001: no photo), never the
    earlier one's."""
    kiosk, other = enrol(), enrol()
    hopper = resident(sandbox, "R002")
    others_session = session_for(other, hopper)
    closed = session_for(kiosk, hopper)
    current = session_for(kiosk, resident(sandbox, "R001"))     # closes the one before
    data = hopper_variant()
    for session in (None, others_session, closed, "no-such-session"):
        assert code_of(face_check(kiosk, session, data)) == (403, "no_session"), session
    assert kiosk.head(f"/v1/blobs/{hashlib.sha256(data).hexdigest()}").status_code == 200
    assert code_of(face_check(kiosk, current, data)) == (404, "no_reference")
    with sandbox.platform.db.session() as conn:
        logged = conn.execute("SELECT outcome, COUNT(*) AS n FROM access_log WHERE "
                              "device_id = ? AND endpoint = 'POST /v1/identity/face-checks' "
                              "GROUP BY outcome", (kiosk.device_id,)).fetchall()
        counted = [c for c in access_log.counts(conn) if c.device_id == kiosk.device_id]
    assert {r["outcome"]: r["n"] for r in logged} == {"no_session": 4, "not_found": 1}
    # the two refusals without a known session name no resident: R002 and R001 were read
    assert [(c.reads, c.refused, c.residents) for c in counted] == [(5, 4, 2)]


def test_an_image_the_check_cannot_take_is_refused_and_deleted(sandbox: SandboxServer,
                                                               enrol: Enrol) -> None:
    """A PNG is 415 and an image over 300 KB is 413, each deleted; an image never
    uploaded is 409 missing_blobs naming it."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R002"))
    png = io.BytesIO()
    portrait(samples.GRACE_HOPPER).save(png, "PNG")
    noisy = Image.frombytes("RGB", (700, 700), bytes(range(256)) * (700 * 700 * 3 // 256 + 1))
    big = io.BytesIO()
    noisy.save(big, "JPEG", quality=100)
    assert len(big.getvalue()) > MAX_IMAGE_BYTES
    for data, media_type, expected in ((png.getvalue(), "image/png", (415, "bad_image")),
                                       (big.getvalue(), "image/jpeg",
                                        (413, "image_too_large"))):
        digest = upload(kiosk, data, media_type)
        answer = kiosk.post(FACE_CHECKS, headers={"X-Session-Id": session},
                            json={"image_sha256": digest, "liveness": LIVENESS})
        assert code_of(answer) == expected
        assert kiosk.head(f"/v1/blobs/{digest}").status_code == 404
    never = hashlib.sha256(b"never uploaded").hexdigest()
    answer = kiosk.post(FACE_CHECKS, headers={"X-Session-Id": session},
                        json={"image_sha256": never, "liveness": LIVENESS})
    assert code_of(answer) == (409, "missing_blobs") and answer.json()["missing"] == [never]


def test_an_upload_no_check_names_is_deleted_within_ten_minutes(
        sandbox: SandboxServer, enrol: Enrol, clock: MovableClock) -> None:
    """A face image uploaded and never checked is still there after 5 minutes of the
    sandbox's clock and gone after 10, while a JPEG an accepted submission named stays (and
    cannot be put through a check, which would delete it)."""
    kiosk = enrol()
    put_signature(kiosk)
    lingering = upload(kiosk, hopper_variant())
    document = jpeg(Image.new("RGB", (300, 200), (20, 90, 160)))
    named = upload(kiosk, document)
    body = submission(sandbox.platform.catalog.catalog, _plain_item(sandbox))
    body["attachments"].append({"sha256": named, "size": len(document),
                                "media_type": "image/jpeg", "role": "document"})
    assert submit(kiosk, body).status_code == 201
    clock.advance(minutes=5)
    upload(kiosk, blank_image())                    # any upload also sweeps
    assert kiosk.head(f"/v1/blobs/{lingering}").status_code == 200
    clock.advance(minutes=5)
    upload(kiosk, blank_image())
    assert kiosk.head(f"/v1/blobs/{lingering}").status_code == 404
    assert kiosk.head(f"/v1/blobs/{named}").status_code == 200
    # nor can a face check be asked of it, which would delete the case's document
    session = session_for(kiosk, resident(sandbox, "R002"))
    answer = kiosk.post(FACE_CHECKS, headers={"X-Session-Id": session},
                        json={"image_sha256": named, "liveness": LIVENESS})
    assert code_of(answer) == (400, "bad_image")
    assert kiosk.head(f"/v1/blobs/{named}").status_code == 200


def test_the_sweeper_deletes_an_unnamed_image_with_no_request_coming(
        tmp_path: Path) -> None:
    """With no upload or check to trigger it, the sandbox's own sweeper thread deletes an
    image left unnamed once the sandbox's clock passes its 10 minutes."""
    clock = MovableClock()
    settings = SandboxSettings(tmp_path / "central", workflow=WorkflowSchedule(step_s=0),
                               image_sweep_s=0.05)
    with SandboxServer(settings, clock=clock) as server:
        code = issue_enrollment_code(settings.data_dir, "kiosk")
        enrolled = httpx.post(f"{server.url}/v1/devices/enroll", json={
            "enrollment_code": code, "kind": "kiosk", "hostname": "test-host",
            "app_version": "0.1.0", "site": {"region_code": "330110", "name": "测试点"}})
        assert enrolled.status_code == 201, enrolled.text
        with httpx.Client(base_url=server.url, timeout=10, headers={
                "Authorization": f"Bearer {enrolled.json()['token']}"}) as kiosk:
            digest = upload(kiosk, hopper_variant())
            assert kiosk.head(f"/v1/blobs/{digest}").status_code == 200
            clock.advance(minutes=10)
            deadline = time.monotonic() + 10.0
            while kiosk.head(f"/v1/blobs/{digest}").status_code != 404:
                assert time.monotonic() < deadline, "the sweeper never deleted the image"
                time.sleep(0.05)
        assert not list((settings.data_dir / "blobs").rglob(digest))


def test_a_killed_engine_process_is_replaced_and_the_check_still_answered(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """The face engine's process killed between two checks: the next check is answered
    (the sandbox started a new process and tried the image again), not refused."""
    kiosk = enrol()
    session = session_for(kiosk, resident(sandbox, "R002"))
    assert face_check(kiosk, session, hopper_variant()).status_code == 200
    engine = sandbox.platform.face_engine
    pid, restarts = engine.pid, engine.restarts
    assert pid is not None
    os.kill(pid, signal.SIGKILL)          # the engine's process, which this test's sandbox
    answer = face_check(kiosk, session, hopper_variant())          # started
    assert answer.status_code == 200, answer.text
    assert answer.json()["match"] is True
    assert engine.pid not in (None, pid) and engine.restarts == restarts + 1


def test_an_engine_that_cannot_start_is_503_and_costs_no_check(tmp_path: Path) -> None:
    """A sandbox whose face engine is not installed answers 503 face_engine_unavailable
    with Retry-After, deletes the image, and counts no check against the session."""
    settings = SandboxSettings(tmp_path / "central", workflow=WorkflowSchedule(step_s=0),
                               face_engine="faces.no_such_engine:Engine")
    with SandboxServer(settings) as server:
        code = issue_enrollment_code(settings.data_dir, "kiosk")
        enrolled = httpx.post(f"{server.url}/v1/devices/enroll", json={
            "enrollment_code": code, "kind": "kiosk", "hostname": "test-host",
            "app_version": "0.1.0", "site": {"region_code": "330110", "name": "测试点"}})
        assert enrolled.status_code == 201, enrolled.text
        with httpx.Client(base_url=server.url, timeout=30, headers={
                "Authorization": f"Bearer {enrolled.json()['token']}"}) as kiosk:
            hopper = resident(server, "R002")
            session = session_for(kiosk, hopper)
            data = hopper_variant()
            answer = face_check(kiosk, session, data)
            assert code_of(answer) == (503, "face_engine_unavailable")
            assert int(answer.headers["Retry-After"]) >= 1
            assert kiosk.head(f"/v1/blobs/{hashlib.sha256(data).hexdigest()}"
                              ).status_code == 404
        with server.platform.db.session() as conn:
            assert conn.execute("SELECT COUNT(*) FROM face_checks").fetchone()[0] == 0


def test_an_engine_bug_is_a_500_that_costs_no_check(tmp_path: Path) -> None:
    """An engine failing in an unplanned way: the check answers 500 (the sandbox's bug,
    logged), the image is deleted, no check is left counted, and the next image is
    checked as usual."""
    from tests.central.faulty_face_engine import FAULTY_WIDTH

    settings = SandboxSettings(tmp_path / "central", workflow=WorkflowSchedule(step_s=0),
                               face_engine="tests.central.faulty_face_engine:FaultyEngine")
    with SandboxServer(settings) as server:
        code = issue_enrollment_code(settings.data_dir, "kiosk")
        enrolled = httpx.post(f"{server.url}/v1/devices/enroll", json={
            "enrollment_code": code, "kind": "kiosk", "hostname": "test-host",
            "app_version": "0.1.0", "site": {"region_code": "330110", "name": "测试点"}})
        assert enrolled.status_code == 201, enrolled.text
        with httpx.Client(base_url=server.url, timeout=30, headers={
                "Authorization": f"Bearer {enrolled.json()['token']}"}) as kiosk:
            session = session_for(kiosk, resident(server, "R002"))
            odd = portrait(samples.GRACE_HOPPER).convert("RGB").resize((FAULTY_WIDTH, 376))
            data = jpeg(odd)
            answer = face_check(kiosk, session, data)
            assert code_of(answer) == (500, "internal")
            assert kiosk.head(f"/v1/blobs/{hashlib.sha256(data).hexdigest()}"
                              ).status_code == 404
            with server.platform.db.session() as conn:
                assert conn.execute("SELECT COUNT(*) FROM face_checks").fetchone()[0] == 0
            assert face_check(kiosk, session, hopper_variant()).json()["match"] is True


def _plain_item(sandbox: SandboxServer) -> str:
    return next(i.code for i in sandbox.platform.catalog.catalog.items
                if str(i.mode) == "apply" and str(i.identity_assurance) == "card")


# -- the check in a submission -----------------------------------------------------------------
def applicant_of(person: Resident) -> dict[str, Any]:
    return {"id_type": "resident", "identified_by": "id_card", "id_number": person.id_number,
            "name": person.name, "gender": person.gender,
            "birth_date": person.birth_date.isoformat(), "address": person.address}


def certification(sandbox: SandboxServer, person: Resident, check: dict[str, Any] | None,
                  *, channel: str = "kiosk", agent_id: str | None = None,
                  created_at: dt.datetime | None = None) -> dict[str, Any]:
    created = (created_at or sandbox.platform.clock()).isoformat()
    body = submission(sandbox.platform.catalog.catalog, CERTIFICATION, channel=channel,
                      agent_id=agent_id, applicant=applicant_of(person), created_at=created)
    body["identity_check"] = check
    return body


def platform_check(sandbox: SandboxServer, kiosk: httpx.Client, person: Resident,
                   image: bytes) -> dict[str, Any]:
    answer = face_check(kiosk, session_for(kiosk, person), image)
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    return {"method": "platform_face", "check_id": doc["check_id"], "score": doc["score"],
            "at": sandbox.platform.clock().isoformat()}


def refused_for_identity(answer: httpx.Response) -> dict[str, str]:
    assert code_of(answer) == (422, "validation"), answer.text
    fields = answer.json()["fields"]
    assert set(fields) == {"identity_check"}, fields
    return dict(fields["identity_check"])


def test_a_matching_platform_check_is_accepted_once(sandbox: SandboxServer,
                                                    enrol: Enrol) -> None:
    """A face item's submission with this kiosk's matching check for the applicant is
    accepted, replayed as the same answer, and the check cannot serve a second one."""
    kiosk = enrol()
    put_signature(kiosk)
    hopper = resident(sandbox, "R002")
    check = platform_check(sandbox, kiosk, hopper, hopper_variant())
    body = certification(sandbox, hopper, check)
    first = submit(kiosk, body)
    assert first.status_code == 201, first.text
    again = submit(kiosk, body)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    reused = submit(kiosk, certification(sandbox, hopper, check))
    assert "another submission" in refused_for_identity(reused)["en"]
    with sandbox.platform.db.session() as conn:
        row = conn.execute("SELECT identity_method FROM submissions WHERE submission_id = ?",
                           (body["submission_id"],)).fetchone()
    assert row["identity_method"] == "platform_face"


def test_two_submissions_racing_for_one_check_are_accepted_once(sandbox: SandboxServer,
                                                                enrol: Enrol) -> None:
    """Sent at the same time, two submissions naming one check: exactly one is accepted."""
    kiosk = enrol()
    put_signature(kiosk)
    hopper = resident(sandbox, "R002")
    check = platform_check(sandbox, kiosk, hopper, hopper_variant())
    bodies = [certification(sandbox, hopper, check) for _ in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = sorted(a.status_code for a in pool.map(lambda b: submit(kiosk, b), bodies))
    assert statuses == [201, 422, 422, 422]


def test_platform_checks_that_do_not_do_are_refused(sandbox: SandboxServer, enrol: Enrol,
                                                    clock: MovableClock) -> None:
    """No check at all; a check that did not match; one made in another resident's
    session; one of another terminal; one made more than 15 minutes before created_at:
    each is 422 validation naming identity_check."""
    kiosk, other = enrol(), enrol()
    put_signature(kiosk)
    hopper, astronaut = resident(sandbox, "R002"), resident(sandbox, "R011")
    refused_for_identity(submit(kiosk, certification(sandbox, hopper, None)))
    mismatch = platform_check(sandbox, kiosk, hopper, astronaut_image())
    assert "did not match" in refused_for_identity(
        submit(kiosk, certification(sandbox, hopper, mismatch)))["en"]
    hoppers = platform_check(sandbox, kiosk, hopper, hopper_variant())
    assert "another resident" in refused_for_identity(
        submit(kiosk, certification(sandbox, astronaut, hoppers)))["en"]
    foreign = platform_check(sandbox, other, hopper, hopper_variant())
    assert "from this terminal" in refused_for_identity(
        submit(kiosk, certification(sandbox, hopper, foreign)))["en"]
    fresh = platform_check(sandbox, kiosk, hopper, hopper_variant())
    clock.advance(minutes=16)
    assert "15 minutes" in refused_for_identity(
        submit(kiosk, certification(sandbox, hopper, fresh)))["en"]
    # the same check, in a submission created within its 15 minutes, is still good
    on_time = certification(sandbox, hopper, fresh,
                            created_at=clock() - dt.timedelta(minutes=2))
    assert submit(kiosk, on_time).status_code == 201


def test_a_card_photo_check_is_for_kiosks_and_needs_the_platforms_threshold(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """card_photo_face: a kiosk's score at the threshold the heartbeat names is accepted,
    one below it refused; the agent channel cannot send it at all."""
    kiosk = enrol()
    put_signature(kiosk)
    hopper = resident(sandbox, "R002")
    beat = kiosk.post("/v1/heartbeat", json={
        "app_version": "0.1.0", "uptime_s": 1, "clock_skew_s": 0,
        "queue": {"pending": 0, "dead": 0, "dead_ids": []}, "devices": {}})
    assert beat.status_code == 200, beat.text
    threshold = beat.json()["config"]["card_photo_threshold"]
    assert threshold == sandbox.platform.identity_rule.card_photo_threshold

    def card_photo(score: float) -> dict[str, Any]:
        return {"method": "card_photo_face", "check_id": None, "score": score,
                "at": sandbox.platform.clock().isoformat()}

    assert submit(kiosk, certification(sandbox, hopper, card_photo(threshold))
                  ).status_code == 201
    refused_for_identity(submit(kiosk, certification(sandbox, hopper,
                                                     card_photo(threshold - 0.01))))
    agent, agent_id, token = signed_in_agent(sandbox, enrol, "A-FACE-1")
    answer = submit_as_agent(agent, token, certification(
        sandbox, hopper, card_photo(0.99), channel="agent", agent_id=agent_id))
    assert code_of(answer) == (422, "validation")
    assert "identity_check.method" in answer.json()["fields"]


def signed_in_agent(sandbox: SandboxServer, enrol: Enrol,
                    number: str) -> tuple[httpx.Client, str, str]:
    area = resident(sandbox, "R002").village
    add_agent(Path(sandbox.platform.settings.data_dir), number, PIN, area)
    agent = enrol("agent")
    answer = agent.post("/v1/agents/sign-in", json={"agent_number": number, "pin": PIN})
    assert answer.status_code == 200, answer.text
    put_signature(agent)
    return agent, answer.json()["agent_id"], answer.json()["agent_token"]


def submit_as_agent(agent: httpx.Client, token: str, body: dict[str, Any]) -> httpx.Response:
    return agent.post("/v1/submissions", json=body, headers={
        "Idempotency-Key": body["submission_id"], "X-Agent-Token": token})


def test_an_agents_attestation_is_for_the_agent_channel_only(sandbox: SandboxServer,
                                                             enrol: Enrol) -> None:
    """agent_attested by the signed-in agent is accepted on the agent channel; a kiosk
    cannot send it."""
    agent, agent_id, token = signed_in_agent(sandbox, enrol, "A-FACE-2")
    hopper = resident(sandbox, "R002")
    attested = {"method": "agent_attested", "check_id": None, "score": None,
                "at": sandbox.platform.clock().isoformat()}
    answer = submit_as_agent(agent, token, certification(
        sandbox, hopper, attested, channel="agent", agent_id=agent_id))
    assert answer.status_code == 201, answer.text
    kiosk = enrol()
    put_signature(kiosk)
    refused = submit(kiosk, certification(sandbox, hopper, attested))
    assert code_of(refused) == (422, "validation")
    assert "identity_check.method" in refused.json()["fields"]


def test_an_item_without_face_assurance_needs_no_check(sandbox: SandboxServer,
                                                       enrol: Enrol) -> None:
    """A card-assurance item is accepted without identity_check, as before."""
    kiosk = enrol()
    put_signature(kiosk)
    body = submission(sandbox.platform.catalog.catalog, _plain_item(sandbox))
    assert submit(kiosk, body).status_code == 201


def test_an_older_databases_documents_are_never_swept(tmp_path: Path) -> None:
    """A schema-5 database migrated to 6: the blobs it held (submitted documents, some of
    them small JPEGs) are marked named, so the sweep of unnamed face images spares them,
    while a JPEG uploaded after the upgrade and never named is swept."""
    import sqlite3

    from central.blobs import BlobStore
    from central.db import _MIGRATIONS, Database
    from central.face_checks import IMAGE_TYPE

    path = tmp_path / "central.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for version in range(1, 6):
        for statement in _MIGRATIONS[version].split(";"):
            if statement.strip():
                old.execute(statement)
    old.execute("PRAGMA user_version=5")
    kept = hashlib.sha256(b"an old document").hexdigest()
    old.execute("INSERT INTO blobs VALUES (?, 2000, ?, '2026-01-01T00:00:00.000Z')",
                (kept, IMAGE_TYPE))
    old.close()
    clock = MovableClock()
    db = Database(path)
    try:
        with db.session() as conn:
            conn.execute("INSERT INTO devices (device_id, kind, token_hash, enrolled_at) "
                         "VALUES ('kiosk-test', 'kiosk', 'x', '2026-12-01T00:00:00.000Z')")
        store = BlobStore(tmp_path / "blobs", db, clock)
        fresh = upload_to(store, b"\xff\xd8 a face image, never checked")
        clock.advance(minutes=11)
        assert store.sweep_unnamed_images(IMAGE_TYPE, MAX_IMAGE_BYTES, clock()) == 1
        assert store.exists(kept) and not store.exists(fresh)
    finally:
        db.close()


def upload_to(store: Any, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    store.put(digest, data, "image/jpeg", "kiosk-test")
    return digest


def test_a_submission_is_judged_by_the_catalog_version_it_names(sandbox: SandboxServer,
                                                                enrol: Enrol) -> None:
    """A certification filled in against an older catalog version, from before the item
    asked for a face, is accepted without a check; against the current one it is not."""
    import json

    from civic.catalog.model import CONTENT_KEYS, content_hash

    document = json.loads(sandbox.platform.catalog.document_bytes)
    for entry in document["items"]:
        del entry["identity_assurance"]
    document["version"] = content_hash({k: document[k] for k in CONTENT_KEYS})
    with sandbox.platform.db.session() as conn:
        conn.execute("INSERT INTO catalog_versions VALUES (?, ?, ?)",
                     (document["version"], json.dumps(document).encode(),
                      "2026-11-01T00:00:00.000Z"))
    kiosk = enrol()
    put_signature(kiosk)
    hopper = resident(sandbox, "R002")
    refused_for_identity(submit(kiosk, certification(sandbox, hopper, None)))
    older = certification(sandbox, hopper, None)
    older["catalog_version"] = document["version"]
    answer = submit(kiosk, older)
    assert answer.status_code == 201, answer.text
