"""What the engine says about a frame: boxes, the 5 landmarks, encodings, verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """A face's rectangle in frame pixels (right and bottom exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def size(self) -> int:
        """The face's size as the engine's size rule reads it: the box's shorter side."""
        return min(self.width, self.height)


@dataclass(frozen=True)
class Landmarks:
    """The 5 points of dlib's 5-point model, in frame pixels: two corners of each eye and
    the bottom of the nose. ``eye_a`` is the eye on the image's left."""

    eye_a: tuple[Point, Point]
    eye_b: tuple[Point, Point]
    nose: Point

    @classmethod
    def from_points(cls, points: list[Point]) -> Landmarks:
        """From the model's 5 points in its order (0–1 one eye, 2–3 the other, 4 the nose)."""
        if len(points) != 5:
            raise ValueError(f"5 landmarks expected, got {len(points)}")
        first, second = (points[0], points[1]), (points[2], points[3])
        left, right = sorted((first, second), key=lambda eye: eye[0][0] + eye[1][0])
        return cls(left, right, points[4])

    def as_points(self) -> list[Point]:
        return [*self.eye_a, *self.eye_b, self.nose]


Encoding = tuple[float, ...]
"""A face's 128-d descriptor; only the distance between two of them means anything."""


@dataclass(frozen=True)
class FaceReading:
    """One face in a frame: where, its landmarks, and (if asked for) its encoding."""

    box: Box
    landmarks: Landmarks
    encoding: Encoding | None = field(default=None, repr=False)


class Verdict(StrEnum):
    """Whether a frame holds one face the engine can judge; the values are the CLI's and the
    platform's reasons."""

    OK = "ok"
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_SMALL = "too_small"          # a request to come closer, never a mismatch


@dataclass(frozen=True)
class FrameJudgement:
    """A frame's verdict and, when it is ``OK``, its one face."""

    verdict: Verdict
    faces: int
    face: FaceReading | None = None
