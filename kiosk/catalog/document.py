"""The catalog as the platform serves it (``GET /v1/catalog``), and back.

``{"version", "generated_at", "items": [...], "departments", "life_events", "item_types",
"bundles", "form_parts"}``: ``form_parts`` holds the shared form blocks and named choice
lists once; each item's form names its blocks and carries its other fields, so a terminal
needs nothing else. ``version`` is a SHA-256 over the canonical JSON of the
content (everything but ``version`` and ``generated_at``): the same seeds always give the
same version, and a terminal can tell a damaged download from a good one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from kiosk.catalog.build import Sources, build
from kiosk.catalog.errors import CatalogInvalid
from kiosk.catalog.formbuild import read_parts
from kiosk.catalog.problems import Place, Problems

if TYPE_CHECKING:
    from kiosk.catalog.model import Catalog

DOCUMENT = "<document>"


def _content(catalog: Catalog) -> dict[str, Any]:
    return {
        "items": [item.as_dict() for item in sorted(catalog.items, key=lambda i: i.code)],
        "departments": [d.as_dict() for d in catalog.departments.values()],
        "life_events": [e.as_dict() for e in catalog.life_events.values()],
        "item_types": [{"key": k, "name": v.as_dict()} for k, v in catalog.item_types.items()],
        "bundles": [b.as_dict() for b in catalog.bundles.values()],
        "form_parts": catalog.form_parts.as_dict(),
    }


def _hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_version(catalog: Catalog) -> str:
    return _hash(_content(catalog))


def to_document(catalog: Catalog, generated_at: str | None = None) -> dict[str, Any]:
    content = _content(catalog)
    when = generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return {"version": _hash(content), "generated_at": when, **content}


def catalog_from_document(doc: Any) -> Catalog:
    """Rebuild and validate a served catalog; :class:`CatalogInvalid` if it is not good."""
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
    catalog = build(sources, problems)
    if not problems and catalog.version != doc["version"]:
        problems.add(DOCUMENT, None, "version",
                     f"the content does not match its version {doc['version']!r} "
                     f"(it hashes to {catalog.version!r}): damaged or altered")
    if problems:
        raise CatalogInvalid(problems.items)
    return catalog
