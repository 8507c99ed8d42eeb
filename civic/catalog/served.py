"""The catalog as the platform serves it (``GET /v1/catalog``), and back.

``{"version", "generated_at", "items": [...], "departments", "life_events", "item_types",
"bundles", "form_parts"}``: ``form_parts`` holds the shared form blocks and named choice
lists once; each item's form names its blocks and carries its other fields, so a terminal
needs nothing else. ``version`` is a SHA-256 over the canonical JSON of the
content (everything but ``version`` and ``generated_at``; ``Catalog.to_document`` writes it):
the same seeds always give the same version, and a terminal can tell a damaged download
from a good one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from civic.catalog.build import Sources, build
from civic.catalog.formbuild import read_parts
from civic.catalog.problems import Place, Problems
from civic.errors import CatalogInvalid

if TYPE_CHECKING:
    from civic.catalog.model import Catalog, IndexFactory

DOCUMENT = "<document>"


def catalog_from_document(doc: Any, index: IndexFactory | None = None) -> Catalog:
    """Rebuild and validate a served catalog; :class:`CatalogInvalid` if it is not good.
    ``index`` builds the search index (none: the catalog cannot search)."""
    problems = Problems()
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        problems.add(DOCUMENT, None, "", "not a catalog document (no items list)")
        raise CatalogInvalid(problems.items)
    for key in ("version", "generated_at"):
        if not isinstance(doc.get(key), str):
            problems.add(DOCUMENT, None, key, "missing")
    items = [(DOCUMENT, raw) for raw in doc["items"]]
    raw_parts = doc.get("form_parts")
    if not isinstance(raw_parts, dict):
        problems.add(DOCUMENT, None, "form_parts", "missing (the shared form blocks)")
        raw_parts = {}
    parts = read_parts({k: raw_parts.get(k, {}) for k in ("choice_lists", "blocks")},
                       Place(problems, DOCUMENT, None, "form_parts"))
    sources = Sources({k: doc.get(k, []) for k in ("departments", "life_events", "item_types")},
                      DOCUMENT, items, doc.get("bundles", []), DOCUMENT, parts)
    catalog = build(sources, problems, index)
    if not problems and catalog.version != doc["version"]:
        problems.add(DOCUMENT, None, "version",
                     f"the content does not match its version {doc['version']!r} "
                     f"(it hashes to {catalog.version!r}): damaged or altered")
    if problems:
        raise CatalogInvalid(problems.items)
    return catalog
