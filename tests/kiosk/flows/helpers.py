"""Filling a form the way a citizen would: only what prefill left empty."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.catalog import prefill_response
from civic.catalog.forms import Field
from kiosk.catalog.load import load_residents
from kiosk.flows import CitizenFlow
from kiosk.flows.certify import RecordOutcome, RecordResult
from kiosk.flows.services import PrefillResult
from tests.kiosk.flows.conftest import RESIDENTS, TODAY

SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n-a-test-signature"


def platform_answer(catalog: Any, ref: str, item_code: str) -> PrefillResult:
    """What the sandbox answers for this resident and item (the same function it uses)."""
    resident = next(r for r in load_residents(RESIDENTS) if r.ref == ref)
    doc = prefill_response(catalog.get(item_code), resident.card_fields(),
                           resident.shared_data())
    return PrefillResult(doc["fields"], tuple(doc["exempt_materials"]))


def certified_answer(catalog: Any, ref: str, item_code: str,
                     now: dt.datetime) -> RecordResult:
    """A verified record of this resident and item, as the platform bridge hands it to the
    flow: made by the sandbox's own function, signed with a key made here."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from central.certified import issue
    from civic.records import parse_record, sign_document

    resident = next(r for r in load_residents(RESIDENTS) if r.ref == ref)
    issued = issue(catalog.get(item_code), resident, now, "http://127.0.0.1:8765")
    assert issued is not None, f"the sandbox holds no {item_code} record for {ref}"
    signed = sign_document(issued.document, Ed25519PrivateKey.generate(), "test-key")
    return RecordResult(RecordOutcome.VERIFIED, parse_record(signed))


def answer_for(field: Field) -> Any:
    kind = str(field.type)
    if field.choices:
        return [field.choices[0].value] if field.multiple else field.choices[0].value
    if kind == "yes_no":
        return True
    if kind in ("number", "amount"):
        return str(int(field.min) if field.min is not None else 1)
    if kind == "date":
        delta = dt.timedelta(days=30 if field.date_range == "future" else -30)
        return (TODAY + delta).isoformat()
    if kind == "phone":
        return "13805710000"
    if kind == "file":
        return None
    return "测试"


def fill_remaining(flow: CitizenFlow) -> None:
    for field in flow.visible_fields():
        if field.key in flow.values or field.readonly:
            continue
        if str(field.type) == "file":
            flow.attach_file(field.key, b"\x89PNG-document-photo")
            continue
        value = answer_for(field)
        if value is not None:
            flow.set_value(field.key, value)
