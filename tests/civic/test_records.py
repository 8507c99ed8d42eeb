"""Certified records: the canonical form the signature covers, and verification against the
platform's keys (a changed row, a wrong key, an expired key, a lapsed or malformed record)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from civic.errors import (
    BadSignature,
    ExpiredKey,
    ExpiredRecord,
    MalformedRecord,
    RecordRefused,
    Refusal,
    UnknownKey,
)
from civic.records import (
    canonical_bytes,
    parse_keys,
    parse_record,
    sign_document,
    verify,
)

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def _unsigned() -> dict[str, Any]:
    return {
        "record_id": "REC-0001", "item_code": "11330110002503015G4007000017000",
        "title": {"zh": "个人社会保险权益记录", "en": "Social-insurance record"},
        "issued_at": "2026-12-07T09:00:00+00:00", "valid_until": "2027-03-07T09:00:00+00:00",
        "holder": {"name": "张建国", "id_number": "330110194610230210"},
        "rows": [{"label": {"zh": "累计缴费年限", "en": "Contribution years"}, "value": "15"},
                 {"label": {"zh": "养老保险状态", "en": "Pension status"},
                  "value": "城乡居民养老保险待遇领取"}],
        "verification_code": "K7QP2M9X",
        "verify_url": "http://127.0.0.1:8765/v1/verify/REC-0001?code=K7QP2M9X"}


def _key_doc(key: Ed25519PrivateKey, key_id: str = "k1",
             not_after: str = "2027-12-31T00:00:00+00:00") -> dict[str, Any]:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"key_id": key_id, "alg": "Ed25519",
            "public_key": base64.b64encode(raw).decode(), "not_after": not_after}


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_canonical_form_is_sorted_compact_utf8_without_the_signature() -> None:
    doc = {"b": "乙", "a": {"y": "1", "x": ["2"]}, "signature": {"value": "zz"}}
    assert canonical_bytes(doc) == '{"a":{"x":["2"],"y":"1"},"b":"乙"}'.encode()


def test_a_signed_record_with_chinese_text_verifies(key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), key, "k1")
    # through JSON text and back, as it travels, in another key order
    wire = json.loads(json.dumps(dict(reversed(list(signed.items()))), ensure_ascii=True))
    record = parse_record(wire)
    verify(record, parse_keys({"keys": [_key_doc(key)]}), NOW)
    assert record.rows[1].value == "城乡居民养老保险待遇领取"
    assert record.title.zh == "个人社会保险权益记录"
    assert "张建国" not in repr(record) and "330110194610230210" not in repr(record)
    assert canonical_bytes(record.document()) == canonical_bytes(_unsigned())


def test_a_row_changed_after_signing_is_refused(key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), key, "k1")
    signed["rows"][0]["value"] = "25"
    with pytest.raises(BadSignature) as refused:
        verify(parse_record(signed), parse_keys({"keys": [_key_doc(key)]}), NOW)
    assert refused.value.refusal is Refusal.BAD_SIGNATURE


def test_a_member_added_after_signing_is_refused(key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), key, "k1")
    signed["note"] = "added"
    with pytest.raises(BadSignature):
        verify(parse_record(signed), parse_keys({"keys": [_key_doc(key)]}), NOW)


def test_a_record_signed_by_another_key_under_the_same_id_is_refused(
        key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), Ed25519PrivateKey.generate(), "k1")
    with pytest.raises(BadSignature):
        verify(parse_record(signed), parse_keys({"keys": [_key_doc(key)]}), NOW)


def test_a_key_the_platform_does_not_list_is_refused(key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), key, "k-old")
    with pytest.raises(UnknownKey) as refused:
        verify(parse_record(signed), parse_keys({"keys": [_key_doc(key, "k1")]}), NOW)
    assert refused.value.refusal is Refusal.UNKNOWN_KEY


def test_an_expired_key_is_refused(key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), key, "k1")
    keys = parse_keys({"keys": [_key_doc(key, not_after="2026-12-01T00:00:00Z")]})
    with pytest.raises(ExpiredKey):
        verify(parse_record(signed), keys, NOW)
    verify(parse_record(signed), keys, dt.datetime(2026, 11, 30, tzinfo=dt.UTC))


def test_a_lapsed_record_is_refused(key: Ed25519PrivateKey) -> None:
    signed = sign_document(_unsigned(), key, "k1")
    with pytest.raises(ExpiredRecord):
        verify(parse_record(signed), parse_keys({"keys": [_key_doc(key)]}),
               dt.datetime(2027, 4, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("holder"),
    lambda d: d.update(rows=[]),
    lambda d: d.update(rows=[{"label": {"zh": "x", "en": "x"}, "value": 15}]),
    lambda d: d.update(verification_code="SHORT"),
    lambda d: d.update(issued_at="yesterday"),
    lambda d: d.update(verify_url="http://例子/v1/verify/x"),
    lambda d: d["signature"].update(value="not base64!"),
])
def test_a_malformed_record_is_refused(key: Ed25519PrivateKey, damage: Any) -> None:
    signed = sign_document(_unsigned(), key, "k1")
    damage(signed)
    with pytest.raises(MalformedRecord) as refused:
        parse_record(signed)
    assert isinstance(refused.value, RecordRefused)


def test_keys_of_another_algorithm_are_skipped_and_bad_keys_refused(
        key: Ed25519PrivateKey) -> None:
    other = {**_key_doc(key, "rsa"), "alg": "RS256"}
    assert [k.key_id for k in parse_keys({"keys": [other, _key_doc(key)]})] == ["k1"]
    with pytest.raises(MalformedRecord):
        parse_keys({"keys": [{**_key_doc(key), "public_key": "AAAA"}]})
    with pytest.raises(MalformedRecord):
        parse_keys({"nothing": []})
