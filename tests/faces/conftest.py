"""Fixtures of the face tests: the sample portraits (public domain, read from installed
packages) and one engine per module (loading the models takes about a second)."""

from __future__ import annotations

import pytest

from faces import samples
from faces.dlib_engine import DlibEngine
from faces.frame import Frame, frame_from_image


def portrait_frames() -> dict[str, Frame]:
    """Every sample portrait, decoded; skips (naming the package) if one is missing, which
    happens only outside the dev extra (CI installs it)."""
    missing = [p.distribution for p in samples.PORTRAITS if not p.installed()]
    if missing:
        pytest.skip(f"sample portraits need {', '.join(missing)} (pip install -e '.[dev]')")
    return {p.name: frame_from_image(p.read()) for p in samples.PORTRAITS}


@pytest.fixture(scope="module")
def portraits() -> dict[str, Frame]:
    return portrait_frames()


@pytest.fixture(scope="module")
def engine() -> DlibEngine:
    return DlibEngine()
