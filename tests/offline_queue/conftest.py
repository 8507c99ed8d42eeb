"""Fixtures of the outbox tests: a well-formed submission without needing the catalog."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest

SIGNATURE = b"\x89PNG\r\n\x1a\n-signature-of-a-test-citizen"
SIGNATURE_SHA = hashlib.sha256(SIGNATURE).hexdigest()
NAME = "张测试"
ID_NUMBER = "11010519491231002X"
ADDRESS = "北京市朝阳区测试路1号"


def make_submission(**overrides: Any) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).isoformat()
    body: dict[str, Any] = {
        "submission_id": str(uuid.uuid4()), "item_code": "TEST-ITEM", "catalog_version": "v1",
        "channel": "kiosk", "created_at": now,
        "applicant": {"id_type": "resident", "identified_by": "id_card",
                      "id_number": ID_NUMBER, "name": NAME, "gender": "1",
                      "birth_date": "1949-12-31", "address": ADDRESS},
        "form": {"reason": "测试内容", "signature": SIGNATURE_SHA},
        "attachments": [{"sha256": SIGNATURE_SHA, "size": len(SIGNATURE),
                         "media_type": "image/png", "role": "signature"}],
        "consent": {"signed_at": now, "signature_sha256": SIGNATURE_SHA,
                    "prefill_authorised": True},
        "replaces": None}
    body.update(overrides)
    return body


@pytest.fixture
def submission() -> dict[str, Any]:
    return make_submission()
