"""The card photo decoded in the engine's process: its answers and errors come back typed,
and a vendor library that crashes takes down that process, never the caller's."""

from __future__ import annotations

from pathlib import Path

import pytest

from faces.card_photo import DecoderConfig, DecoderSignature, NoDecoder, NoDecoderReason
from faces.errors import DecoderFailed, DecoderNotLoadable, WorkerCrashed
from faces.frame import Frame
from faces.model import FrameJudgement, Verdict
from faces.worker import FaceWorker
from tests.faces import standin


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return standin.build(tmp_path_factory.mktemp("vendor"))


def test_without_a_decoder_the_worker_answers_no_decoder() -> None:
    """No decoder configured: NoDecoder, so the caller uses the platform's check."""
    with FaceWorker(timeout=30) as worker:
        answer = worker.judge_card_photo(standin.wlt(1, 2, 3))
    assert isinstance(answer, NoDecoder) and answer.reason is NoDecoderReason.NOT_CONFIGURED


def test_the_photo_is_decoded_and_judged_in_the_process(stand_in: Path) -> None:
    """The stand-in's photo (a colour gradient, no face) is decoded and judged there:
    no_face; a photo the decoder refuses and one with a licence that does not match come
    back as DecoderFailed with their codes, and none of it restarts the process."""
    with FaceWorker(card_decoder=DecoderConfig(stand_in, "unpack", DecoderSignature.UNPACK),
                    timeout=30) as worker:
        answer = worker.judge_card_photo(standin.wlt(1, 2, 3))
        assert isinstance(answer, FrameJudgement)
        assert (answer.verdict, answer.faces) == (Verdict.NO_FACE, 0)
        with pytest.raises(DecoderFailed) as failed:
            worker.judge_card_photo(bytes(1024))
        assert failed.value.code == -2
        assert worker.restarts == 0
    with FaceWorker(card_decoder=DecoderConfig(stand_in, "unpack_licensed",
                                               DecoderSignature.UNPACK),
                    timeout=30) as worker, pytest.raises(DecoderFailed, match="licence") as lic:
        worker.judge_card_photo(standin.wlt(1, 2, 3))
    assert lic.value.code == -5


def test_a_missing_decoder_library_leaves_face_checks_working(tmp_path: Path) -> None:
    """A configured library that is not there fails the card photo (for the technician)
    while the same process still judges camera frames."""
    config = DecoderConfig(tmp_path / "libwlt.so", "unpack", DecoderSignature.UNPACK)
    with FaceWorker(card_decoder=config, timeout=30) as worker:
        with pytest.raises(DecoderNotLoadable, match="does not exist"):
            worker.judge_card_photo(standin.wlt(1, 2, 3))
        blank = worker.judge(Frame(64, 64, bytes(64 * 64 * 3)))
        assert blank.verdict is Verdict.NO_FACE and worker.restarts == 0


def test_a_crashing_vendor_library_takes_down_only_the_engines_process(
        stand_in: Path) -> None:
    """The stand-in's unpack_crash raises SIGSEGV inside the vendor call: the request is
    WorkerCrashed naming signal 11, this process carries on, and a fresh engine process
    answers the next request."""
    config = DecoderConfig(stand_in, "unpack_crash", DecoderSignature.UNPACK)
    with FaceWorker(card_decoder=config, timeout=30) as worker:
        worker.judge(Frame(64, 64, bytes(64 * 64 * 3)))
        first = worker.pid
        with pytest.raises(WorkerCrashed, match="signal 11"):
            worker.judge_card_photo(standin.wlt(1, 2, 3))
        assert worker.restarts == 1 and worker.pid != first
        assert worker.judge(Frame(64, 64, bytes(64 * 64 * 3))).verdict is Verdict.NO_FACE
