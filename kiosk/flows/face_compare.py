"""The two comparisons of a captured face, blocking: call them from a worker thread (the Qt
bridge does, ``kiosk.ui.bridges.faces``; tests call them directly).

* :func:`compare_on_platform` — the JPEG uploaded as a blob, then the platform compares it
  with the resident's reference photo in the card session (``platform_face``);
* :func:`compare_with_card_photo` — the ID card's WLT photo decoded by the vendor's library
  and compared, both inside the face engine's process (``card_photo_face``).

Every answer becomes a :class:`~kiosk.flows.face_check.FaceComparison`; what the flow does
with it is :mod:`kiosk.flows.face_steps`'s business. Nothing of the image is logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.flows.face_check import FaceCapture, FaceComparison, FaceOutcome

if TYPE_CHECKING:
    from faces.engine import FaceJudge
    from faces.worker import FaceWorker
    from offline_queue.platform import PlatformClient

log = logging.getLogger(__name__)

#: the platform's limit on a face-check image (platform-api.md)
MAX_FACE_JPEG = 300 * 1024

#: an engine's verdict on the live frame, as the flow reads it
_VERDICTS = {"no_face": FaceOutcome.NO_FACE, "too_small": FaceOutcome.TOO_SMALL,
             "several_faces": FaceOutcome.SEVERAL_FACES}


def compare_on_platform(client: PlatformClient, capture: FaceCapture,
                        session_id: str) -> FaceComparison:
    """``PUT /v1/blobs/{sha256}`` then ``POST /v1/identity/face-checks`` (blocking)."""
    from offline_queue import errors

    if len(capture.jpeg) > MAX_FACE_JPEG:
        raise ValueError(f"a face image of {len(capture.jpeg)} bytes is over the platform's "
                         f"{MAX_FACE_JPEG}")
    try:
        sha = client.put_blob(capture.jpeg, "image/jpeg")
        answer = client.face_check(session_id, sha, capture.challenge, capture.frames)
    except errors.PlatformError as exc:
        outcome = FaceOutcome.NO_FACE if exc.code == "no_face" \
            else FaceOutcome.NO_SESSION if isinstance(exc, errors.NoCardSession) \
            else FaceOutcome.UNAVAILABLE
        log.info("face.platform_refused", extra={"ctx": {"status": exc.status,
                                                         "code": exc.code,
                                                         "outcome": str(outcome)}})
        return FaceComparison(outcome)
    return FaceComparison(FaceOutcome.MATCH if answer.match else FaceOutcome.NO_MATCH,
                          answer.score, answer.check_id)


def _live_encoding(judge: FaceJudge | FaceWorker, capture: FaceCapture
                   ) -> tuple[float, ...] | FaceOutcome:
    if capture.encoding is not None:
        return capture.encoding
    from faces.worker import FaceWorker

    if isinstance(judge, FaceWorker):
        judged = judge.judge_image(capture.jpeg)
    else:
        from faces.frame import frame_from_image

        judged = judge.judge(frame_from_image(capture.jpeg))
    if judged.face is None or judged.face.encoding is None:
        return _VERDICTS.get(str(judged.verdict), FaceOutcome.NO_FACE)
    return judged.face.encoding


def compare_with_card_photo(worker: FaceWorker, capture: FaceCapture, card_photo: bytes,
                            threshold: float | None = None) -> FaceComparison:
    """The live face against the ID card's photo, in the engine's process (blocking).
    No decoder, or one that fails, or a card photo without a usable face: UNAVAILABLE
    (logged for the technician), and the flow says the item cannot be completed here.
    ``threshold``: the one applied here (``kiosk.flows.face_threshold``: the stricter of
    ``identity.face_threshold`` and the platform's named one; the platform records the
    score and cannot check it), else the engine's own."""
    from faces.card_photo import NoDecoder
    from faces.errors import FaceError, PhotoDecoderError, WorkerCrashed, WorkerTimeout

    try:
        live = _live_encoding(worker, capture)
        if isinstance(live, FaceOutcome):
            return FaceComparison(live)
        card = worker.judge_card_photo(card_photo)
        if isinstance(card, NoDecoder):
            log.warning("face.card_photo_unavailable", extra={"ctx": {"reason": str(card.reason)}})
            return FaceComparison(FaceOutcome.UNAVAILABLE)
        if card.face is None or card.face.encoding is None:
            log.warning("face.card_photo_unusable", extra={"ctx": {"verdict": str(card.verdict)}})
            return FaceComparison(FaceOutcome.UNAVAILABLE)
        score = worker.similarity(live, card.face.encoding)
        threshold = worker.threshold if threshold is None else threshold
    except (WorkerCrashed, WorkerTimeout) as exc:
        log.warning("face.engine_failed", extra={"ctx": {"error": type(exc).__name__}})
        return FaceComparison(FaceOutcome.ERROR)
    except PhotoDecoderError as exc:
        log.warning("face.card_photo_failed", extra={"ctx": {"error": type(exc).__name__,
                                                              "message": str(exc)}})
        return FaceComparison(FaceOutcome.UNAVAILABLE)
    except FaceError as exc:
        log.warning("face.engine_failed", extra={"ctx": {"error": type(exc).__name__}})
        return FaceComparison(FaceOutcome.UNAVAILABLE)
    return FaceComparison(FaceOutcome.MATCH if score >= threshold else FaceOutcome.NO_MATCH,
                          score)
