"""Valid requests for the sandbox, built from the real catalog and demo residents."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import httpx

from central.clock import utc_now
from civic.catalog.forms import Field, Form

SIGNATURE = b"\x89PNG\r\n\x1a\n-signature-of-a-test-citizen"
SIGNATURE_SHA = hashlib.sha256(SIGNATURE).hexdigest()
APPLICANT = {"id_type": "resident", "identified_by": "id_card", "id_number": "11010519491231002X",
             "name": "张测试", "gender": "1", "birth_date": "1949-12-31",
             "address": "北京市朝阳区测试路1号"}


def sample_value(field: Field, today: dt.date) -> Any:
    """A value the field accepts."""
    kind = str(field.type)
    if field.choices:
        first = field.choices[0].value
        return [first] if field.multiple else first
    if kind == "yes_no":
        return True
    if kind in ("number", "amount"):
        low = field.min if field.min is not None else 1
        return int(low) if field.integer or kind == "number" else str(low)
    if kind == "date":
        return (today - dt.timedelta(days=1)).isoformat() if field.date_range != "future" \
            else (today + dt.timedelta(days=30)).isoformat()
    if kind == "id_number":
        return APPLICANT["id_number"]
    if kind == "phone":
        return "13800000000"
    if kind == "bank_account":
        return "6222020200112233446"  # Luhn-valid
    if kind in ("file", "signature"):
        return SIGNATURE_SHA
    text = "测试内容"
    if field.min_length and len(text) < field.min_length:
        text = text * field.min_length
    return text[: field.max_length] if field.max_length else text


def valid_form(form: Form, today: dt.date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in form.fields:
        values[field.key] = sample_value(field, today)
    # Cross-field rules: push "later" dates after "earlier" ones.
    for rule in form.rules:
        if str(rule.kind) in ("after", "not_before") and rule.field in values:
            earlier = values.get(rule.other)
            if isinstance(earlier, str) and len(earlier) == 10:
                values[rule.field] = (dt.date.fromisoformat(earlier)
                                      + dt.timedelta(days=10)).isoformat()
    return values


def submission(catalog: Any, item_code: str, *, channel: str = "kiosk",
               agent_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    doc_version = catalog.to_document()["version"]
    item = catalog.get(item_code)
    today = dt.datetime.now(dt.UTC).date()
    body: dict[str, Any] = {
        "submission_id": str(uuid.uuid4()), "item_code": item_code,
        "catalog_version": doc_version, "channel": channel,
        "created_at": dt.datetime.now(dt.UTC).isoformat(), "applicant": dict(APPLICANT),
        "form": valid_form(item.form, today),
        "attachments": [{"sha256": SIGNATURE_SHA, "size": len(SIGNATURE),
                         "media_type": "image/png", "role": "signature"}],
        "consent": {"signed_at": dt.datetime.now(dt.UTC).isoformat(),
                    "signature_sha256": SIGNATURE_SHA, "prefill_authorised": True},
        "replaces": None}
    if channel == "agent":
        body["agent"] = {"agent_id": agent_id}
    body.update(overrides)
    return body


def put_signature(client: httpx.Client) -> None:
    answer = client.put(f"/v1/blobs/{SIGNATURE_SHA}", content=SIGNATURE,
                        headers={"Content-Type": "image/png"})
    assert answer.status_code in (200, 201), answer.text


def submit(client: httpx.Client, body: dict[str, Any], key: str | None = "same") -> httpx.Response:
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = body["submission_id"] if key == "same" else key
    return client.post("/v1/submissions", json=body, headers=headers)


#: a card_digest as a terminal sends it (the platform records it, never checks it)
CARD_DIGEST = hashlib.sha256(b"the card's 256-byte text block").hexdigest()


def open_session(client: httpx.Client, id_number: str, *, identified_by: str = "id_card",
                 card_digest: str | None = CARD_DIGEST,
                 agent_token: str | None = None) -> httpx.Response:
    """``POST /v1/sessions`` as a terminal sends it when a card was read."""
    headers = {"X-Agent-Token": agent_token} if agent_token else {}
    return client.post("/v1/sessions", headers=headers, json={
        "id_number": id_number, "identified_by": identified_by, "card_digest": card_digest})


class MovableClock:
    """The sandbox's clock, stopped: it moves only when a test moves it (``advance``), from
    ``start`` (default now, in whole seconds: the platform's times are whole ms)."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.start = self.now = start or utc_now().replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)

    def reset(self) -> None:
        self.now = self.start
