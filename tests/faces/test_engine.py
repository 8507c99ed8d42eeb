"""The default engine judges frames: one clear face, none, several, or one too small."""

from __future__ import annotations

from pathlib import Path

import pytest

from faces import scoring
from faces.dlib_engine import ENCODER, LANDMARKS_5, DlibEngine, lacks_avx, models_dir
from faces.engine import judge_frame
from faces.errors import EngineUnavailable
from faces.frame import Frame
from faces.model import Verdict
from tests.faces import imagery


def test_each_portrait_holds_one_face_with_landmarks_inside_it(
        engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """Each sample portrait is one judgeable face: 5 landmarks inside its box, eyes above
    the nose, and a 128-d encoding."""
    for name, frame in portraits.items():
        judgement = judge_frame(engine, frame)
        assert judgement.verdict is Verdict.OK, name
        face = judgement.face
        assert face is not None and face.encoding is not None
        assert len(face.encoding) == 128
        for x, y in face.landmarks.as_points():
            assert face.box.left <= x <= face.box.right and face.box.top <= y <= face.box.bottom
        eyes_y = max(p[1] for p in (*face.landmarks.eye_a, *face.landmarks.eye_b))
        assert face.landmarks.nose[1] > eyes_y
        assert face.landmarks.eye_a[0][0] < face.landmarks.eye_b[0][0]


def test_blank_frame_holds_no_face(engine: DlibEngine) -> None:
    """A plain grey 640 × 480 frame is no_face."""
    judgement = judge_frame(engine, Frame(640, 480, bytes([128]) * 640 * 480 * 3))
    assert (judgement.verdict, judgement.faces) == (Verdict.NO_FACE, 0)


def test_a_far_away_face_is_too_small_not_a_mismatch_or_no_face(
        engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """A portrait shrunk into a 640 × 480 frame until its face is below the size rule is
    too_small (the citizen is asked to come closer); at a usable size it is ok."""
    for name, frame in portraits.items():
        box = engine.detect(frame)[0]
        # shrink the face to 45 px (found at double scale, below the 50 px rule) and to 90 px
        small = imagery.shrunk_into(frame, 45 / box.size)
        fine = imagery.shrunk_into(frame, 90 / box.size)
        assert judge_frame(engine, small).verdict is Verdict.TOO_SMALL, name
        assert engine.detect(small)[0].size < scoring.MIN_FACE_PX
        assert judge_frame(engine, fine).verdict is Verdict.OK, name


def test_a_collage_of_two_portraits_is_several_faces(
        engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """Two portraits side by side are several_faces, with the count."""
    first, second = list(portraits.values())[:2]
    judgement = judge_frame(engine, imagery.side_by_side(first, second))
    assert (judgement.verdict, judgement.faces) == (Verdict.SEVERAL_FACES, 2)
    assert judgement.face is None


def test_no_encoding_unless_asked(engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """judge_frame(encode=False) gives landmarks without the costly encoding."""
    judgement = judge_frame(engine, next(iter(portraits.values())), encode=False)
    assert judgement.face is not None and judgement.face.encoding is None


def test_the_engine_needs_only_the_two_permitted_model_files(
        tmp_path: Path, portraits: dict[str, Frame]) -> None:
    """With a models folder holding only the 5-point predictor and the ResNet encoder (no
    68-point model, whose licence forbids commercial use, no CNN detector) the engine
    works; without the encoder it says which file is missing."""
    installed = models_dir()
    for name in (LANDMARKS_5, ENCODER):
        (tmp_path / name).symlink_to(installed / name)
    engine = DlibEngine(tmp_path)
    assert judge_frame(engine, next(iter(portraits.values()))).verdict is Verdict.OK
    (tmp_path / ENCODER).unlink()
    with pytest.raises(EngineUnavailable, match=ENCODER):
        DlibEngine(tmp_path)


def test_a_small_face_farther_back_is_ignored_beside_a_usable_one(
        engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """Two faces found only at double scale, one usable (~55 px) and one below the size
    rule (~44 px, someone farther back in the queue): ok, judged on the usable face; the
    count includes both. Two usable faces that small are still several_faces."""
    first, second = list(portraits.values())[:2]
    near = imagery.shrunk_into(first, 55 / engine.detect(first)[0].size, canvas=(320, 480))
    behind = imagery.shrunk_into(second, 45 / engine.detect(second)[0].size,
                                 canvas=(320, 480))
    judgement = judge_frame(engine, imagery.side_by_side(near, behind))
    assert (judgement.verdict, judgement.faces) == (Verdict.OK, 2)
    assert judgement.face is not None and judgement.face.box.size >= scoring.MIN_FACE_PX
    alone = judge_frame(engine, first)
    assert alone.face is not None and alone.face.encoding is not None
    assert judgement.face.encoding is not None
    assert engine.similarity(alone.face.encoding, judgement.face.encoding) >= engine.threshold
    also_near = imagery.shrunk_into(second, 55 / engine.detect(second)[0].size,
                                    canvas=(320, 480))
    both = judge_frame(engine, imagery.side_by_side(near, also_near))
    assert (both.verdict, both.faces) == (Verdict.SEVERAL_FACES, 2)


def test_a_cpu_without_avx_is_recognised_from_cpuinfo() -> None:
    """/proc/cpuinfo of a CPU without AVX (a Bay Trail Celeron) is refused before dlib is
    imported; one with AVX, and layouts without x86 flags, are not."""
    celeron = ("processor\t: 0\nmodel name\t: Intel(R) Celeron(R) CPU  J1900  @ 1.99GHz\n"
               "flags\t\t: fpu vme de pse sse sse2 ssse3 sse4_1 sse4_2 popcnt\n")
    modern = celeron.replace("popcnt", "popcnt avx avx2")
    assert lacks_avx(celeron)
    assert not lacks_avx(modern)
    assert lacks_avx(modern + "\n" + celeron)          # any core without it
    assert not lacks_avx("processor\t: 0\nFeatures\t: fp asimd\n")   # arm64: not judged
    assert not lacks_avx("")
