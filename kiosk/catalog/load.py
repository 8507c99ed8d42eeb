"""Reading the catalog from its seed files (TOML, one file per department).

Layout of a catalog directory (``seeds/catalog/``)::

    catalog.toml        departments (with USCC), life events, item types
    blocks.toml         shared form blocks, the shared field library, choice lists
    bundles.toml        "one thing" bundles (一件事)
    items/<dept>.toml   ``department = "<key>"`` and the department's ``[[items]]``
"""

from __future__ import annotations

import logging
import os
import time
import tomllib
from pathlib import Path
from typing import Any

from kiosk.catalog.build import Sources, build
from kiosk.catalog.errors import CatalogInvalid
from kiosk.catalog.formbuild import read_parts
from kiosk.catalog.model import Catalog
from kiosk.catalog.problems import Place, Problem, Problems

log = logging.getLogger(__name__)


def catalog_dir(path: Path) -> Path:
    """``path`` itself, or its ``catalog/`` sub-directory when given the seeds directory."""
    return path / "catalog" if (path / "catalog" / "catalog.toml").exists() else path


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def _read(path: Path, problems: Problems) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.add(_shown(path), None, "", "file is missing")
    except tomllib.TOMLDecodeError as exc:
        problems.add(_shown(path), None, "", f"not valid TOML: {exc}")
    except OSError as exc:
        problems.add(_shown(path), None, "", f"cannot be read: {exc.strerror}")
    return {}


def read_sources(path: Path, problems: Problems) -> Sources:
    root = catalog_dir(path)
    vocab_path, blocks_path, bundles_path = (root / n for n in
                                             ("catalog.toml", "blocks.toml", "bundles.toml"))
    vocab = _read(vocab_path, problems)
    parts = read_parts(_read(blocks_path, problems), Place(problems, _shown(blocks_path)))
    items: list[tuple[str, dict[str, Any]]] = []
    item_files = sorted((root / "items").glob("*.toml"))
    if not item_files:
        problems.add(_shown(root / "items"), None, "", "no item files (items/*.toml)")
    for file in item_files:
        raw = _read(file, problems)
        shown = _shown(file)
        for unknown in sorted(set(raw) - {"department", "items"}):
            problems.add(shown, None, "", f"unknown top-level key {unknown!r}")
        for entry in raw.get("items", []):
            if isinstance(entry, dict):
                entry = {"department": raw.get("department"), **entry}
            items.append((shown, entry))
    return Sources(vocab, _shown(vocab_path), items,
                   _read(bundles_path, problems).get("bundles", []), _shown(bundles_path), parts)


def check_catalog(path: Path) -> list[Problem]:
    """Every problem of the catalog at ``path`` (empty: the catalog is good)."""
    problems = Problems()
    build(read_sources(path, problems), problems)
    return list(problems.items)


def load_catalog(path: Path) -> Catalog:
    """The catalog at ``path``; :class:`CatalogInvalid` lists every problem if it has any."""
    started = time.perf_counter()
    problems = Problems()
    catalog = build(read_sources(path, problems), problems)
    if problems:
        raise CatalogInvalid(problems.items)
    log.info("catalog.loaded", extra={"ctx": {
        "items": len(catalog), "ms": round((time.perf_counter() - started) * 1000)}})
    return catalog
