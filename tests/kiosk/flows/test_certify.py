"""The certified record as the platform worker gets it for the flow: through the real
platform client against the real sandbox (verified; refused when tampered; not found; no
session; offline), and the key ring that fetches the platform's keys once and again only
for a key it does not know."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from central import admin
from central.platform import SandboxServer
from civic.errors import Refusal, UnknownKey
from civic.pii import Personal
from civic.records import PublicKey, parse_record, sign_document
from kiosk.flows.certify import KeyRing, RecordOutcome, fetch_certified_record
from offline_queue import credentials
from offline_queue.platform import PlatformClient

SOCIAL_RECORD = "11330110002503015G4007000017000"
ID_NUMBER = "330110194610230210"          # R001


@pytest.fixture
def client(sandbox: SandboxServer, tmp_path: Path) -> Iterator[PlatformClient]:
    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")
    creds = credentials.enroll(tmp_path, sandbox.url, code, "kiosk", hostname="test",
                               app_version="test", site={"region_code": "330110",
                                                         "name": "测试点"})
    with PlatformClient.build(creds) as made:
        yield made


@pytest.fixture(autouse=True)
def _no_faults(sandbox: SandboxServer) -> Iterator[None]:
    yield
    sandbox.platform.faults.update({}, reset=True)


def _session(client: PlatformClient) -> str:
    from civic.identity import IdentifiedBy

    return client.open_session(Personal(ID_NUMBER, "id_number"), IdentifiedBy.ID_CARD,
                               "0" * 64).session_id


def _fetch(client: PlatformClient, keys: KeyRing, session_id: str,
           item_code: str = SOCIAL_RECORD):
    return fetch_certified_record(client, keys, Personal(ID_NUMBER, "id_number"), item_code,
                                  session_id)


def test_a_record_from_the_sandbox_is_verified(client: PlatformClient) -> None:
    result = _fetch(client, KeyRing(), _session(client))
    assert result.outcome is RecordOutcome.VERIFIED and result.record is not None
    assert result.record.holder.id_number.reveal() == ID_NUMBER
    assert ID_NUMBER not in repr(result)


def test_a_tampered_record_is_refused(client: PlatformClient, sandbox: SandboxServer) -> None:
    sandbox.platform.faults.update({"tamper_records": True})
    result = _fetch(client, KeyRing(), _session(client))
    assert result.outcome is RecordOutcome.REFUSED and result.record is None
    assert result.refusal is Refusal.BAD_SIGNATURE


def test_no_record_no_session_and_offline(client: PlatformClient,
                                          sandbox: SandboxServer) -> None:
    session = _session(client)
    apply_item = next(i.code for i in sandbox.platform.catalog.catalog.items
                      if str(i.mode) == "apply")
    assert _fetch(client, KeyRing(), session, apply_item).outcome is RecordOutcome.NOT_FOUND
    assert client.close_session(session)
    assert _fetch(client, KeyRing(), session).outcome is RecordOutcome.NO_SESSION
    session = _session(client)
    sandbox.platform.faults.update({"drop_before": 1.0})
    assert _fetch(client, KeyRing(), session).outcome is RecordOutcome.OFFLINE


def _key(private: Ed25519PrivateKey, key_id: str) -> PublicKey:
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PublicKey(key_id, raw, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))


def test_the_key_ring_fetches_once_and_again_only_for_an_unknown_key() -> None:
    old, new, stray = (Ed25519PrivateKey.generate() for _ in range(3))
    published = [_key(old, "old")]
    fetches: list[int] = []

    def fetch() -> tuple[PublicKey, ...]:
        fetches.append(1)
        return tuple(published)

    doc = {"record_id": "r", "item_code": "i", "title": {"zh": "证明", "en": "Proof"},
           "issued_at": "2026-12-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z",
           "holder": {"name": "张三", "id_number": ID_NUMBER},
           "rows": [{"label": {"zh": "甲", "en": "A"}, "value": "1"}],
           "verification_code": "ABCDEFGH", "verify_url": "http://x/v1/verify/r?code=ABCDEFGH"}
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    ring = KeyRing()
    ring.verify(parse_record(sign_document(doc, old, "old")), fetch, now)
    ring.verify(parse_record(sign_document(doc, old, "old")), fetch, now)
    assert len(fetches) == 1                              # kept in memory
    published.append(_key(new, "new"))                    # the platform rotated a key in
    ring.verify(parse_record(sign_document(doc, new, "new")), fetch, now)
    assert len(fetches) == 2
    with pytest.raises(UnknownKey):                       # one more fetch, then refused
        ring.verify(parse_record(sign_document(doc, stray, "stray")), fetch, now)
    assert len(fetches) == 3
