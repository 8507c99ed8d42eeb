"""The catalog as the platform serves it (``GET /v1/catalog``), and back.

``{"version", "generated_at", "items": [...], "departments", "life_events", "item_types",
"bundles", "form_parts"}``: ``form_parts`` holds the shared form blocks and named choice
lists once; each item's form names its blocks and carries its other fields, so a terminal
needs nothing else. ``version`` is a SHA-256 over the canonical JSON of the
content (everything but ``version`` and ``generated_at``; ``Catalog.to_document`` writes it):
the same seeds always give the same version, and a terminal can tell a damaged download
from a good one. The terminal hashes the document's content as it arrived rather than the
catalog rebuilt from it: the same bytes, without turning 10 000 items back into JSON
(``tests/kiosk/catalog/test_document.py`` checks that the two agree).
"""

from __future__ import annotations

from typing import Any

from civic.catalog.build import Sources, build
from civic.catalog.formbuild import read_parts
from civic.catalog.model import CONTENT_KEYS, Catalog, IndexFactory, content_hash
from civic.catalog.problems import Place, Problems
from civic.errors import CatalogInvalid

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
    hashed = content_hash({key: doc[key] for key in CONTENT_KEYS if key in doc})
    if not problems and hashed != doc["version"]:
        problems.add(DOCUMENT, None, "version",
                     f"the content does not match its version {doc['version']!r} "
                     f"(it hashes to {hashed!r}): damaged or altered")
    catalog = build(sources, problems, index, hashed)
    if problems:
        raise CatalogInvalid(problems.items)
    return catalog
