"""A head-turn or nod cue from the 5 landmarks: a coarse "is this a live, moving head" check.

The cue is where the nose sits relative to the eyes, in units of the distance between the
eyes and in the eyes' own frame (so tilting the head sideways changes nothing):

* ``yaw``   = (nose − eye midpoint) along the eye line ÷ eye distance;
* ``pitch`` = (nose − eye midpoint) across the eye line ÷ eye distance.

A frontal face does not read 0 (measured −0.07 … +0.06 across faces), so every check first
takes a "look straight" baseline from the citizen's own frames and judges the challenge by
the change from it: a turn moves ``yaw`` by about 0.004–0.009 per degree, so the 0.06
threshold is roughly a 10° turn; frame-to-frame noise is up to 0.02.

Directions are in the camera's unmirrored image: a citizen turning to their own left moves
their nose towards the image's right (``yaw`` rises). A preview shown mirrored to the
citizen does not change the frames judged here.

Limits (say so wherever this is used): measured on warped photographs, not on people; a
video of a person turning, or a bent printed photo, can pass it. It raises the cost of
holding up a photo, nothing more; the decision that the person is the card's holder rests
on the face comparison and, where the platform does it, on the platform's own checks.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from faces.model import Landmarks, Point

TURN_THRESHOLD = 0.06
"""Change of the cue from the baseline that counts as a turn or a nod."""


class Challenge(StrEnum):
    """What the citizen is asked to do (the values are the platform's ``liveness.challenge``)."""

    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    NOD = "nod"


@dataclass(frozen=True)
class PoseCue:
    """Where the nose sits relative to the eyes (see the module's docstring)."""

    yaw: float
    pitch: float


def _centre(points: Sequence[Point]) -> Point:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def pose_cue(landmarks: Landmarks) -> PoseCue:
    """The cue of one frame's 5 landmarks."""
    ax, ay = _centre(landmarks.eye_a)
    bx, by = _centre(landmarks.eye_b)
    span = math.hypot(bx - ax, by - ay)
    if span == 0:
        raise ValueError("both eyes at one point: not a face's landmarks")
    ux, uy = (bx - ax) / span, (by - ay) / span        # along the eye line, image-left to right
    dx, dy = landmarks.nose[0] - (ax + bx) / 2, landmarks.nose[1] - (ay + by) / 2
    return PoseCue(yaw=(dx * ux + dy * uy) / span, pitch=(-dx * uy + dy * ux) / span)


def baseline(cues: Sequence[PoseCue]) -> PoseCue:
    """The "look straight" baseline from a few frames: the median of each cue."""
    if not cues:
        raise ValueError("a baseline needs at least one frame")
    return PoseCue(statistics.median(c.yaw for c in cues),
                   statistics.median(c.pitch for c in cues))


def challenge_met(challenge: Challenge, start: PoseCue, now: PoseCue,
                  threshold: float = TURN_THRESHOLD) -> bool:
    """Whether the frame's cue ``now`` shows the challenge done, relative to the baseline."""
    if challenge is Challenge.TURN_LEFT:
        return now.yaw - start.yaw >= threshold
    if challenge is Challenge.TURN_RIGHT:
        return start.yaw - now.yaw >= threshold
    return abs(now.pitch - start.pitch) >= threshold
