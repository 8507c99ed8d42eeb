"""An item's parts as the catalog data gives them, each checked as it is read: its
output, its handling, its eligibility rule, and its form's fit to its mode. Problems go to
the item's :class:`~civic.catalog.problems.Place`; :mod:`civic.catalog.build` puts the
item together.
"""

from __future__ import annotations

from typing import Any

from civic.catalog import expr
from civic.catalog.forms import Form
from civic.catalog.model import Eligibility, Handling, Output, PrintField
from civic.catalog.problems import Place
from civic.catalog.text import read_text
from civic.catalog.vocab import (
    CARD_FIELDS,
    SHARED_KEYS,
    FieldType,
    IdentityAssurance,
    Mode,
    OutputKind,
    fact_kinds,
    prefill_source_problem,
)
from civic.errors import RuleSyntaxError

_EXPECTED_OUTPUT = {Mode.APPLY: OutputKind.RECEIPT, Mode.QUERY_PRINT: OutputKind.A4_PROOF,
                    Mode.AGENT_ONLY: OutputKind.REFERRAL}


def check_form(form: Form, mode: Mode, prefill_keys: tuple[str, ...], place: Place) -> None:
    for field in form.fields:
        if field.prefill and field.prefill.startswith("shared:"):
            domain = SHARED_KEYS[field.prefill[7:]].domain
            if domain not in prefill_keys:
                place.report(f"field {field.key!r} reads {field.prefill}, but prefill_keys "
                             f"does not list its domain {domain!r} (the consent scope)")
    if mode == Mode.APPLY:
        own = [f for f in form.fields if f.block is None]
        if not own:
            place.report("an apply item needs fields of its own, not only shared blocks")
        if not any(f.type == FieldType.SIGNATURE for f in form.fields):
            place.report("an apply item needs a signature field (the declarations block)")


def read_output(raw: Any, mode: Mode, place: Place) -> Output | None:
    if not isinstance(raw, dict):
        place.report("missing output (receipt, a4_proof or referral)")
        return None
    try:
        kind = OutputKind(str(raw.get("kind")))
    except ValueError:
        place.report(f"unknown output kind {raw.get('kind')!r}")
        return None
    if kind != _EXPECTED_OUTPUT[mode]:
        place.report(f"a {mode.value} item's output is {_EXPECTED_OUTPUT[mode].value}")
    if kind != OutputKind.A4_PROOF:
        return Output(kind)
    title = read_text(raw.get("title"), place.at("title"))
    fields = []
    for i, entry in enumerate(raw.get("fields", [])):
        here = place.at(f"fields[{i}]")
        source = entry.get("source", "") if isinstance(entry, dict) else ""
        kind_, _, key = source.partition(":")
        problem = None if kind_ == "record" and key else prefill_source_problem(source)
        if problem:
            here.report(f"print source: {problem} (or record:<name>)")
            continue
        default = CARD_FIELDS.get(key) if kind_ == "card" else (
            SHARED_KEYS[key].label if kind_ == "shared" else None)
        label = read_text(entry.get("label"), here.at("label"), required=default is None)
        label = label or default
        if label is not None:
            fields.append(PrintField(source, label))
    if not fields:
        place.report("an A4 proof must say which fields it prints")
    return Output(kind, title, tuple(fields)) if title is not None else None


def read_handling(raw: Any, mode: Mode, place: Place) -> Handling | None:
    if raw is None:
        if mode == Mode.AGENT_ONLY:
            place.report("an agent_only item must say where and how it is done (handling)")
        return None
    texts = {k: read_text(raw.get(k), place.at(k)) for k in ("hall", "steps", "why")}
    if mode == Mode.AGENT_ONLY and raw.get("agent_can_handle") is not True:
        place.report("an agent_only item must say agent_can_handle = true")
    if any(t is None for t in texts.values()):
        return None
    return Handling(texts["hall"], texts["steps"], texts["why"],  # type: ignore[arg-type]
                    bool(raw.get("agent_can_handle")))


def read_eligibility(raw: Any, place: Place) -> Eligibility | None:
    if raw is None:
        return None
    rule = raw.get("rule") if isinstance(raw, dict) else None
    if not isinstance(rule, str):
        place.report("eligibility needs a rule (an expression) and a reason")
        return None
    reason = read_text(raw.get("reason"), place.at("reason"))
    try:
        tree = expr.parse(rule)
    except RuleSyntaxError as exc:
        place.report(f"rule does not parse: {exc}")
        return None
    type_problems = expr.check_types(tree, fact_kinds())
    for problem in type_problems:
        place.report(f"rule: {problem}")
    if reason is None or type_problems:
        return None
    return Eligibility(rule, tree, reason, raw.get("ref"))


def read_identity_assurance(raw: Any, place: Place) -> IdentityAssurance | None:
    """The item's ``identity_assurance``; absent is ``card`` (holding the card is enough)."""
    if raw is None:
        return IdentityAssurance.CARD
    try:
        assurance = IdentityAssurance(raw) if isinstance(raw, str) else None
    except ValueError:
        assurance = None
    if assurance is None:
        place.report(f"identity_assurance must be one of "
                     f"{', '.join(a.value for a in IdentityAssurance)}, not {raw!r}")
        return None
    return assurance
