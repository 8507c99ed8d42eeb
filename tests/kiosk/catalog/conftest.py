"""Fixtures for the terminal's catalog tests: the seed catalog as the terminal loads it (with
its search index), and copies of the seeds to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civic.catalog import Catalog, Resident
from kiosk.catalog.load import load_catalog, load_residents
from seeds import seeds_dir
from tests.civic.catalog.conftest import TODAY  # noqa: F401 - the same day for these tests


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(seeds_dir())


@pytest.fixture(scope="session")
def residents() -> dict[str, Resident]:
    return {r.ref: r for r in load_residents(seeds_dir() / "residents.toml")}


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ (catalog and residents) that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(seeds_dir() / "catalog", target / "catalog",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(seeds_dir() / "residents.toml", target / "residents.toml")
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a seed file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
