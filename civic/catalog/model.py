"""The service catalog's model: items, materials, outputs, departments, life events, bundles.

Everything is immutable once built; a :class:`Catalog` is made by ``civic.catalog.build``
(from parsed seed files or a served document) and never changes after. This module is a
leaf of the package: it builds nothing and loads nothing. Searching needs an index, which
whoever loads the catalog builds and hands in (``kiosk.catalog`` builds a pinyin index;
the sandbox platform never searches and hands in none).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import orjson

from civic.catalog.expr import Node
from civic.catalog.formbuild import FormParts
from civic.catalog.forms import Form
from civic.catalog.vocab import IdentityAssurance, Mode, OutputKind
from civic.text import Text


@dataclass(frozen=True)
class Material:
    code: str                       # the item's implementation code + a 3-digit sequence
    name: Text
    exempt_via_shared_data: bool    # the government holds it: the citizen hands nothing over
    source: str                     # issuing department key, or "applicant"
    necessity: str = "required"     # required | optional | later (容缺后补)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name.as_dict(),
                "exempt_via_shared_data": self.exempt_via_shared_data,
                "source": self.source, "necessity": self.necessity}


@dataclass(frozen=True)
class Eligibility:
    rule: str                       # the expression as written (civic.catalog.expr)
    tree: Node = field(compare=False, repr=False)
    reason: Text
    ref: str | None = None          # the rule's id in the reference (R1..R32)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "reason": self.reason.as_dict()}
        if self.ref:
            out["ref"] = self.ref
        return out


@dataclass(frozen=True)
class PrintField:
    source: str                     # card:<field>, shared:<key> or record:<name>
    label: Text

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "label": self.label.as_dict()}


@dataclass(frozen=True)
class Output:
    kind: OutputKind
    title: Text | None = None       # the A4 proof's title
    fields: tuple[PrintField, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": str(self.kind)}
        if self.title is not None:
            out["title"] = self.title.as_dict()
            out["fields"] = [f.as_dict() for f in self.fields]
        return out


@dataclass(frozen=True)
class Handling:
    """Where and how an agent_only item is done, and that the village agent can do it."""

    hall: Text                      # the service hall (or window) that finishes the matter
    steps: Text                     # what happens there, what to bring
    why: Text                       # why the kiosk cannot finish it
    agent_can_handle: bool = True   # the village agent can book, collect and forward

    def as_dict(self) -> dict[str, Any]:
        return {"hall": self.hall.as_dict(), "steps": self.steps.as_dict(),
                "why": self.why.as_dict(), "agent_can_handle": self.agent_can_handle}


@dataclass(frozen=True)
class Item:
    code: str                       # implementation code: USCC(18) + level(1) + basic code(12)
    name: Text
    department: str
    item_type: str                  # national code, "01".."10" or "20"
    life_events: tuple[str, ...]
    mode: Mode
    visits_required: int
    promised_days: int
    legal_days: int | None
    fee: Decimal
    materials: tuple[Material, ...]
    form: Form
    output: Output
    eligibility: Eligibility | None = None
    handling: Handling | None = None
    fee_note: Text | None = None
    popularity: int = 0             # 0..100: "common items" and search ranking
    keywords: tuple[str, ...] = ()  # extra search words (colloquial names: 社保, 低保)
    prefill_keys: tuple[str, ...] = ()   # shared-data domains read (the consent scope)
    # FACE: a live face must match the resident (identity_check in the submission)
    identity_assurance: IdentityAssurance = IdentityAssurance.CARD
    file: str = field(default="", compare=False, repr=False)

    @property
    def basic_code(self) -> str:
        return self.code[19:]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name.as_dict(), "department": self.department,
            "item_type": self.item_type, "life_events": list(self.life_events),
            "mode": str(self.mode), "visits_required": self.visits_required,
            "promised_days": self.promised_days, "legal_days": self.legal_days,
            "fee": {"amount": f"{self.fee:.2f}", "currency": "CNY",
                    "note": self.fee_note.as_dict() if self.fee_note else None},
            "materials": [m.as_dict() for m in self.materials],
            "form": self.form.as_dict(), "output": self.output.as_dict(),
            "eligibility": self.eligibility.as_dict() if self.eligibility else None,
            "handling": self.handling.as_dict() if self.handling else None,
            "popularity": self.popularity, "keywords": list(self.keywords),
            "prefill_keys": list(self.prefill_keys),
            "identity_assurance": str(self.identity_assurance),
        }


@dataclass(frozen=True)
class Department:
    key: str
    name: Text
    uscc: str                       # unified social credit code of the implementing body

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name.as_dict(), "uscc": self.uscc}


@dataclass(frozen=True)
class LifeEvent:
    key: str
    name: Text
    theme: str                      # national natural-person theme code (§1.4)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name.as_dict(), "theme": self.theme}


@dataclass(frozen=True)
class Bundle:
    """A "one thing" (一件事): related items offered as one entry point, in order."""

    key: str
    name: Text
    description: Text
    life_event: str
    items: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name.as_dict(),
                "description": self.description.as_dict(), "life_event": self.life_event,
                "items": list(self.items)}


#: what a search :class:`Hit`'s ``tier`` (0 best) matched, by tier
TIER_NAMES = ("name", "name", "keyword", "pinyin", "english", "material")


@dataclass(frozen=True)
class Hit:
    """One search answer: the item, and how well it matched (``tier``, 0 best)."""

    item: Item
    tier: int

    @property
    def matched(self) -> str:
        return TIER_NAMES[self.tier]


class Index(Protocol):
    """A search index over the catalog's items, built by whoever loads the catalog."""

    def search(self, query: str, limit: int = 20) -> list[Hit]: ...


#: builds an :class:`Index` from the items and the departments (whose names are searched)
IndexFactory = Callable[[Sequence["Item"], Mapping[str, "Department"]], Index]


class Catalog:
    """The whole catalog, with lookups for browsing and, when an index was handed in,
    search."""

    def __init__(self, items: Iterable[Item], departments: Iterable[Department],
                 life_events: Iterable[LifeEvent], item_types: dict[str, Text],
                 bundles: Iterable[Bundle] = (), parts: FormParts | None = None,
                 index: IndexFactory | None = None, version: str | None = None) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        self.departments = {d.key: d for d in departments}
        self.life_events = {e.key: e for e in life_events}
        self.item_types = dict(item_types)
        self.bundles = {b.key: b for b in bundles}
        self.form_parts = parts or FormParts({}, {}, {})   # shared blocks, choice lists
        self._by_code = {item.code: item for item in self.items}
        self._index = index(self.items, self.departments) if index is not None else None
        self._version = version     # known already when a served document was checked

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Item:
        """The item with this implementation code; KeyError if there is none."""
        return self._by_code[code]

    @property
    def version(self) -> str:
        """A content hash: the same catalog data always gives the same version."""
        if self._version is None:
            self._version = content_hash(self.content())
        return self._version

    def by_department(self, key: str) -> list[Item]:
        return [i for i in self._ranked() if i.department == key]

    def by_life_event(self, key: str) -> list[Item]:
        return [i for i in self._ranked() if key in i.life_events]

    def bundle_items(self, key: str) -> list[Item]:
        return [self._by_code[c] for c in self.bundles[key].items]

    def popular(self, limit: int = 12) -> list[Item]:
        """The most common items, for the first screen."""
        return self._ranked()[:limit]

    def _ranked(self) -> list[Item]:
        return sorted(self.items, key=lambda i: (-i.popularity, i.code))

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Items matching the query, best first (how is up to the index handed in)."""
        if self._index is None:
            raise RuntimeError("this catalog was built without a search index")
        return self._index.search(query, limit)

    def content(self) -> dict[str, Any]:
        """Everything the catalog holds, JSON-ready, in a canonical order."""
        return {     # the keys of CONTENT_KEYS
            "items": [item.as_dict() for item in sorted(self.items, key=lambda i: i.code)],
            "departments": [d.as_dict() for d in self.departments.values()],
            "life_events": [e.as_dict() for e in self.life_events.values()],
            "item_types": [{"key": k, "name": v.as_dict()} for k, v in self.item_types.items()],
            "bundles": [b.as_dict() for b in self.bundles.values()],
            "form_parts": self.form_parts.as_dict(),
        }

    def to_document(self, generated_at: str | None = None) -> dict[str, Any]:
        """The catalog as the platform serves it (``civic.catalog.served``); the version
        is the content's hash, ``generated_at`` now unless given."""
        content = self.content()
        when = generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return {"version": content_hash(content), "generated_at": when, **content}

    def __repr__(self) -> str:
        return f"Catalog({len(self.items)} items, {len(self.departments)} departments)"


CONTENT_KEYS = ("items", "departments", "life_events", "item_types", "bundles", "form_parts")


def content_hash(content: dict[str, Any]) -> str:
    """``sha256:<hex>`` over the canonical JSON of ``content``: keys sorted, no spaces,
    UTF-8, as ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
    writes it. orjson writes it in a fifth of the time, which counts at a province's size
    (25 MB for 10 000 items, ``bench/catalog_search.py``)."""
    canonical = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    return "sha256:" + hashlib.sha256(canonical).hexdigest()
