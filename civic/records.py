"""Certified records: what a ``query_print`` item prints, signed by the platform.

The platform API ("Certified records") sends a record as JSON and signs, with Ed25519, the
UTF-8 bytes of the record *without* its ``signature`` member, serialised with sorted keys,
no insignificant whitespace and non-ASCII characters as they are. :func:`canonical_bytes`
is the one place that writes that form: the sandbox signs what it returns
(:func:`sign_document`), and the terminal verifies it (:func:`verify`) before printing.

Pure: no file, socket or clock. The caller hands in the record as parsed JSON, the keys as
``GET /v1/keys`` answered, and the time. A record that cannot be trusted raises one of the
:class:`~civic.errors.RecordRefused` errors, each naming its :class:`Refusal`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from civic.errors import (
    BadSignature,
    ExpiredKey,
    ExpiredRecord,
    MalformedRecord,
    UnknownKey,
)
from civic.pii import Personal
from civic.text import Text

__all__ = ["ALG", "Holder", "PublicKey", "Record", "RecordRow", "Signature",
           "canonical_bytes", "parse_keys", "parse_record", "sign_document", "verify"]

ALG: Final = "Ed25519"
CODE_LENGTH: Final = 8
_MEMBERS: Final = ("record_id", "item_code", "title", "issued_at", "valid_until", "holder",
                   "rows", "verification_code", "verify_url", "signature")


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The bytes a record's signature covers: ``document`` without ``signature``, as JSON
    with sorted keys, no insignificant whitespace, non-ASCII as is, in UTF-8."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")


def sign_document(document: Mapping[str, Any], key: Ed25519PrivateKey,
                  key_id: str) -> dict[str, Any]:
    """``document`` with its ``signature`` member (what the platform serves)."""
    value = key.sign(canonical_bytes(document))
    return {**{k: v for k, v in document.items() if k != "signature"},
            "signature": {"alg": ALG, "key_id": key_id,
                          "value": base64.b64encode(value).decode("ascii")}}


@dataclass(frozen=True)
class RecordRow:
    label: Text
    value: str


@dataclass(frozen=True)
class Holder:
    """Whose record it is; both masked in any text form (:class:`Personal`)."""

    name: Personal
    id_number: Personal


@dataclass(frozen=True)
class Signature:
    alg: str
    key_id: str
    value: bytes = field(repr=False)


@dataclass(frozen=True)
class Record:
    """A certified record as the platform sent it. Only :meth:`document` gives back the
    JSON it came from (with the holder revealed), which is what the signature covers."""

    record_id: str
    item_code: str
    title: Text
    issued_at: dt.datetime
    valid_until: dt.datetime
    holder: Holder
    rows: tuple[RecordRow, ...]
    verification_code: str
    verify_url: str
    signature: Signature
    # the members as received: the signature covers exactly these, including any member a
    # later version of the contract adds (kept, never interpreted)
    _raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def document(self) -> dict[str, Any]:
        """The record as received (a copy): :func:`canonical_bytes` of it is what was
        signed."""
        copy: dict[str, Any] = json.loads(json.dumps(dict(self._raw)))
        return copy

    def __repr__(self) -> str:
        return (f"Record({self.record_id!r}, item={self.item_code!r}, "
                f"holder={self.holder.name.masked()!r}, rows={len(self.rows)})")


@dataclass(frozen=True)
class PublicKey:
    """One of the platform's signing keys (``GET /v1/keys``)."""

    key_id: str
    public_key: bytes = field(repr=False)   # raw 32 bytes
    not_after: dt.datetime


def _text(doc: Any, where: str) -> str:
    if not isinstance(doc, str) or not doc:
        raise MalformedRecord(f"{where} is not a non-empty string")
    return doc


def _i18n(doc: Any, where: str) -> Text:
    if not isinstance(doc, dict):
        raise MalformedRecord(f"{where} is not a {{zh, en}} object")
    return Text(_text(doc.get("zh"), f"{where}.zh"), _text(doc.get("en"), f"{where}.en"))


def _time(doc: Any, where: str, error: type[MalformedRecord] = MalformedRecord
          ) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(_text(doc, where))
    except ValueError as exc:
        raise error(f"{where} is not an RFC 3339 time") from exc
    if when.tzinfo is None:
        raise error(f"{where} has no offset")
    return when


def _b64(doc: Any, where: str) -> bytes:
    try:
        return base64.b64decode(_text(doc, where), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedRecord(f"{where} is not base64") from exc


def parse_record(doc: Any) -> Record:
    """The record in ``doc`` (parsed JSON), typed; :class:`MalformedRecord` when it is not
    one (a member missing or of the wrong kind). Nothing is trusted yet: :func:`verify`."""
    if not isinstance(doc, dict):
        raise MalformedRecord("the record is not a JSON object")
    missing = [m for m in _MEMBERS if m not in doc]
    if missing:
        raise MalformedRecord("missing " + ", ".join(missing))
    holder, rows, sig = doc["holder"], doc["rows"], doc["signature"]
    if not isinstance(holder, dict):
        raise MalformedRecord("holder is not an object")
    if not isinstance(rows, list) or not rows:
        raise MalformedRecord("rows is not a non-empty list")
    if not isinstance(sig, dict):
        raise MalformedRecord("signature is not an object")
    parsed_rows = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("value"), str):
            raise MalformedRecord(f"rows[{i}] is not {{label, value}} with a string value")
        parsed_rows.append(RecordRow(_i18n(row.get("label"), f"rows[{i}].label"),
                                     row["value"]))
    code = _text(doc["verification_code"], "verification_code")
    if len(code) != CODE_LENGTH:
        raise MalformedRecord(f"verification_code is not {CODE_LENGTH} characters")
    url = _text(doc["verify_url"], "verify_url")
    if not url.isascii():
        raise MalformedRecord("verify_url is not ASCII (it must fit a QR code)")
    return Record(
        record_id=_text(doc["record_id"], "record_id"),
        item_code=_text(doc["item_code"], "item_code"),
        title=_i18n(doc["title"], "title"),
        issued_at=_time(doc["issued_at"], "issued_at"),
        valid_until=_time(doc["valid_until"], "valid_until"),
        holder=Holder(Personal(_text(holder.get("name"), "holder.name"), "name"),
                      Personal(_text(holder.get("id_number"), "holder.id_number"),
                               "id_number")),
        rows=tuple(parsed_rows), verification_code=code, verify_url=url,
        signature=Signature(_text(sig.get("alg"), "signature.alg"),
                            _text(sig.get("key_id"), "signature.key_id"),
                            _b64(sig.get("value"), "signature.value")),
        _raw=MappingProxyType(json.loads(json.dumps(doc))))


def parse_keys(doc: Any) -> tuple[PublicKey, ...]:
    """The keys of a ``GET /v1/keys`` answer; :class:`MalformedRecord` when it is not one
    (a key the terminal cannot read is no key to trust)."""
    keys = doc.get("keys") if isinstance(doc, dict) else None
    if not isinstance(keys, list):
        raise MalformedRecord("the keys answer has no list of keys")
    out = []
    for i, key in enumerate(keys):
        if not isinstance(key, dict):
            raise MalformedRecord(f"keys[{i}] is not an object")
        if key.get("alg") != ALG:
            continue                       # an algorithm this terminal does not verify
        raw = _b64(key.get("public_key"), f"keys[{i}].public_key")
        if len(raw) != 32:
            raise MalformedRecord(f"keys[{i}].public_key is not 32 bytes")
        out.append(PublicKey(_text(key.get("key_id"), f"keys[{i}].key_id"), raw,
                             _time(key.get("not_after"), f"keys[{i}].not_after")))
    return tuple(out)


def verify(record: Record, keys: Sequence[PublicKey], now: dt.datetime) -> None:
    """Return when ``record`` was signed by one of ``keys``, valid at ``now``, and the
    record itself has not lapsed; raise the refusal otherwise."""
    if record.signature.alg != ALG:
        raise MalformedRecord(f"signature algorithm {record.signature.alg!r} is not {ALG}")
    key = next((k for k in keys if k.key_id == record.signature.key_id), None)
    if key is None:
        raise UnknownKey(f"no key {record.signature.key_id!r} among the platform's keys")
    if now > key.not_after:
        raise ExpiredKey(f"key {key.key_id!r} expired at {key.not_after.isoformat()}")
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            record.signature.value, canonical_bytes(record.document()))
    except InvalidSignature as exc:
        raise BadSignature("the signature does not match the record") from exc
    if now > record.valid_until:
        raise ExpiredRecord(f"the record was valid until {record.valid_until.isoformat()}")
