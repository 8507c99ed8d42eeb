"""Reading bilingual text from seed data: every user-facing string in the catalog has
Chinese and English."""

from __future__ import annotations

from typing import Any

from civic.catalog.problems import Place
from civic.text import Text


def read_text(raw: Any, place: Place, *, required: bool = True) -> Text | None:
    """A ``{zh, en}`` table from seed data; a missing language is a problem, never a blank."""
    # The common case first, in few steps: a catalog holds some 20 texts per item, and a
    # province's catalog tens of thousands of items (bench/catalog_search.py).
    if type(raw) is dict and len(raw) == 2:
        zh, en = raw.get("zh"), raw.get("en")
        if type(zh) is str and type(en) is str and (zh := zh.strip()) and (en := en.strip()):
            return Text(zh, en)
    if raw is None:
        if required:
            place.report("missing text (a table with zh and en)")
        return None
    if not isinstance(raw, dict):
        place.report(f"expected a table with zh and en, got {type(raw).__name__}")
        return None
    missing = [lang for lang in ("zh", "en")
               if not isinstance(raw.get(lang), str) or not raw[lang].strip()]
    for lang in missing:
        name = "Chinese" if lang == "zh" else "English"
        place.report(f"missing {name} text ({lang}) — every user-facing text needs zh and en")
    extra = sorted(set(raw) - {"zh", "en"})
    if extra:
        place.report(f"unknown language key(s) {extra}: only zh and en")
    if missing:
        return None
    return Text(raw["zh"].strip(), raw["en"].strip())
