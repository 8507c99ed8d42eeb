"""What goes on a query_print item's A4 proof and on a submission's receipt slip."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from civic.catalog.forms import in_words
from civic.catalog.model import Item
from civic.identity import Identity
from civic.pii import Personal
from kiosk.flows.messages import tr
from kiosk.receipts import SubmissionReceipt, tracking_url

_PERSONAL_KINDS = {"name": "name", "id_number": "id_number", "address": "address"}


def _display(value: Any, item: Item, key: str) -> str:
    """The value in words on the (Chinese) proof, with its form field's choice labels."""
    choices = next((f.choices for f in item.form.fields if f.key == key), ())
    return in_words(value, "zh", choices) or "—"


def proof_rows(item: Item, identity: Identity, shared_fields: Mapping[str, Any],
               values: Mapping[str, Any], record_id: str) -> tuple[tuple[str, str | Personal],
                                                                   ...]:
    """Label/value rows of the proof; card personal fields stay :class:`Personal` (masked)."""
    card = identity.card_fields()
    by_source = {f.prefill: f.key for f in item.form.fields if f.prefill}
    rows: list[tuple[str, str | Personal]] = []
    for pf in item.output.fields:
        kind, _, key = pf.source.partition(":")
        label = pf.label.zh
        if kind == "card":
            raw = card.get(key)
            if key in _PERSONAL_KINDS and raw:
                rows.append((label, Personal(str(raw), _PERSONAL_KINDS[key])))
            else:
                rows.append((label, _display(raw, item, by_source.get(pf.source, ""))))
        elif kind == "shared":
            form_key = by_source.get(pf.source)
            value = shared_fields.get(form_key) if form_key else None
            rows.append((label, _display(value, item, form_key or "")))
        elif key == "verification_code":
            rows.append((label, hashlib.sha256(record_id.encode()).hexdigest()[:12].upper()))
        else:
            rows.append((label, "以平台记录为准（扫码核验）"))
    for field in item.form.fields:
        if field.prefill is None and field.key in values and field.type != "signature":
            rows.append((field.label.zh, _display(values[field.key], item, field.key)))
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


def verification_url(template: str, record_id: str) -> str:
    return tracking_url(template, record_id)
