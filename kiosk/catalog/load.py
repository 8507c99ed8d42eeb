"""Loading the catalog and the demo residents from their files, with the search index.

The files are read here and parsed by ``civic.catalog`` (layout in
``civic.catalog.sourcefiles``); the catalog the terminal uses gets a pinyin
:class:`~kiosk.catalog.search.SearchIndex` built at load. A catalog the platform served
(``load_served``) takes seconds at a province's size: the terminal loads an update on a
worker thread (``kiosk.ui.bridges.catalog``). Every load runs with the cycle collector
paused (``kiosk.catalog.bulk``).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import orjson

from civic.catalog import catalog_from_document
from civic.catalog.build import build
from civic.catalog.model import Catalog
from civic.catalog.problems import CatalogProblem, Problems
from civic.catalog.residents import Resident, parse_residents
from civic.catalog.sourcefiles import FileData, read_sources
from civic.errors import CatalogInvalid
from kiosk.catalog.bulk import without_gc
from kiosk.catalog.search import SearchIndex

log = logging.getLogger(__name__)


def catalog_dir(path: Path) -> Path:
    """``path`` itself, or its ``catalog/`` sub-directory when given the seeds directory."""
    return path / "catalog" if (path / "catalog" / "catalog.toml").exists() else path


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def _read(path: Path) -> FileData:
    try:
        return path.read_bytes()
    except OSError as exc:
        return exc


def read_files(root: Path) -> dict[str, FileData]:
    """Every TOML file under ``root``, by its path relative to ``root``."""
    return {path.relative_to(root).as_posix(): _read(path)
            for path in sorted(root.rglob("*.toml"))}


def check_catalog(path: Path) -> list[CatalogProblem]:
    """Every problem of the catalog at ``path`` (empty: the catalog is good)."""
    root = catalog_dir(path)
    problems = Problems()
    build(read_sources(read_files(root), _shown(root), problems), problems)
    return list(problems.items)


def load_catalog(path: Path) -> Catalog:
    """The catalog at ``path``, searchable; :class:`CatalogInvalid` lists every problem if
    it has any."""
    started = time.perf_counter()
    root = catalog_dir(path)
    problems = Problems()
    with without_gc():
        catalog = build(read_sources(read_files(root), _shown(root), problems), problems,
                        SearchIndex)
    if problems:
        raise CatalogInvalid(problems.items)
    _loaded(catalog, started, "seeds")
    return catalog


def load_served(data: bytes | str) -> Catalog:
    """The catalog in a document the platform served (``GET /v1/catalog``, kept in
    ``<data dir>/catalog/catalog.json``), searchable; :class:`CatalogInvalid` names every
    problem of a bad document, ``ValueError`` says it is not JSON."""
    return load_document(orjson.loads(data))


def load_document(document: Any) -> Catalog:
    """The catalog in a served document already parsed from its JSON, searchable;
    :class:`CatalogInvalid` names every problem of a bad one."""
    started = time.perf_counter()
    with without_gc():
        catalog = catalog_from_document(document, SearchIndex)
    _loaded(catalog, started, "served")
    return catalog


def _loaded(catalog: Catalog, started: float, source: str) -> None:
    log.info("catalog.loaded", extra={"ctx": {
        "source": source, "items": len(catalog),
        "ms": round((time.perf_counter() - started) * 1000)}})


def load_residents(path: Path) -> list[Resident]:
    """Every demo resident in the file at ``path``; :class:`ResidentsInvalid` lists every
    problem of the file."""
    return parse_residents(_read(path), str(path))
