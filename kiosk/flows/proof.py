"""What goes on a query_print item's A4 proof and on a submission's receipt slip.

A proof prints a verified certified record (``civic.records``): its holder (masked), its
rows, its id and verification code, and the values the citizen chose on the form (purpose,
copies). The shared data the form read is never printed as a proof: without a record the
screen may show it (:func:`uncertified_rows`), nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from civic.catalog.forms import in_words
from civic.catalog.model import Item
from civic.identity import Identity
from civic.pii import Personal
from civic.records import Record
from kiosk.flows.messages import tr
from kiosk.receipts import SubmissionReceipt

_PERSONAL_KINDS = {"name": "name", "id_number": "id_number", "address": "address"}


def _display(value: Any, item: Item, key: str, language: str = "zh") -> str:
    """The value in words (Chinese on the proof), with its form field's choice labels."""
    choices = next((f.choices for f in item.form.fields if f.key == key), ())
    return in_words(value, language, choices) or "—"


def record_proof_rows(record: Record, item: Item, values: Mapping[str, Any]
                      ) -> tuple[tuple[str, str | Personal], ...]:
    """Label/value rows of the A4 proof of a verified ``record``; the holder stays
    :class:`Personal` (printed masked), the rows are the record's own."""
    rows: list[tuple[str, str | Personal]] = [
        (tr("record.holder", "zh"), record.holder.name),
        (tr("record.id_number", "zh"), record.holder.id_number)]
    rows += [(row.label.zh, row.value) for row in record.rows]
    for field in item.form.fields:           # what the citizen chose: purpose, copies
        if field.prefill is None and field.key in values and field.type != "signature":
            rows.append((field.label.zh, _display(values[field.key], item, field.key)))
    rows += [(tr("record.issued", "zh"), f"{record.issued_at.astimezone():%Y-%m-%d %H:%M}"),
             (tr("record.valid_until", "zh"), f"{record.valid_until.astimezone():%Y-%m-%d}"),
             (tr("record.id", "zh"), record.record_id),
             (tr("record.code", "zh"), record.verification_code)]
    return tuple(rows)


def uncertified_rows(item: Item, identity: Identity, shared_fields: Mapping[str, Any],
                     language: str) -> tuple[tuple[str, str], ...]:
    """What the screen shows when the platform cannot certify the record: the printed
    fields the form could read, personal ones masked. Shown, never printed."""
    card = identity.card_fields()
    by_source = {f.prefill: f.key for f in item.form.fields if f.prefill}
    rows: list[tuple[str, str]] = []
    for pf in item.output.fields:
        kind, _, key = pf.source.partition(":")
        if kind == "card":
            raw = card.get(key)
            value = (Personal(str(raw), _PERSONAL_KINDS[key]).masked()
                     if key in _PERSONAL_KINDS and raw else
                     _display(raw, item, by_source.get(pf.source, ""), language))
        elif kind == "shared":
            form_key = by_source.get(pf.source)
            value = _display(shared_fields.get(form_key) if form_key else None, item,
                             form_key or "", language)
        else:
            continue                          # only the platform's record holds these
        rows.append((pf.label.get(language), value))
    return tuple(rows)


def receipt_info(*, item: Item, identity: Identity, submission_id: str,
                 submitted_at: dt.datetime, template: str, site_name: str,
                 case_number: str | None, local_receipt: str | None,
                 language: str = "zh") -> SubmissionReceipt:
    """What the slip says, in the session's language."""
    days = item.promised_days
    next_steps = (tr("slip.next_days", language, days=days) if days
                  else tr("slip.next_now", language))
    return SubmissionReceipt(
        item_name=item.name.get(language), submission_id=submission_id,
        submitted_at=submitted_at, applicant_name=identity.name,
        applicant_id_number=identity.id_number, tracking_url_template=template,
        case_number=case_number, local_receipt_number=None if case_number else local_receipt,
        next_steps=next_steps, site_name=site_name, language=language,
        official_item_name=item.name.zh)

