"""The catalog's seed files: which files make a catalog, parsed from the bytes a loader read.

Layout of a catalog directory (``seeds/catalog/``)::

    catalog.toml        departments (with USCC), life events, item types
    blocks.toml         shared form blocks, the shared field library, choice lists
    bundles.toml        "one thing" bundles (一件事)
    items/<dept>.toml   ``department = "<key>"`` and the department's ``[[items]]``

The loader (``kiosk.catalog.load``, the sandbox's ``central.catalog_source``) reads every
``*.toml`` file under the directory and hands in their bytes, keyed by their path relative
to the directory (``items/hrss.toml``), or the ``OSError`` that reading one raised. Which
files matter, parsing them and naming each problem with its file happen here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from civic.catalog.build import Sources
from civic.catalog.formbuild import read_parts
from civic.catalog.problems import Place, Problems

#: a file's bytes, or why it could not be read
FileData = bytes | OSError
VOCAB, BLOCKS, BUNDLES = "catalog.toml", "blocks.toml", "bundles.toml"
_ITEM_FILE = re.compile(r"^items/[^/]+\.toml$")


def shown_in(directory: str, relative: str) -> str:
    """How a problem names the file ``relative`` of a directory shown as ``directory``."""
    return relative if directory in ("", ".") else f"{directory}/{relative}"


def parse_toml(data: FileData | None, shown: str, problems: Problems) -> dict[str, Any]:
    """The table in a TOML file's bytes; a problem (and an empty table) if there is none."""
    if data is None:
        problems.add(shown, None, "", "file is missing")
    elif isinstance(data, OSError):
        problems.add(shown, None, "", f"cannot be read: {data.strerror}")
    else:
        try:
            return tomllib.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            problems.add(shown, None, "", "not valid TOML: the file is not UTF-8 text")
        except tomllib.TOMLDecodeError as exc:
            problems.add(shown, None, "", f"not valid TOML: {exc}")
    return {}


def read_sources(files: Mapping[str, FileData], directory: str, problems: Problems) -> Sources:
    """The catalog data in ``files`` (see the module docstring); ``directory`` is how
    problems name the catalog's directory."""
    def shown(relative: str) -> str:
        return shown_in(directory, relative)

    vocab = parse_toml(files.get(VOCAB), shown(VOCAB), problems)
    parts = read_parts(parse_toml(files.get(BLOCKS), shown(BLOCKS), problems),
                       Place(problems, shown(BLOCKS)))
    items: list[tuple[str, dict[str, Any]]] = []
    item_files = sorted(name for name in files if _ITEM_FILE.match(name))
    if not item_files:
        problems.add(shown("items"), None, "", "no item files (items/*.toml)")
    for name in item_files:
        raw = parse_toml(files[name], shown(name), problems)
        for unknown in sorted(set(raw) - {"department", "items"}):
            problems.add(shown(name), None, "", f"unknown top-level key {unknown!r}")
        for entry in raw.get("items", []):
            if isinstance(entry, dict):
                entry = {"department": raw.get("department"), **entry}
            items.append((shown(name), entry))
    bundles = parse_toml(files.get(BUNDLES), shown(BUNDLES), problems).get("bundles", [])
    return Sources(vocab, shown(VOCAB), items, bundles, shown(BUNDLES), parts)
