"""The distance → similarity mapping and the threshold are what docs/identity.md says."""

from __future__ import annotations

import math

import pytest

from faces import scoring


def test_distance_point_six_is_score_one_half_and_the_mapping_inverts() -> None:
    """dlib's customary distance 0.6 maps to 0.5, and distance_of undoes score_of."""
    assert scoring.score_of(0.6) == pytest.approx(0.5)
    for d in (0.0, 0.11, 0.3, 0.5, 0.93, 1.1):
        assert scoring.distance_of(scoring.score_of(d)) == pytest.approx(d)


def test_scores_stay_in_zero_to_one_and_fall_with_distance() -> None:
    """Every distance gives a score in 0..1, and a larger distance never a higher score."""
    distances = [i / 20 for i in range(0, 60)]
    scores = [scoring.score_of(d) for d in distances]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert scoring.score_of(5.0) == 0.0


def test_threshold_is_the_match_distance_in_score_terms() -> None:
    """A pair exactly at the match distance is a match; one a little farther is not."""
    exact = scoring.score_of(scoring.MATCH_DISTANCE)
    assert abs(scoring.THRESHOLD - exact) < 1e-4
    assert scoring.score_of(scoring.MATCH_DISTANCE - 0.001) >= scoring.THRESHOLD
    assert scoring.score_of(scoring.MATCH_DISTANCE + 0.01) < scoring.THRESHOLD


def test_distance_is_euclidean_and_refuses_mismatched_lengths() -> None:
    """distance is the Euclidean norm of the difference; encodings must be the same size."""
    assert scoring.distance((0.0, 3.0), (4.0, 0.0)) == 5.0
    assert scoring.distance((1.0,) * 128, (1.0,) * 128) == 0.0
    assert math.isclose(scoring.distance((0.1,) * 128, (0.0,) * 128), math.sqrt(128) * 0.1)
    with pytest.raises(ValueError):
        scoring.distance((0.0,) * 128, (0.0,) * 127)
