"""Prefill: the values a form can take from the card and from shared departmental data.

``card`` holds the chip's fields (``name``, ``gender``, ``nation``, ``birth_date``,
``address``, ``id_number``); ``shared`` holds a resident's shared-data keys
(``Resident.shared_data()`` in the sandbox). The sandbox's
``GET /v1/residents/{id}/prefill?item_code=`` answers ``prefill_response(...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from civic.catalog.vocab import FieldType

if TYPE_CHECKING:
    from civic.catalog.forms import Field, Form
    from civic.catalog.model import Item, Material


def _coerce(field: Field, value: Any) -> Any:
    """The value in the form's own type, or None when it does not fit the field."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        value = value.isoformat()
    if field.type == FieldType.YES_NO:
        return value if isinstance(value, bool) else None
    if field.type in (FieldType.NUMBER, FieldType.AMOUNT):
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return None
        return str(value) if field.type == FieldType.AMOUNT else value
    if field.type == FieldType.CHOICE:
        value = str(value)
        return value if value in {c.value for c in field.choices} else None
    return value if isinstance(value, str) and value else None


def prefill_values(form: Form, card: Mapping[str, Any],
                   shared: Mapping[str, Any]) -> dict[str, Any]:
    """``{field_key: value}`` for each field whose prefill source holds a usable value."""
    values: dict[str, Any] = {}
    for field in form.fields:
        if not field.prefill:
            continue
        kind, _, key = field.prefill.partition(":")
        raw = card.get(key) if kind == "card" else shared.get(key)
        value = _coerce(field, raw)
        if value is not None:
            values[field.key] = value
    return values


def exempt_materials(item: Item) -> list[Material]:
    """The materials the citizen need not hand over: the government already holds them."""
    return [m for m in item.materials if m.exempt_via_shared_data]


def prefill_response(item: Item, card: Mapping[str, Any],
                     shared: Mapping[str, Any]) -> dict[str, Any]:
    """The body of the platform's prefill answer: fields and exempt material codes."""
    return {"fields": prefill_values(item.form, card, shared),
            "exempt_materials": [m.code for m in exempt_materials(item)]}
