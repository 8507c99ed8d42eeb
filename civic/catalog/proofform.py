"""The read-only fields a query_print form gains so that its A4 proof can be filled.

The platform's prefill answer (``GET /v1/residents/{id}/prefill``) is keyed by *form field*,
so a ``shared:<key>`` row printed on the proof has a value only when a field of the form
prefills from that key. For each printed shared key the form does not already read, the
builder adds a field: read-only, not required, labelled as the proof labels it. The citizen
sees on the form exactly what the proof will print, and any platform that follows the spec
answers it. The field's type and choice labels come from the shared field library (or a
block field) that reads the same key; without one, from the key's kind in ``SHARED_KEYS``.
Added fields are ordinary fields of the form, so a served catalog carries them and a
terminal rebuilding it finds nothing left to add.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from civic.catalog.formbuild import FormParts
from civic.catalog.forms import Field, Form
from civic.catalog.problems import Place
from civic.catalog.vocab import SHARED_KEYS, FieldType
from civic.text import Text

_BY_KIND = {"int": FieldType.NUMBER, "number": FieldType.NUMBER, "bool": FieldType.YES_NO,
            "str": FieldType.TEXT}


def with_printed_fields(form: Form, printed: Sequence[tuple[str, Text]], parts: FormParts,
                        place: Place) -> Form:
    """``form`` plus a read-only field for each ``(shared:<key>, label)`` it does not read.

    The new fields come after the item's own fields, before the closing blocks (delivery,
    declarations), which is where a served form's own fields are read back.
    """
    read = {f.prefill for f in form.fields if f.prefill}
    keys = {f.key for f in form.fields}
    added: list[Field] = []
    for source, label in printed:
        if not source.startswith("shared:") or source in read:
            continue
        field = _field(source, label, parts, place)
        if field is None:
            continue
        key = next(k for k in _keys(source[7:]) if k not in keys)
        added.append(dataclasses.replace(field, key=key))
        read.add(source)
        keys.add(key)
    if not added:
        return form
    at_end = {name for name, block in parts.blocks.items() if block.at_end}
    cut = next((i for i, f in enumerate(form.fields) if f.block in at_end), len(form.fields))
    fields = (*form.fields[:cut], *added, *form.fields[cut:])
    return dataclasses.replace(form, fields=fields)


def _keys(shared_key: str) -> Iterator[str]:
    yield shared_key
    yield f"shared_{shared_key}"
    n = 2
    while True:
        yield f"shared_{shared_key}_{n}"
        n += 1


def _template(source: str, parts: FormParts) -> Field | None:
    """The library field (or else the block field) that reads ``source``: its type and words."""
    library = (f for f in parts.library.values() if f.prefill == source)
    blocks = (f for b in parts.blocks.values() for f in b.fields if f.prefill == source)
    return next(library, None) or next(blocks, None)


def _field(source: str, label: Text, parts: FormParts, place: Place) -> Field | None:
    template = _template(source, parts)
    shared = SHARED_KEYS[source[7:]]
    if template is None:
        if shared.kind not in _BY_KIND:
            place.report(f"prints {source}, an enumeration no library field words "
                         "(add it to the shared field library in blocks.toml)")
            return None
        template = Field(key="", label=label, type=_BY_KIND[shared.kind],
                         integer=shared.kind == "int")
    # The value is the government's record, shown and printed, never typed: drop what
    # checks typing (patterns, ranges, lengths) so that every record value validates.
    return dataclasses.replace(
        template, label=label, required=False, readonly=True, prefill=source, help=None,
        pattern=None, pattern_message=None, min=None, max=None, min_length=None,
        max_length=None, date_range=None, must_accept=False, block=None)
