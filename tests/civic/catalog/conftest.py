"""Fixtures for the catalog model's tests: the seed catalog and the demo residents, read
here and built by ``civic.catalog`` alone (no search index: the model's tests never search;
the terminal's loading and search are tested in tests/kiosk/catalog)."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.catalog import Catalog, Problems, Resident, build, parse_residents, read_sources
from seeds import seeds_dir

TODAY = dt.date(2026, 11, 22)      # the day the demo residents' ages are reckoned from


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    root = seeds_dir() / "catalog"
    files = {path.relative_to(root).as_posix(): path.read_bytes()
             for path in sorted(root.rglob("*.toml"))}
    problems = Problems()
    built = build(read_sources(files, "seeds/catalog", problems), problems)
    assert not problems, problems.items
    return built


@pytest.fixture(scope="session")
def residents() -> dict[str, Resident]:
    path = seeds_dir() / "residents.toml"
    return {r.ref: r for r in parse_residents(path.read_bytes(), str(path))}
