"""Capturing the best frame of a face check: a "look straight" baseline, then the random
head-turn challenge, judged on the face engine's landmarks (:mod:`faces.liveness`).

Qt-free: the screen feeds each judged frame to :meth:`LivenessCapture.feed` and shows the
:class:`CaptureStage` it answers. The best frame is the largest frontal face of the
baseline (the one the comparison should see); it is kept in memory only until
:meth:`LivenessCapture.result` turns it into the JPEG the flow compares, and
:meth:`LivenessCapture.drop` forgets everything (the screen calls it at the end of every
check and at the wipe).
"""

from __future__ import annotations

import io
import random
from enum import StrEnum

from faces.frame import Frame
from faces.liveness import Challenge, PoseCue, baseline, challenge_met, pose_cue
from faces.model import FrameJudgement, Verdict
from kiosk.flows.face_check import FaceCapture

#: frontal frames that make the baseline (their median: docs/identity.md)
BASELINE_FRAMES = 3
#: turns only: a slanted printed photo can pass a nod (docs/identity.md)
CHALLENGES = (Challenge.TURN_LEFT, Challenge.TURN_RIGHT)
JPEG_QUALITY = 85


class CaptureStage(StrEnum):
    """What the screen asks for now."""

    STRAIGHT = "straight"        # look straight: the baseline is being taken
    TURN = "turn"                # do the challenge
    DONE = "done"                # captured: compare
    NO_FACE = "no_face"          # look at the camera
    TOO_SMALL = "too_small"      # come closer
    SEVERAL = "several_faces"    # only the applicant, please


class LivenessCapture:
    """One attempt: ``LivenessCapture(rng)`` draws the challenge; feed judged frames."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.challenge = (rng or random.SystemRandom()).choice(CHALLENGES)
        self.stage = CaptureStage.STRAIGHT
        self.frames = 0
        self._cues: list[PoseCue] = []
        self._start: PoseCue | None = None
        self._best: tuple[int, Frame, tuple[float, ...] | None] | None = None

    @property
    def wants_encoding(self) -> bool:
        """Baseline frames are encoded (one of them is the best frame); turned ones are
        not (the encoder is the costly part, and a turned face is not compared)."""
        return self.stage in (CaptureStage.STRAIGHT, CaptureStage.NO_FACE,
                              CaptureStage.TOO_SMALL, CaptureStage.SEVERAL) \
            and self._start is None

    def feed(self, frame: Frame, judged: FrameJudgement) -> CaptureStage:
        if self.stage is CaptureStage.DONE:
            return self.stage
        self.frames += 1
        if judged.verdict is not Verdict.OK or judged.face is None:
            self.stage = {Verdict.TOO_SMALL: CaptureStage.TOO_SMALL,
                          Verdict.SEVERAL_FACES: CaptureStage.SEVERAL}.get(
                              judged.verdict, CaptureStage.NO_FACE)
            return self.stage
        cue = pose_cue(judged.face.landmarks)
        if self._start is None:
            size = judged.face.box.size
            if self._best is None or size >= self._best[0]:
                self._best = (size, frame, judged.face.encoding)
            self._cues.append(cue)
            if len(self._cues) >= BASELINE_FRAMES:
                self._start = baseline(self._cues)
                self.stage = CaptureStage.TURN
            else:
                self.stage = CaptureStage.STRAIGHT
            return self.stage
        self.stage = CaptureStage.DONE if challenge_met(self.challenge, self._start, cue) \
            else CaptureStage.TURN
        return self.stage

    def result(self) -> FaceCapture:
        """The best frame as the flow's capture (JPEG, ≤ 300 KB at 640 × 480)."""
        if self.stage is not CaptureStage.DONE or self._best is None:
            raise RuntimeError("the challenge has not been met")
        from PIL import Image

        _, frame, encoding = self._best
        out = io.BytesIO()
        Image.frombytes("RGB", (frame.width, frame.height), frame.rgb).save(
            out, "JPEG", quality=JPEG_QUALITY)
        return FaceCapture(out.getvalue(), str(self.challenge), self.frames, encoding)

    @property
    def holds_frame(self) -> bool:
        """Whether a frame of the citizen is still held (until :meth:`drop`)."""
        return self._best is not None

    def drop(self) -> None:
        """Forget every frame and cue (end of the check, the wipe)."""
        self._best = None
        self._cues.clear()
        self._start = None

    def __repr__(self) -> str:      # never a frame
        return f"LivenessCapture({self.challenge}, {self.stage}, {self.frames} frames)"
