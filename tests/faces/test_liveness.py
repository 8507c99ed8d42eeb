"""The head-turn / nod cue: pure arithmetic on landmarks, then on warped sample portraits."""

from __future__ import annotations

import pytest

from faces.dlib_engine import DlibEngine
from faces.engine import judge_frame
from faces.frame import Frame
from faces.liveness import Challenge, PoseCue, baseline, challenge_met, pose_cue
from faces.model import Landmarks
from tests.faces import imagery


def _landmarks(nose: tuple[float, float], tilt: float = 0.0) -> Landmarks:
    # eyes 100 px apart on a line tilted by `tilt` (dy per dx)
    return Landmarks(((90.0, 100.0), (110.0, 100.0 + 20 * tilt)),
                     ((190.0, 100.0 + 100 * tilt), (210.0, 100.0 + 120 * tilt)), nose)


def test_cue_is_the_nose_offset_in_eye_distances() -> None:
    """A nose 10 px right of and 60 px below the eye midpoint, eyes 100 px apart, reads
    yaw 0.1 and pitch 0.6."""
    cue = pose_cue(_landmarks((160.0, 160.0)))
    assert cue.yaw == pytest.approx(0.1)
    assert cue.pitch == pytest.approx(0.6)


def test_cue_ignores_a_sideways_tilt_of_the_head() -> None:
    """Rotating all five points together (a head tilted to the shoulder) leaves the cue."""
    import math

    flat = pose_cue(_landmarks((150.0, 160.0)))
    angle = math.atan(0.2)
    cx, cy = 150.0, 100.0
    def rot(p: tuple[float, float]) -> tuple[float, float]:
        x, y = p[0] - cx, p[1] - cy
        return (cx + x * math.cos(angle) - y * math.sin(angle),
                cy + x * math.sin(angle) + y * math.cos(angle))
    base = _landmarks((150.0, 160.0))
    turned = Landmarks((rot(base.eye_a[0]), rot(base.eye_a[1])),
                       (rot(base.eye_b[0]), rot(base.eye_b[1])), rot(base.nose))
    assert pose_cue(turned).yaw == pytest.approx(flat.yaw, abs=1e-9)
    assert pose_cue(turned).pitch == pytest.approx(flat.pitch, abs=1e-9)


def test_challenges_are_judged_against_the_baseline() -> None:
    """A frontal face reading 0.05 is the baseline; +0.06 from it is a left turn, −0.06 a
    right turn, ±0.06 in pitch a nod; smaller changes are none of these."""
    start = baseline([PoseCue(0.05, 0.7), PoseCue(0.04, 0.71), PoseCue(0.06, 0.69)])
    assert start == PoseCue(0.05, 0.7)
    assert challenge_met(Challenge.TURN_LEFT, start, PoseCue(0.11, 0.7))
    assert not challenge_met(Challenge.TURN_LEFT, start, PoseCue(0.10, 0.7))
    assert not challenge_met(Challenge.TURN_LEFT, start, PoseCue(-0.2, 0.7))
    assert challenge_met(Challenge.TURN_RIGHT, start, PoseCue(-0.01, 0.7))
    assert not challenge_met(Challenge.TURN_RIGHT, start, PoseCue(0.03, 0.7))
    assert challenge_met(Challenge.NOD, start, PoseCue(0.05, 0.77))
    assert challenge_met(Challenge.NOD, start, PoseCue(0.05, 0.63))
    assert not challenge_met(Challenge.NOD, start, PoseCue(0.05, 0.73))
    with pytest.raises(ValueError):
        baseline([])


def _cue(engine: DlibEngine, frame: Frame) -> PoseCue:
    judgement = judge_frame(engine, frame, encode=False)
    assert judgement.face is not None
    return pose_cue(judgement.face.landmarks)


def _eye_line(engine: DlibEngine, frame: Frame) -> float:
    judgement = judge_frame(engine, frame, encode=False)
    assert judgement.face is not None
    lm = judgement.face.landmarks
    return sum(p[1] for p in (*lm.eye_a, *lm.eye_b)) / 4


def test_warped_portraits_turn_and_nod_and_altered_ones_stay_centred(
        engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """On each portrait: the nose sheared right is a left turn (and not a right one), sheared
    left a right turn, squeezed/stretched about the eyes a nod; rescaled, rotated ±8°,
    re-compressed, darker copies meet no challenge."""
    counts = {"turns_seen": 0, "nods_seen": 0, "centred": 0, "frames": 0}
    for name, frame in portraits.items():
        start = _cue(engine, frame)
        y0 = _eye_line(engine, frame)
        left = _cue(engine, imagery.sheared(frame, 0.2, y0))
        right = _cue(engine, imagery.sheared(frame, -0.2, y0))
        assert challenge_met(Challenge.TURN_LEFT, start, left), (name, start, left)
        assert not challenge_met(Challenge.TURN_RIGHT, start, left), name
        assert challenge_met(Challenge.TURN_RIGHT, start, right), (name, start, right)
        assert not challenge_met(Challenge.TURN_LEFT, start, right), name
        nod = _cue(engine, imagery.squeezed(frame, 1.2, y0))
        assert challenge_met(Challenge.NOD, start, nod), (name, start, nod)
        counts["turns_seen"] += 2
        counts["nods_seen"] += 1
        altered = imagery.variants(frame)
        for variant in ("scaled_0.75", "scaled_1.5", "rotated_+8", "rotated_-8", "jpeg_20",
                        "darker_0.5", "brighter_1.3"):
            judgement = judge_frame(engine, altered[variant], encode=False)
            if judgement.face is None:       # e.g. a variant too small: nothing to judge
                continue
            cue = pose_cue(judgement.face.landmarks)
            counts["frames"] += 1
            assert not any(challenge_met(c, start, cue) for c in Challenge), (name, variant, cue)
            counts["centred"] += 1
    print(f"liveness on warped portraits: {counts}")
    assert counts["centred"] == counts["frames"] >= 10
