"""Building forms from catalog data (seed TOML or a served document), reporting problems.

Forms name shared blocks (``blocks = ["applicant", "contact"]``) and add their own
``fields``; seed forms may also take fields from the shared field library
(``library = ["hukou_address"]``), which a served document carries inline. The blocks and
choice lists travel once: in ``blocks.toml``, or in a document's ``form_parts``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from civic.catalog.forms import Choice, Field, Form, FormRule, RuleKind
from civic.catalog.problems import Place
from civic.catalog.text import read_text
from civic.catalog.vocab import FieldType, prefill_source_problem
from civic.text import Text

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD_KEYS = {"key", "label", "type", "required", "help", "prefill", "readonly", "choices",
               "multiple", "pattern", "pattern_message", "min", "max", "integer", "min_length",
               "max_length", "date_range", "must_accept"}


@dataclass(frozen=True)
class Block:
    name: str
    label: Text
    fields: tuple[Field, ...]
    at_end: bool = False        # declarations and delivery come after the item's own fields
    rules: tuple[Any, ...] = ()  # raw cross-field rules, added to every form using the block

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label.as_dict()}
        if self.at_end:
            out["at_end"] = True
        out["fields"] = [f.as_dict() for f in self.fields]
        if self.rules:
            out["rules"] = list(self.rules)
        return out


@dataclass(frozen=True)
class FormParts:
    """What forms may refer to: blocks, the field library and named choice lists."""

    blocks: Mapping[str, Block]
    library: Mapping[str, Field]
    choice_lists: Mapping[str, tuple[Choice, ...]]

    def as_dict(self) -> dict[str, Any]:
        """What a served document carries (the library is inlined in each form)."""
        return {"choice_lists": {name: [c.as_dict() for c in choices]
                                 for name, choices in self.choice_lists.items()},
                "blocks": {name: block.as_dict() for name, block in self.blocks.items()}}


def read_choices(raw: Any, place: Place) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        place.report("choices must be a non-empty list of {value, label}")
        return ()
    out: list[Choice] = []
    for i, entry in enumerate(raw):
        here = place.at(f"choices[{i}]")
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            here.report("a choice needs a text value and a label")
            continue
        label = read_text(entry.get("label"), here.at("label"))
        if label is not None:
            out.append(Choice(entry["value"], label))
    values = [c.value for c in out]
    for dup in sorted({v for v in values if values.count(v) > 1}):
        place.report(f"choice value {dup!r} appears more than once")
    return tuple(out)


def _decimal(raw: Any, place: Place) -> Decimal | None:
    if raw is None:
        return None
    try:
        if isinstance(raw, bool):
            raise InvalidOperation
        return Decimal(str(raw))
    except InvalidOperation:
        place.report(f"expected a number, got {raw!r}")
        return None


def read_field(raw: Any, place: Place, parts: FormParts,
               block: str | None = None) -> Field | None:
    if not isinstance(raw, dict):
        place.report("a field must be a table")
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        place.report(f"field key {key!r} must be lower-case letters, digits and _")
        return None
    here = place.at(f"form field {key!r}")
    for unknown in sorted(set(raw) - _FIELD_KEYS):
        here.report(f"unknown attribute {unknown!r}")
    ok = True
    try:
        kind = FieldType(str(raw.get("type")))
    except ValueError:
        here.report(f"unknown field type {raw.get('type')!r} "
                    f"(allowed: {', '.join(t.value for t in FieldType)})")
        ok = False
        kind = FieldType.TEXT
    label = read_text(raw.get("label"), here.at("label"))
    help_text = read_text(raw.get("help"), here.at("help"), required=False)
    prefill = raw.get("prefill")
    if prefill is not None:
        problem = prefill_source_problem(prefill) if isinstance(prefill, str) else \
            "prefill must be text"
        if problem:
            here.report(f"prefill: {problem}")
            ok = False
    choices: tuple[Choice, ...] = ()
    raw_choices = raw.get("choices")
    choice_list = None
    if kind == FieldType.CHOICE:
        if isinstance(raw_choices, str):
            if raw_choices not in parts.choice_lists:
                here.report(f"unknown choice list {raw_choices!r}")
            choice_list = raw_choices
            choices = parts.choice_lists.get(raw_choices, ())
        else:
            choices = read_choices(raw_choices, here)
        ok = ok and bool(choices)
    elif raw_choices is not None:
        here.report("only choice fields have choices")
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            here.report(f"pattern does not compile: {exc}")
            ok = False
    date_range = raw.get("date_range")
    if date_range not in (None, "past", "future"):
        here.report(f"date_range must be 'past' or 'future', not {date_range!r}")
    if raw.get("must_accept") and kind != FieldType.YES_NO:
        here.report("must_accept applies only to yes_no fields")
    pattern_message = read_text(raw.get("pattern_message"), here.at("pattern_message"),
                                required=False)
    lengths = {name: raw.get(name) for name in ("min_length", "max_length")}
    for name, value in lengths.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            here.report(f"{name} must be a whole number ≥ 0")
            ok = False
    if label is None or not ok:
        return None
    return Field(
        key=key, label=label, type=kind, required=bool(raw.get("required", False)),
        help=help_text, prefill=prefill, readonly=bool(raw.get("readonly", False)),
        choices=choices, multiple=bool(raw.get("multiple", False)), pattern=pattern,
        pattern_message=pattern_message, min=_decimal(raw.get("min"), here.at("min")),
        max=_decimal(raw.get("max"), here.at("max")), integer=bool(raw.get("integer", False)),
        min_length=lengths["min_length"], max_length=lengths["max_length"],
        date_range=date_range if date_range in ("past", "future") else None,
        must_accept=bool(raw.get("must_accept", False)),
        block=block, choice_list=choice_list)


class FieldMemo:
    """The fields one build has already read, by their raw data.

    A province's forms repeat the same fields (the applicant's name, ID number and phone)
    across thousands of items, and a served document carries every copy in full; reading a
    field costs ~40 µs, its raw text a tenth of that (``bench/catalog_search.py``). Only a
    field read without a problem is kept, so a bad field is reported at every place it
    occurs. Fields are frozen, so items share them safely."""

    def __init__(self) -> None:
        self._fields: dict[tuple[str | None, str], Field] = {}

    def read(self, raw: Any, place: Place, parts: FormParts,
             block: str | None = None) -> Field | None:
        if type(raw) is not dict:
            return read_field(raw, place, parts, block)
        seen = (block, repr(raw))
        field = self._fields.get(seen)
        if field is None:
            before = len(place.problems)
            field = read_field(raw, place, parts, block)
            if field is not None and len(place.problems) == before:
                self._fields[seen] = field
        return field


def read_rule(raw: Any, place: Place, keys: Mapping[str, Field],
              block: str | None = None) -> FormRule | None:
    if not isinstance(raw, dict):
        place.report("a form rule must be a table")
        return None
    try:
        kind = RuleKind(str(raw.get("kind")))
    except ValueError:
        place.report(f"unknown rule kind {raw.get('kind')!r} "
                     f"(allowed: {', '.join(k.value for k in RuleKind)})")
        return None
    field, other = raw.get("field"), raw.get("other")
    bad = [name for name in (field, other) if not isinstance(name, str) or name not in keys]
    for name in bad:
        place.report(f"{kind.value} rule names field {name!r}, which the form does not have")
    if bad or not isinstance(field, str) or not isinstance(other, str):
        return None
    if kind != RuleKind.REQUIRED_IF and not all(
            keys[k].type == FieldType.DATE for k in (field, other)):
        place.report(f"{kind.value} rule compares dates: {field!r} and {other!r} must be dates")
        return None
    message = read_text(raw.get("message"), place.at("message"), required=False)
    return FormRule(kind, field, other, raw.get("value"), message, block)


def read_form(raw: Any, place: Place, parts: FormParts,
              memo: FieldMemo | None = None) -> Form | None:
    """A form from seed data or from a served document; ``memo`` shares the fields read
    across the forms of one build."""
    read = (memo or FieldMemo()).read
    if not isinstance(raw, dict):
        place.report("missing form (a table with fields)")
        return None
    here = place.at("form")
    head: list[Field] = []
    tail: list[Field] = []
    own: list[Field] = []
    raw_rules: list[tuple[str | None, Any]] = []
    blocks = [name for name in raw.get("blocks", []) if isinstance(name, str)]
    for name in blocks:
        block = parts.blocks.get(name)
        if block is None:
            here.report(f"unknown block {name!r} (defined: {', '.join(parts.blocks)})")
            continue
        (tail if block.at_end else head).extend(block.fields)
        raw_rules.extend((name, rule) for rule in block.rules)
    for name in raw.get("library", []):
        if name in parts.library:
            head.append(parts.library[name])
        else:
            here.report(f"unknown library field {name!r} (see blocks.toml [fields])")
    raw_fields = raw.get("fields", [])
    if not isinstance(raw_fields, list):
        here.report("fields must be a list")
        raw_fields = []
    for i, raw_field in enumerate(raw_fields):
        field = read(raw_field, here.at(f"fields[{i}]") if not isinstance(
            raw_field, dict) else here, parts)
        if field is not None:
            own.append(field)
    fields = [*head, *own, *tail]
    keys: dict[str, Field] = {}
    for f in fields:
        if f.key in keys:
            here.report(f"field key {f.key!r} appears more than once")
        keys[f.key] = f
    if not fields:
        here.report("the form has no fields")
    raw_rules.extend((None, rule) for rule in raw.get("rules", []))
    rules = [r for i, (block, raw_rule) in enumerate(raw_rules)
             if (r := read_rule(raw_rule, here.at(f"rules[{i}]"), keys, block)) is not None]
    reviewed = raw.get("fields_reviewed", True)
    if not isinstance(reviewed, bool):
        here.report("fields_reviewed must be true or false")
    return Form(tuple(fields), tuple(rules), fields_reviewed=reviewed is not False,
                blocks=tuple(blocks))


def read_parts(raw: Mapping[str, Any], place: Place) -> FormParts:
    """Blocks, library fields and choice lists (``blocks.toml`` or a document's parts)."""
    choice_lists = {name: read_choices(entries, place.at(f"choice_lists.{name}"))
                    for name, entries in raw.get("choice_lists", {}).items()}
    partial = FormParts({}, {}, choice_lists)
    library: dict[str, Field] = {}
    for key, raw_field in raw.get("fields", {}).items():
        field = read_field({"key": key, **raw_field}, place.at("fields"), partial)
        if field is not None:
            library[key] = field
    blocks: dict[str, Block] = {}
    for name, raw_block in raw.get("blocks", {}).items():
        here = place.at(f"blocks.{name}")
        label = read_text(raw_block.get("label"), here.at("label"))
        fields = [f for raw_field in raw_block.get("fields", [])
                  if (f := read_field(raw_field, here, partial, block=name)) is not None]
        if not fields:
            here.report("a block needs at least one field")
        if label is not None:
            blocks[name] = Block(name, label, tuple(fields), bool(raw_block.get("at_end")),
                                 tuple(raw_block.get("rules", [])))
    return FormParts(blocks, library, choice_lists)
