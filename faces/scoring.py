"""From the encoder's distance to the similarity score the kiosk and the platform speak of.

dlib's ResNet encoder maps a face to 128 numbers; two faces of one person lie closer than
two people's (Euclidean distance; dlib's own rule is "same person below 0.6"). The terminal
and the platform talk in a similarity 0..1, higher is more alike, so the distance is mapped
linearly: ``score = 1 − distance / (2 × 0.6)``, clamped to 0..1. Distance 0.6 is therefore
score 0.5, and the mapping is invertible (:func:`distance_of`) for documentation.

The threshold and the smallest usable face were chosen from measurements on this machine
(docs/identity.md, "How the threshold was chosen").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# Where the linear map reaches 0: twice dlib's customary 0.6, so 0.6 sits at score 0.5.
_SCALE = 1.2

MATCH_DISTANCE = 0.5
"""Largest encoder distance accepted as the same person (docs/identity.md, "How the
threshold was chosen"). Measured here: a portrait against 18 altered copies of itself (card
photo size included) at most 0.24, faces down to 44 px at most 0.22; two different people
(every variant of one against every variant of the other, 247 pairs) never below 0.62.
The setup notes add three photos of one person at 0.33–0.43 and 18 pairs of different
people at 0.70–0.93. 0.5 sits between 0.43 and 0.62 with a margin to both, stricter than
dlib's customary 0.6 because a false accept costs more than a retry or a staffed window."""

THRESHOLD = round(1.0 - MATCH_DISTANCE / _SCALE, 4)
"""The similarity threshold: ``score >= THRESHOLD`` is a match (0.5833)."""

MIN_FACE_PX = 50
"""A face whose box's shorter side is below this many pixels is too small to judge (the
citizen is asked to come closer). Measured: 37 px faces drifted to distance 0.35 here (0.61
in the setup notes), 44–53 px to at most 0.22; an ID card photo's face (102 × 126) is about
63 px, so the rule must stay below that."""

MIN_DETECTION_SCORE = 0.5
"""dlib's HOG detector's confidence below which a detection is not a face. Measured: real
faces 0.88–1.68 in every altered copy; false detections (the badge on the astronaut's suit)
0.02–0.16."""


def distance(a: Sequence[float], b: Sequence[float]) -> float:
    """The Euclidean distance between two encodings of the same length."""
    if len(a) != len(b):
        raise ValueError(f"encodings of different lengths: {len(a)} and {len(b)}")
    return math.sqrt(sum((x - y) * (x - y) for x, y in zip(a, b, strict=True)))


def score_of(dist: float) -> float:
    """The similarity 0..1 of an encoder distance (higher is more alike)."""
    return min(1.0, max(0.0, 1.0 - dist / _SCALE))


def distance_of(score: float) -> float:
    """The encoder distance a similarity stands for (exact for scores above 0)."""
    return (1.0 - score) * _SCALE
