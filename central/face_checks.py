"""The platform's person-to-card check (人证核验): a live face against the registry's photo.

platform-api.md, "Person-to-card check". The terminal uploads the live image as a blob
(``image/jpeg``, at most :data:`MAX_IMAGE_BYTES`) and asks for a check inside the card
session of the resident; the platform compares it with that resident's reference photo
(:mod:`central.reference_photos`) using the terminal's own face engine (:mod:`faces`),
in the engine's own process: dlib holds Python's GIL for 100–150 ms a face, and every
other request of this threaded server would stall behind it.

What is kept: the check's id, device, session, time, score and result, and later the one
submission that names it (``face_checks``, migration 6). The image is deleted as soon as
it was looked at, whatever the answer; an uploaded image that no check names is deleted
by :meth:`FaceChecks.sweep` within :data:`UNNAMED_IMAGE_MINUTES`.

A session allows :data:`CHECKS_PER_SESSION` checks. The count is taken the way sessions
are counted (``central.card_sessions``): one ``BEGIN IMMEDIATE`` transaction counts the
session's checks, refuses at the limit and reserves the next, so parallel requests can
never make a sixth. A check the engine could not make (its process failed) gives its
place back.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Protocol

from central.blobs import BlobStore
from central.clock import Clock, rfc3339
from central.db import Database, write
from central.errors import (
    BadRequest,
    Conflict,
    NotFound,
    Problem,
    Throttled,
    TooLarge,
    Unavailable,
    Unprocessable,
    UnsupportedMediaType,
)
from central.reference_photos import ReferencePhotos
from civic.submission import is_sha256
from faces.errors import EngineUnavailable, ImageUnreadable, WorkerCrashed, WorkerError
from faces.model import Encoding, FrameJudgement, Verdict

log = logging.getLogger(__name__)

IMAGE_TYPE: Final = "image/jpeg"
MAX_IMAGE_BYTES: Final = 300 * 1024
CHECKS_PER_SESSION: Final = 5
UNNAMED_IMAGE_MINUTES: Final = 10
#: where the reference photo comes from, as the answer names it
REFERENCE: Final = "population_registry"
#: how often the sweep of unnamed images runs on its own (it also runs on every check)
SWEEP_EVERY_S: Final = 30.0


class Challenge(StrEnum):
    """The liveness challenge the terminal gave (platform-api.md)."""

    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    NOD = "nod"


class CheckResult(StrEnum):
    """A check's result as ``face_checks.result`` keeps it."""

    PENDING = "pending"        # reserved, being compared
    MATCH = "match"
    NO_MATCH = "no_match"
    NO_FACE = "no_face"        # no single clear face (none, several, or too small)


class FaceComparer(Protocol):
    """What the checks need of the face engine (``faces.worker.FaceWorker`` is one)."""

    @property
    def threshold(self) -> float: ...

    def judge_image(self, data: bytes, *, encode: bool = True) -> FrameJudgement: ...

    def similarity(self, a: Encoding, b: Encoding) -> float: ...


@dataclass(frozen=True)
class CheckAsked:
    """``POST /v1/identity/face-checks``'s body, checked."""

    image_sha256: str
    challenge: Challenge
    frames: int

    @classmethod
    def parse(cls, doc: dict[str, Any]) -> CheckAsked:
        image, liveness = doc.get("image_sha256"), doc.get("liveness")
        if not is_sha256(image):
            raise BadRequest("bad_request", "image_sha256 is the lower-case hex SHA-256 of "
                                            "the uploaded image")
        if not isinstance(liveness, dict) or liveness.get("challenge") not in tuple(Challenge):
            raise BadRequest("bad_request", "liveness.challenge is one of "
                             + ", ".join(Challenge))
        frames = liveness.get("frames")
        if isinstance(frames, bool) or not isinstance(frames, int) or frames < 1:
            raise BadRequest("bad_request", "liveness.frames is the number of frames watched")
        if liveness.get("passed") is not True:
            # The terminal asks for a comparison only once the citizen met the challenge.
            raise BadRequest("bad_request", "ask for a check only after the liveness "
                                            "challenge passed (liveness.passed true)")
        assert isinstance(image, str)
        return cls(image, Challenge(liveness["challenge"]), frames)


@dataclass(frozen=True)
class CheckAnswer:
    check_id: str
    match: bool
    score: float
    threshold: float

    def as_dict(self) -> dict[str, Any]:
        return {"check_id": self.check_id, "match": self.match, "score": self.score,
                "threshold": self.threshold, "reference": REFERENCE}


_NO_FACE_DETAIL = {
    Verdict.NO_FACE: "no face was found in the image",
    Verdict.SEVERAL_FACES: "more than one face is in the image: only the applicant may be "
                           "in front of the camera",
    Verdict.TOO_SMALL: "the face is too small to judge: ask the citizen to come closer",
}


class FaceChecks:
    """Face checks against the reference photos, and the images they leave behind."""

    def __init__(self, db: Database, clock: Clock, blobs: BlobStore, engine: FaceComparer,
                 references: ReferencePhotos, sweep_every_s: float = SWEEP_EVERY_S) -> None:
        if not 0 < sweep_every_s <= SWEEP_EVERY_S:
            raise ValueError(f"the sweep of unnamed images runs at least every "
                             f"{SWEEP_EVERY_S:g} s")
        self.sweep_every_s = sweep_every_s
        self._db = db
        self._clock = clock
        self._blobs = blobs
        self._engine = engine
        self._references = references

    def check(self, device_id: str, session_id: str, resident_ref: str | None,
              asked: CheckAsked) -> CheckAnswer:
        """Compare the uploaded image with the resident's photo in an open session of this
        device (the caller's gate made sure of it). Raises the answer's :class:`Problem`
        otherwise: 409 missing_blobs, 413/415 for an image that is not one the spec
        allows, 404 no_reference, 429 too_many_checks, 422 no_face, 503 when the engine
        cannot answer now. The image is gone afterwards, whatever the answer."""
        self.sweep()
        digest = asked.image_sha256
        if not self._blobs.held_by(digest, device_id):
            raise Conflict("missing_blobs", "upload the image first (PUT /v1/blobs)",
                           missing=[digest])
        if self._blobs.named(digest):
            # An attachment of a case the platform owns: a check would delete it.
            raise BadRequest("bad_image", "this blob is an attachment of an accepted "
                                          "submission, not a live image")
        try:
            return self._check(device_id, session_id, resident_ref, digest)
        finally:
            self._blobs.delete(digest)

    def _check(self, device_id: str, session_id: str, resident_ref: str | None,
               digest: str) -> CheckAnswer:
        media = self._blobs.media_of(digest)
        data = self._blobs.read(digest)
        if media is None or data is None:      # deleted by a sweep since the test above
            raise Conflict("missing_blobs", "upload the image again", missing=[digest])
        media_type, size = media
        if media_type.split(";")[0].strip().lower() != IMAGE_TYPE:
            raise UnsupportedMediaType("bad_image", f"the live image is uploaded as "
                                                    f"{IMAGE_TYPE}")
        if size > MAX_IMAGE_BYTES:
            raise TooLarge("image_too_large", f"the live image is at most "
                                              f"{MAX_IMAGE_BYTES // 1024} KB")
        reference = self._reference(resident_ref)
        check_id = self._reserve(device_id, session_id)
        try:
            judgement = self._judge(data)
            face = judgement.face
            if judgement.verdict is not Verdict.OK or face is None or face.encoding is None:
                self._settle(check_id, CheckResult.NO_FACE, None)
                raise Unprocessable("no_face", _NO_FACE_DETAIL.get(
                    judgement.verdict, _NO_FACE_DETAIL[Verdict.NO_FACE]),
                                    check_id=check_id, reason=str(judgement.verdict))
            score = round(self._engine.similarity(reference, face.encoding), 4)
            threshold = self._engine.threshold
        except ImageUnreadable as exc:
            self._settle(check_id, CheckResult.NO_FACE, None)
            raise Unprocessable("no_face", "the image could not be read as a picture",
                                check_id=check_id, reason=str(Verdict.NO_FACE)) from exc
        except (WorkerError, EngineUnavailable) as exc:
            self._release(check_id)
            raise self._unavailable(exc) from exc
        except Problem:
            raise                               # the no_face answer, its check settled
        except BaseException:
            self._release(check_id)             # a bug: the check was not made; let it show
            raise
        match = score >= threshold
        self._settle(check_id, CheckResult.MATCH if match else CheckResult.NO_MATCH, score)
        return CheckAnswer(check_id, match, score, threshold)

    def _judge(self, data: bytes) -> FrameJudgement:
        """The engine's judgement of the image. Its process dying mid-request (killed, out
        of memory) is the platform's trouble, not the citizen's: the worker has restarted
        by then, so the image is tried once more before the terminal is told to retry."""
        try:
            return self._engine.judge_image(data)
        except WorkerCrashed:
            log.warning("central.face_check.engine_restarted")
            return self._engine.judge_image(data)

    def _reference(self, resident_ref: str | None) -> Encoding:
        try:
            reference = None if resident_ref is None else \
                self._references.encoding(resident_ref)
        except (WorkerError, EngineUnavailable) as exc:
            raise self._unavailable(exc) from exc
        if reference is None:
            raise NotFound("no_reference", "the platform holds no photo of this resident")
        return reference

    @staticmethod
    def _unavailable(exc: Exception) -> Unavailable:
        # The engine's process failed and was restarted (try again soon), or the engine
        # cannot run on this machine at all: an operator's matter, said in the log.
        lasting = isinstance(exc, EngineUnavailable)
        log.warning("central.face_check.engine_failed",
                    extra={"ctx": {"error": type(exc).__name__}})
        return Unavailable("face_engine_unavailable",
                           "the platform's face engine cannot compare now; try again later",
                           headers={"Retry-After": "60" if lasting else "1"})

    def _reserve(self, device_id: str, session_id: str) -> str:
        check_id = secrets.token_hex(16)
        with self._db.session() as conn, write(conn):
            made = conn.execute("SELECT COUNT(*) FROM face_checks WHERE session_id = ?",
                                (session_id,)).fetchone()[0]
            if made >= CHECKS_PER_SESSION:
                # Final for this session: the citizen goes to a staffed window.
                raise Throttled("too_many_checks", f"this session already made {made} face "
                                "checks; no more are allowed in it")
            conn.execute("INSERT INTO face_checks (check_id, device_id, session_id, "
                         "checked_at, result) VALUES (?, ?, ?, ?, ?)",
                         (check_id, device_id, session_id, rfc3339(self._clock()),
                          str(CheckResult.PENDING)))
        return check_id

    def _settle(self, check_id: str, result: CheckResult, score: float | None) -> None:
        with self._db.session() as conn, write(conn):
            conn.execute("UPDATE face_checks SET result = ?, score = ? WHERE check_id = ?",
                         (str(result), score, check_id))

    def _release(self, check_id: str) -> None:
        with self._db.session() as conn, write(conn):
            conn.execute("DELETE FROM face_checks WHERE check_id = ?", (check_id,))

    def sweep(self) -> int:
        """Delete the uploaded images that no check named in time; how many."""
        # The sweep runs every sweep_every_s, so it takes images a round early: none then
        # outlives its 10 minutes.
        before = self._clock() - dt.timedelta(minutes=UNNAMED_IMAGE_MINUTES) \
            + dt.timedelta(seconds=self.sweep_every_s)
        deleted = self._blobs.sweep_unnamed_images(IMAGE_TYPE, MAX_IMAGE_BYTES, before)
        if deleted:
            log.info("central.face_check.swept", extra={"ctx": {"images": deleted}})
        return deleted


class ImageSweeper:
    """Runs :meth:`FaceChecks.sweep` every ``checks.sweep_every_s`` on a thread of its own,
    so an image is deleted in time even when no request comes. The sweep compares upload
    times with the platform's clock, so a test moves that clock rather than waiting."""

    def __init__(self, checks: FaceChecks) -> None:
        self._checks = checks
        self._every_s = checks.sweep_every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="central-image-sweep")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                self._checks.sweep()
            except Exception:     # a bug: said in full, and the next round tries again
                log.exception("central.face_check.sweep_failed")
