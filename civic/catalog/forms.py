"""Forms: fields, cross-field rules, validation and their JSON form.

``Form.validate(values, today=...)`` is the one validation used by the terminal's screens and
by the sandbox platform: it returns ``{field_key: {"zh": ..., "en": ...}}`` with every
problem (an empty dict means valid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from civic.catalog.values import as_date, check_value, is_blank, msg
from civic.catalog.vocab import FieldType
from civic.text import Text


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label.as_dict()}


_YES, _NO = Text("是", "Yes"), Text("否", "No")


def in_words(value: Any, language: str, choices: tuple[Choice, ...] = ()) -> str:
    """A field value as read on a screen or a proof: choice labels, yes/no, lists joined.

    Blank is ""; a value that is not one of ``choices`` is shown as it is.
    """
    if is_blank(value):
        return ""
    if isinstance(value, list):
        return ("、" if language == "zh" else ", ").join(
            in_words(v, language, choices) for v in value)
    if isinstance(value, bool):
        return (_YES if value else _NO).get(language)
    for choice in choices:
        if choice.value == str(value):
            return choice.label.get(language)
    return str(value)


@dataclass(frozen=True)
class Field:
    key: str
    label: Text
    type: FieldType
    required: bool = False
    help: Text | None = None
    prefill: str | None = None          # "card:<field>" or "shared:<key>"
    readonly: bool = False              # prefilled from the card: shown, not edited
    choices: tuple[Choice, ...] = ()
    multiple: bool = False              # a choice field that takes a list of values
    pattern: str | None = None
    pattern_message: Text | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False
    min_length: int | None = None
    max_length: int | None = None
    date_range: str | None = None       # "past" (not after today) or "future" (not before)
    must_accept: bool = False           # a declaration that must be answered yes
    block: str | None = None            # the shared block it comes from, if any
    choice_list: str | None = None      # the named list its choices come from (blocks.toml)

    def words(self, value: Any, language: str) -> str:
        """``value`` as the citizen reads it (see :func:`in_words`)."""
        return in_words(value, language, self.choices)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label.as_dict(),
                               "type": str(self.type), "required": self.required}
        optional: dict[str, Any] = {
            "help": self.help.as_dict() if self.help else None,
            "prefill": self.prefill, "readonly": self.readonly or None,
            "choices": self.choice_list or [c.as_dict() for c in self.choices] or None,
            "multiple": self.multiple or None, "pattern": self.pattern,
            "pattern_message": self.pattern_message.as_dict() if self.pattern_message else None,
            "min": str(self.min) if self.min is not None else None,
            "max": str(self.max) if self.max is not None else None,
            "integer": self.integer or None, "min_length": self.min_length,
            "max_length": self.max_length, "date_range": self.date_range,
            "must_accept": self.must_accept or None,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        return out


class RuleKind(StrEnum):
    AFTER = "after"                 # field's date is strictly after other's
    NOT_BEFORE = "not_before"       # field's date is on or after other's
    REQUIRED_IF = "required_if"     # field is required when other equals value


@dataclass(frozen=True)
class FormRule:
    kind: RuleKind
    field: str
    other: str
    value: Any = None
    message: Text | None = None
    block: str | None = None            # the shared block it comes from, if any

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": str(self.kind), "field": self.field, "other": self.other}
        if self.value is not None:
            out["value"] = self.value
        if self.message is not None:
            out["message"] = self.message.as_dict()
        return out


@dataclass(frozen=True)
class Form:
    fields: tuple[Field, ...]           # every field, shared blocks' included, in order
    rules: tuple[FormRule, ...] = ()
    fields_reviewed: bool = True        # False: derived from materials, awaiting review
    blocks: tuple[str, ...] = ()        # the shared blocks it uses (see FormParts)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def validate(self, values: dict[str, Any], *, today: dt.date,
                 keypad_confirmed: bool = False) -> dict[str, dict[str, str]]:
        """Every problem with ``values``, by field key, in Chinese and English.
        ``keypad_confirmed``: the citizen confirmed on the keypad instead of signing, so a
        required signature field may be empty (platform-api.md)."""
        errors: dict[str, Text] = {}
        by_key = {f.key: f for f in self.fields}
        for key in values:
            if key not in by_key:
                errors[key] = Text(f"「{key}」不是本表单的字段", f"{key}: not a field of this form")
        required_now = {r.field for r in self.rules if r.kind == RuleKind.REQUIRED_IF
                        and r.other in values and values.get(r.other) == r.value}
        for f in self.fields:
            value = values.get(f.key)
            if is_blank(value):
                unsigned = keypad_confirmed and f.type == FieldType.SIGNATURE
                if (f.required or f.key in required_now) and not unsigned:
                    errors[f.key] = msg(f, "为必填项", "is required")
                continue
            problem = check_value(f, value, today)
            if problem is not None:
                errors[f.key] = problem
        for rule in self.rules:
            if rule.field in errors or rule.other in errors:
                continue
            problem = _check_rule(rule, by_key, values)
            if problem is not None:
                errors[rule.field] = problem
        return {key: text.as_dict() for key, text in errors.items()}

    def as_dict(self) -> dict[str, Any]:
        """The form as seeds and documents write it: blocks by name, then its own parts."""
        return {"fields_reviewed": self.fields_reviewed, "blocks": list(self.blocks),
                "fields": [f.as_dict() for f in self.fields if f.block is None],
                "rules": [r.as_dict() for r in self.rules if r.block is None]}


def _check_rule(rule: FormRule, by_key: dict[str, Field], values: dict[str, Any]) -> Text | None:
    if rule.kind == RuleKind.REQUIRED_IF:
        return None                      # handled with the required fields
    mine, theirs = values.get(rule.field), values.get(rule.other)
    if is_blank(mine) or is_blank(theirs):
        return None
    field, other = by_key[rule.field], by_key[rule.other]
    a, b = as_date(mine), as_date(theirs)
    if a is None or b is None:
        return None
    bad = a <= b if rule.kind == RuleKind.AFTER else a < b
    if not bad:
        return None
    if rule.message is not None:
        return rule.message
    if rule.kind == RuleKind.AFTER:
        return msg(field, f"应晚于「{other.label.zh}」", f"must be after {other.label.en}")
    return msg(field, f"不能早于「{other.label.zh}」", f"cannot be before {other.label.en}")
