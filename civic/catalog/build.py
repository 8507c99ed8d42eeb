"""Turning catalog data (parsed seed TOML or a served JSON document) into a :class:`Catalog`.

Both sources have the same shape, except that seed forms refer to shared blocks; every
problem is collected with its file and item, none stops the others from being found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from civic.catalog import itemparts
from civic.catalog.codes import IMPLEMENTATION_CODE, uscc_problem
from civic.catalog.formbuild import FieldMemo, FormParts, read_form
from civic.catalog.model import (
    Bundle,
    Catalog,
    Department,
    IndexFactory,
    Item,
    LifeEvent,
    Material,
)
from civic.catalog.problems import Place, Problems
from civic.catalog.proofform import with_printed_fields
from civic.catalog.text import read_text
from civic.catalog.vocab import (
    SHARED_DOMAINS,
    Mode,
)
from civic.text import Text

ITEM_KEYS = {"code", "name", "department", "item_type", "life_events", "mode",
             "visits_required", "promised_days", "legal_days", "fee", "fee_note", "materials",
             "form", "output", "eligibility", "handling", "popularity", "keywords",
             "prefill_keys", "identity_assurance"}


@dataclass(frozen=True)
class Sources:
    """Parsed catalog data: vocabularies (with their file) and items (with theirs)."""

    vocab: dict[str, Any]
    vocab_file: str
    items: Sequence[tuple[str, dict[str, Any]]]        # (file, raw item)
    bundles: Sequence[dict[str, Any]]
    bundles_file: str
    parts: FormParts                   # from blocks.toml, or a document's form_parts


def build(sources: Sources, problems: Problems, index: IndexFactory | None = None,
          version: str | None = None) -> Catalog:
    """The catalog in ``sources``; every problem goes to ``problems`` (a catalog with
    problems is incomplete: the caller raises). ``index`` builds the search index;
    ``version``, if known, spares the catalog hashing its content."""
    place = Place(problems, sources.vocab_file)
    departments = _departments(sources.vocab.get("departments", []), place)
    life_events = _named(sources.vocab.get("life_events", []), place, "life_events",
                         lambda key, name, raw: LifeEvent(key, name, str(raw.get("theme", ""))))
    item_types = {e.key: e.name for e in _named(sources.vocab.get("item_types", []), place,
                                                "item_types", lambda k, n, raw: _Named(k, n))}
    ctx = _Context(departments, {e.key for e in life_events}, item_types, sources.parts,
                   FieldMemo())
    items: dict[str, Item] = {}
    seen_in: dict[str, str] = {}
    for file, raw in sources.items:
        code = raw.get("code") if isinstance(raw, dict) else None
        item_place = Place(problems, file, str(code or "(no code)"))
        if isinstance(code, str) and code in seen_in:
            item_place.report(f"duplicate item code (also in {seen_in[code]})")
            continue
        item = _item(raw, item_place, ctx)
        if isinstance(code, str):
            seen_in[code] = file
        if item is not None:
            items[item.code] = item
    bundles = _bundles(sources.bundles, Place(problems, sources.bundles_file),
                       items, ctx.life_events)
    return Catalog(items.values(), departments.values(), life_events, item_types, bundles,
                   sources.parts, index, version)


@dataclass(frozen=True)
class _Named:
    key: str
    name: Text


@dataclass(frozen=True)
class _Context:
    departments: dict[str, Department]
    life_events: set[str]
    item_types: dict[str, Text]
    parts: FormParts
    fields: FieldMemo


def _named(raw: Any, place: Place, what: str, make: Any) -> list[Any]:
    out = []
    for i, entry in enumerate(raw if isinstance(raw, list) else []):
        key = entry.get("key") if isinstance(entry, dict) else None
        here = place.at(f"{what}[{key or i}]")
        if not isinstance(key, str) or not key:
            here.report("needs a key")
            continue
        name = read_text(entry.get("name"), here.at("name"))
        if name is not None:
            out.append(make(key, name, entry))
    return out


def _departments(raw: Any, place: Place) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for d in _named(raw, place, "departments",
                    lambda key, name, entry: Department(key, name, str(entry.get("uscc", "")))):
        problem = uscc_problem(d.uscc)
        if problem:
            place.at(f"departments[{d.key}]").report(f"uscc: {problem}")
        departments[d.key] = d
    return departments


def _item(raw: Any, place: Place, ctx: _Context) -> Item | None:
    if not isinstance(raw, dict):
        place.report("an item must be a table")
        return None
    for unknown in sorted(set(raw) - ITEM_KEYS):
        place.report(f"unknown attribute {unknown!r}")
    code = raw.get("code")
    match = IMPLEMENTATION_CODE.match(code) if isinstance(code, str) else None
    department = ctx.departments.get(raw.get("department", ""))
    if match is None:
        place.report("code must be an implementation code: USCC (18) + level (1) + "
                     "basic code (12 digits)")
    if department is None:
        place.report(f"unknown department {raw.get('department')!r}")
    elif match is not None and match["uscc"] != department.uscc:
        place.report(f"code starts with {match['uscc']}, but the department's USCC is "
                     f"{department.uscc}")
    name = read_text(raw.get("name"), place.at("name"))
    item_type = raw.get("item_type")
    if item_type not in ctx.item_types:
        place.report(f"unknown item_type {item_type!r} (allowed: {', '.join(ctx.item_types)})")
    events = raw.get("life_events")
    if not isinstance(events, list) or not events:
        place.report("life_events must list at least one life event")
        events = []
    for event in events:
        if event not in ctx.life_events:
            place.report(f"unknown life event {event!r}")
    try:
        mode = Mode(str(raw.get("mode")))
    except ValueError:
        place.report(f"mode must be one of {', '.join(m.value for m in Mode)}")
        return None
    numbers = _numbers(raw, place)
    prefill_keys = tuple(raw.get("prefill_keys", []))
    for key in prefill_keys:
        if key not in SHARED_DOMAINS:
            place.report(f"prefill_keys: unknown shared-data domain {key!r}")
    materials = _materials(raw.get("materials", []), place.at("materials"), str(code), ctx)
    form = read_form(raw.get("form"), place, ctx.parts, ctx.fields)
    output = itemparts.read_output(raw.get("output"), mode, place.at("output"))
    if form is not None and output is not None and mode == Mode.QUERY_PRINT:
        form = with_printed_fields(form, [(f.source, f.label) for f in output.fields],
                                   ctx.parts, place.at("output"))
    if form is not None:
        itemparts.check_form(form, mode, prefill_keys, place.at("form"))
    handling = itemparts.read_handling(raw.get("handling"), mode, place.at("handling"))
    eligibility = itemparts.read_eligibility(raw.get("eligibility"), place.at("eligibility"))
    assurance = itemparts.read_identity_assurance(raw.get("identity_assurance"),
                                                  place.at("identity_assurance"))
    raw_fee = raw.get("fee")
    note = raw_fee.get("note") if isinstance(raw_fee, dict) else raw.get("fee_note")
    fee_note = read_text(note, place.at("fee_note"), required=False)
    keywords = raw.get("keywords", [])
    if not (isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)):
        place.report("keywords must be a list of words")
        keywords = []
    if None in (match, department, name, form, output, numbers, materials, assurance) or \
            item_type not in ctx.item_types or (mode == Mode.AGENT_ONLY and handling is None):
        return None
    assert department is not None and name is not None and form is not None
    assert output is not None and numbers is not None and materials is not None
    assert assurance is not None
    visits, promised, legal, fee, popularity = numbers
    return Item(code=str(code), name=name, department=department.key, item_type=str(item_type),
                life_events=tuple(events), mode=mode, visits_required=visits,
                promised_days=promised, legal_days=legal, fee=fee, materials=materials,
                form=form, output=output, eligibility=eligibility, handling=handling,
                fee_note=fee_note, popularity=popularity, keywords=tuple(keywords),
                prefill_keys=prefill_keys, identity_assurance=assurance, file=place.file)


def _numbers(raw: dict[str, Any], place: Place) -> tuple[int, int, int | None, Decimal, int] | None:
    ok = True
    visits, promised, legal = (raw.get(k) for k in ("visits_required", "promised_days",
                                                   "legal_days"))
    popularity = raw.get("popularity", 0)
    if visits not in (0, 1) or isinstance(visits, bool):
        place.report("visits_required must be 0 or 1 (\"run at most once\")")
        ok = False
    if not isinstance(promised, int) or isinstance(promised, bool) or promised < 0:
        place.report("promised_days must be a whole number ≥ 0")
        ok = False
    if legal is not None and (not isinstance(legal, int) or isinstance(legal, bool)
                              or (isinstance(promised, int) and legal < promised)):
        place.report("legal_days must be a whole number, not shorter than promised_days")
        ok = False
    if not isinstance(popularity, int) or not 0 <= popularity <= 100:
        place.report("popularity must be a whole number from 0 to 100")
        ok = False
    try:
        fee_raw = raw.get("fee", 0)
        fee_raw = fee_raw.get("amount") if isinstance(fee_raw, dict) else fee_raw
        fee = Decimal(str(fee_raw))
        if fee < 0 or isinstance(fee_raw, bool):
            raise InvalidOperation
    except InvalidOperation:
        place.report(f"fee must be an amount in yuan ≥ 0, not {raw.get('fee')!r}")
        return None
    if not ok:
        return None
    return int(visits), int(promised), None if legal is None else int(legal), fee, popularity  # type: ignore[arg-type]


def _materials(raw: Any, place: Place, code: str, ctx: _Context) -> tuple[Material, ...] | None:
    if not isinstance(raw, list):
        place.report("materials must be a list")
        return None
    out = []
    for i, entry in enumerate(raw):
        here = place.at(f"[{i}]")
        if not isinstance(entry, dict):
            here.report("a material must be a table")
            continue
        name = read_text(entry.get("name"), here.at("name"))
        exempt = entry.get("exempt_via_shared_data")
        source = entry.get("source", "applicant")
        necessity = entry.get("necessity", "required")
        if not isinstance(exempt, bool):
            here.report("exempt_via_shared_data must be true or false")
        if source != "applicant" and source not in ctx.departments:
            here.report(f"source {source!r} is neither 'applicant' nor a department")
        if necessity not in ("required", "optional", "later"):
            here.report("necessity must be required, optional or later")
        if name is not None and isinstance(exempt, bool):
            out.append(Material(f"{code}{i + 1:03d}", name, exempt, str(source), str(necessity)))
    return tuple(out)


def _bundles(raw: Sequence[Any], place: Place, items: dict[str, Item],
             life_events: set[str]) -> list[Bundle]:
    out = []
    for i, entry in enumerate(raw):
        key = entry.get("key") if isinstance(entry, dict) else None
        here = place.for_item(f"bundle {key or i}")
        name = read_text(entry.get("name"), here.at("name"))
        description = read_text(entry.get("description"), here.at("description"))
        codes = entry.get("items", [])
        for code in codes:
            if code not in items:
                here.report(f"names item {code!r}, which the catalog does not have")
        if entry.get("life_event") not in life_events:
            here.report(f"unknown life event {entry.get('life_event')!r}")
        if len(codes) < 2:
            here.report("a bundle joins at least two items")
        if name is not None and description is not None and isinstance(key, str):
            out.append(Bundle(key, name, description, str(entry.get("life_event")),
                              tuple(c for c in codes if c in items)))
    return out
