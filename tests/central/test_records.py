"""Certified records on the real sandbox (platform-api.md, "Certified records"): a record is
read only inside the resident's card session, is signed by a key ``GET /v1/keys`` lists, and
its verify URL answers later with the masked holder only; a wrong code or an unknown record
is 404; the ``tamper_records`` fault serves a record changed after signing."""

from __future__ import annotations

import datetime as dt
import os
import stat

import httpx
import pytest

from central.platform import SandboxServer
from central.signing import KEY_FILE
from civic.errors import BadSignature
from civic.records import parse_keys, parse_record, verify
from tests.central.builders import open_session
from tests.central.conftest import Enrol

SOCIAL_RECORD = "11330110002503015G4007000017000"     # 个人社会保险权益记录 (query_print)
RECORDS = "/v1/residents/{}/records"


def _resident(sandbox: SandboxServer) -> str:
    return sandbox.platform.catalog.residents[0].id_number


def _session(client: httpx.Client, id_number: str) -> dict[str, str]:
    answer = open_session(client, id_number)
    assert answer.status_code == 201, answer.text
    return {"X-Session-Id": answer.json()["session_id"]}


def test_a_record_needs_the_residents_session(sandbox: SandboxServer, enrol: Enrol) -> None:
    kiosk = enrol()
    id_number = _resident(sandbox)
    answer = kiosk.get(RECORDS.format(id_number), params={"item_code": SOCIAL_RECORD})
    assert answer.status_code == 403 and answer.json()["code"] == "no_session"
    other = sandbox.platform.catalog.residents[1].id_number
    answer = kiosk.get(RECORDS.format(id_number), params={"item_code": SOCIAL_RECORD},
                       headers=_session(kiosk, other))
    assert answer.status_code == 403 and answer.json()["code"] == "no_session"


def test_a_record_is_signed_and_its_verify_url_answers_with_the_masked_holder(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    kiosk = enrol()
    resident = sandbox.platform.catalog.residents[0]
    answer = kiosk.get(RECORDS.format(resident.id_number), params={"item_code": SOCIAL_RECORD},
                       headers=_session(kiosk, resident.id_number))
    assert answer.status_code == 200, answer.text
    record = parse_record(answer.json())
    keys = parse_keys(httpx.get(f"{sandbox.url}/v1/keys").json())      # no auth
    verify(record, keys, dt.datetime.now(dt.UTC))
    assert record.holder.id_number.reveal() == resident.id_number
    assert record.item_code == SOCIAL_RECORD and len(record.verification_code) == 8
    values = [row.value for row in record.rows]
    assert any("累计缴费15年" in v for v in values)           # the contribution history
    assert record.verify_url.startswith(f"{sandbox.url}/v1/verify/{record.record_id}?code=")

    checked = httpx.get(record.verify_url)                          # no auth, as a phone
    assert checked.status_code == 200
    doc = checked.json()
    assert doc == {"valid": True, "title": record.title.as_dict(),
                   "issued_at": answer.json()["issued_at"],
                   "valid_until": answer.json()["valid_until"],
                   "holder_masked": doc["holder_masked"]}
    assert resident.name not in checked.text and resident.id_number not in checked.text
    assert doc["holder_masked"].startswith(resident.name[0])

    wrong = httpx.get(f"{sandbox.url}/v1/verify/{record.record_id}",
                      params={"code": "AAAAAAAA"})
    unknown = httpx.get(f"{sandbox.url}/v1/verify/no-such-record",
                        params={"code": record.verification_code})
    assert wrong.status_code == 404 and unknown.status_code == 404


def test_no_record_is_404(sandbox: SandboxServer, enrol: Enrol) -> None:
    kiosk = enrol()
    id_number = _resident(sandbox)
    headers = _session(kiosk, id_number)
    apply_item = next(i.code for i in sandbox.platform.catalog.catalog.items
                      if str(i.mode) == "apply")
    answer = kiosk.get(RECORDS.format(id_number), params={"item_code": apply_item},
                       headers=headers)
    assert answer.status_code == 404


def test_the_signing_key_is_kept_owner_only_and_never_served(sandbox: SandboxServer) -> None:
    path = sandbox.platform.settings.data_dir / KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    doc = httpx.get(f"{sandbox.url}/v1/keys").json()
    assert [k["alg"] for k in doc["keys"]] == ["Ed25519"]
    assert "PRIVATE" not in httpx.get(f"{sandbox.url}/v1/keys").text
    assert sandbox.platform.signing_key.key_id == doc["keys"][0]["key_id"]
    assert "records" in httpx.get(f"{sandbox.url}/v1/health").json()["extensions"]


def test_a_tampered_record_fails_verification(sandbox: SandboxServer, enrol: Enrol,
                                              control: httpx.Client) -> None:
    kiosk = enrol()
    id_number = _resident(sandbox)
    assert control.patch("/v1/_sandbox/faults", json={"tamper_records": True}).is_success
    answer = kiosk.get(RECORDS.format(id_number), params={"item_code": SOCIAL_RECORD},
                       headers=_session(kiosk, id_number))
    keys = parse_keys(httpx.get(f"{sandbox.url}/v1/keys").json())
    with pytest.raises(BadSignature):
        verify(parse_record(answer.json()), keys, dt.datetime.now(dt.UTC))


def test_the_openapi_document_lists_the_record_endpoints(sandbox: SandboxServer) -> None:
    paths = httpx.get(f"{sandbox.url}/v1/openapi.json").json()["paths"]
    for path in ("/v1/residents/{id_number}/records", "/v1/keys", "/v1/verify/{record_id}"):
        assert path in paths, path
    assert paths["/v1/keys"]["get"]["security"] == []


def test_every_query_print_item_has_a_record_for_some_demo_resident(
        sandbox: SandboxServer) -> None:
    """The 29 query-and-print items each certify something for the demo residents (the
    sandbox's function, as the endpoint calls it), and no apply item certifies anything."""
    from central.certified import issue

    catalog, residents = sandbox.platform.catalog.catalog, sandbox.platform.catalog.residents
    now = dt.datetime.now(dt.UTC)
    query_print = [i for i in catalog.items if str(i.mode) == "query_print"]
    assert len(query_print) == 29
    for item in query_print:
        issued = [issue(item, r, now, sandbox.url) for r in residents]
        assert any(issued), item.code
    assert not any(issue(i, residents[0], now, sandbox.url) for i in catalog.items
                   if str(i.mode) == "apply")


def test_the_key_and_the_issued_records_outlive_a_restart(tmp_path) -> None:
    """A sandbox restarted on its data dir signs with the same key, and a record issued
    before answers its verify URL after (the printed QR must work later)."""
    from central import admin
    from central.platform import SandboxSettings
    from central.workflow import WorkflowSchedule

    settings = SandboxSettings(tmp_path / "central", workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as first:
        code = admin.issue_enrollment_code(settings.data_dir, "kiosk")
        token = httpx.post(f"{first.url}/v1/devices/enroll", json={
            "enrollment_code": code, "kind": "kiosk"}).json()["token"]
        id_number = _resident(first)
        with httpx.Client(base_url=first.url,
                          headers={"Authorization": f"Bearer {token}"}) as kiosk:
            answer = kiosk.get(RECORDS.format(id_number), params={"item_code": SOCIAL_RECORD},
                               headers=_session(kiosk, id_number))
        record = parse_record(answer.json())
        key_id = httpx.get(f"{first.url}/v1/keys").json()["keys"][0]["key_id"]
    with SandboxServer(settings) as second:
        assert httpx.get(f"{second.url}/v1/keys").json()["keys"][0]["key_id"] == key_id
        path = record.verify_url.split("/v1/", 1)[1]
        later = httpx.get(f"{second.url}/v1/{path}")
        assert later.status_code == 200 and later.json()["title"] == record.title.as_dict()


def test_no_log_line_holds_the_holder_or_the_private_key(sandbox: SandboxServer, enrol: Enrol,
                                                          caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    """The sandbox logs routes when it issues and verifies a record, never the holder's name
    or ID number, a row, the code or the signing key."""
    import time

    kiosk = enrol()
    resident = sandbox.platform.catalog.residents[0]
    pem = (sandbox.platform.settings.data_dir / KEY_FILE).read_text()
    with caplog.at_level("DEBUG"):
        answer = kiosk.get(RECORDS.format(resident.id_number),
                           params={"item_code": SOCIAL_RECORD},
                           headers=_session(kiosk, resident.id_number))
        record = parse_record(answer.json())
        httpx.get(record.verify_url)
        deadline = time.monotonic() + 5            # the server logs after answering
        while not any("/v1/verify" in str(getattr(r, "ctx", "")) for r in caplog.records) \
                and time.monotonic() < deadline:
            time.sleep(0.01)
    # the sandbox's own loggers (the test's httpx client logs the URLs it asked for)
    logged = "\n".join(r.getMessage() + str(getattr(r, "ctx", "")) for r in caplog.records
                       if r.name.startswith("central"))
    assert "/v1/verify" in logged
    for secret in (resident.name, resident.id_number, record.verification_code,
                   record.rows[0].value, pem.splitlines()[1]):
        assert secret not in logged
