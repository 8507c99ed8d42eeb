"""The sandbox honours the terminal API contract, checked over real HTTP on 127.0.0.1."""

from __future__ import annotations

import concurrent.futures
import hashlib
import time
import uuid

import httpx
import pytest

from central import admin
from tests.central import builders
from tests.central.builders import open_session, put_signature, submission, submit


def apply_item(sandbox) -> str:
    catalog = sandbox.platform.catalog.catalog
    return next(item.code for item in catalog.items if str(item.mode) == "apply")


def test_health_needs_no_token_and_carries_a_date(sandbox) -> None:
    """/v1/health answers without auth, with the version and a Date header."""
    answer = httpx.get(f"{sandbox.url}/v1/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert "date" in answer.headers


def test_enrolment_issues_a_token_once_per_code(sandbox, enrol) -> None:
    """A code enrols one terminal; reusing it, or an unknown code, is 403 enrollment_refused."""
    client = enrol("kiosk")
    assert client.enrolment["kind"] == "kiosk"
    assert client.enrolment["tracking_url_template"].endswith("/v1/track/{submission_id}")
    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "agent")
    body = {"enrollment_code": code, "kind": "agent"}
    assert httpx.post(f"{sandbox.url}/v1/devices/enroll", json=body).status_code == 201
    again = httpx.post(f"{sandbox.url}/v1/devices/enroll", json=body)
    assert again.status_code == 403 and again.json()["code"] == "enrollment_refused"
    assert again.headers["content-type"].startswith("application/problem+json")
    wrong_kind = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "agent")
    answer = httpx.post(f"{sandbox.url}/v1/devices/enroll",
                        json={"enrollment_code": wrong_kind, "kind": "kiosk"})
    assert answer.status_code == 403
    assert httpx.post(f"{sandbox.url}/v1/devices/enroll",
                      json={"kind": "kiosk"}).status_code == 400


def test_unknown_missing_and_revoked_tokens_are_401(sandbox, enrol) -> None:
    """Every call but health, enrol and track needs a valid, unrevoked device token."""
    assert httpx.get(f"{sandbox.url}/v1/catalog").json()["code"] == "token_missing"
    bad = httpx.get(f"{sandbox.url}/v1/catalog", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["code"] == "token_unknown"
    client = enrol()
    assert client.get("/v1/changes").status_code == 200
    admin.revoke(sandbox.platform.settings.data_dir, client.device_id)
    revoked = client.get("/v1/changes")
    assert revoked.status_code == 401 and revoked.json()["code"] == "token_revoked"


def test_catalog_has_an_etag_and_answers_304(sandbox, enrol) -> None:
    """The catalog comes with an ETag; asking with it again gives 304 and no body."""
    client = enrol()
    first = client.get("/v1/catalog")
    assert first.status_code == 200
    doc = first.json()
    assert len(doc["items"]) >= 300 and doc["version"]
    item = doc["items"][0]
    for key in ("code", "name", "department", "item_type", "life_events", "mode",
                "visits_required", "promised_days", "fee", "materials", "form", "eligibility"):
        assert key in item
    again = client.get("/v1/catalog", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_blobs_are_content_addressed(enrol) -> None:
    """PUT stores (201, then 200), a wrong digest is 400, HEAD tells whether it is there."""
    client = enrol()
    data = b"scanned document " + uuid.uuid4().bytes
    digest = hashlib.sha256(data).hexdigest()
    assert client.head(f"/v1/blobs/{digest}").status_code == 404
    assert client.put(f"/v1/blobs/{digest}", content=data).status_code == 201
    assert client.put(f"/v1/blobs/{digest}", content=data).status_code == 200
    assert client.head(f"/v1/blobs/{digest}").status_code == 200
    wrong = client.put(f"/v1/blobs/{'0' * 64}", content=data)
    assert wrong.status_code == 400 and wrong.json()["code"] == "digest_mismatch"


def test_oversized_bodies_are_413(enrol) -> None:
    """A JSON body over 1 MiB and a blob over 20 MiB are refused with 413."""
    client = enrol()
    big_json = client.post("/v1/heartbeat", content=b"{" + b" " * (1024 * 1024) + b"}",
                           headers={"Content-Type": "application/json"})
    assert big_json.status_code == 413
    big_blob = client.put(f"/v1/blobs/{'a' * 64}", content=b"x" * (20 * 1024 * 1024 + 1))
    assert big_blob.status_code == 413


def test_submission_is_received_and_replayed_byte_for_byte(sandbox, enrol) -> None:
    """201 with a case number; the same body again gives the same bytes plus the replay header."""
    client = enrol()
    put_signature(client)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    first = submit(client, body)
    assert first.status_code == 201, first.text
    doc = first.json()
    assert doc["status"] == "received" and doc["case_number"].startswith("330110-")
    reordered = dict(reversed(list(body.items())))
    again = submit(client, reordered)
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers


def test_key_rules(sandbox, enrol) -> None:
    """Missing key 400, key not matching the body 400, same key with another body 422."""
    client = enrol()
    put_signature(client)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    assert submit(client, body, key=None).json()["code"] == "idempotency_key_missing"
    mismatch = submit(client, body, key=str(uuid.uuid4()))
    assert mismatch.status_code == 400 and mismatch.json()["code"] == "idempotency_key_mismatch"
    assert submit(client, body).status_code == 201
    changed = {**body, "created_at": "2026-01-01T00:00:00+08:00"}
    reused = submit(client, changed)
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def test_missing_blobs_are_409_with_the_list(sandbox, enrol) -> None:
    """Attachments not uploaded yet: 409 missing_blobs naming them; after upload, 201."""
    client = enrol()
    data = b"photo " + uuid.uuid4().bytes
    digest = hashlib.sha256(data).hexdigest()
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    body["attachments"].append({"sha256": digest, "size": len(data), "media_type": "image/jpeg",
                                "role": "photo"})
    answer = submit(client, body)
    assert answer.status_code == 409 and answer.json()["code"] == "missing_blobs"
    assert set(answer.json()["missing"]) == {digest, builders.SIGNATURE_SHA} - (
        {builders.SIGNATURE_SHA} if sandbox.platform.blobs.exists(builders.SIGNATURE_SHA)
        else set())
    put_signature(client)
    client.put(f"/v1/blobs/{digest}", content=data)
    assert submit(client, body).status_code == 201


def test_validation_errors_name_fields_in_both_languages(sandbox, enrol) -> None:
    """Bad content is 422 validation with zh/en per field, replayed identically, and tracked."""
    client = enrol()
    put_signature(client)
    catalog = sandbox.platform.catalog.catalog
    code = apply_item(sandbox)
    required = next(f.key for f in catalog.get(code).form.fields if f.required)
    body = submission(catalog, code)
    del body["form"][required]
    body["applicant"]["id_number"] = "110105194912310021"  # wrong check digit
    first = submit(client, body)
    assert first.status_code == 422
    problem = first.json()
    assert problem["code"] == "validation"
    assert set(problem["fields"]["applicant.id_number"]) == {"zh", "en"}
    again = submit(client, body)
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    tracked = httpx.get(f"{client.base_url}/v1/track/{body['submission_id']}").json()
    assert tracked["status"] == "rejected_on_receipt"
    body2 = submission(catalog, code)
    del body2["form"][required]
    fields = submit(client, body2).json()["fields"]
    assert required in fields and fields[required]["zh"] and fields[required]["en"]


def keypad_confirmed(catalog, code: str, **kw) -> dict:
    """A submission confirmed on the kiosk keypad: no signature image, its field null."""
    body = submission(catalog, code, **kw)
    for field in catalog.get(code).form.fields:
        if str(field.type) == "signature":
            body["form"][field.key] = None
    body["attachments"] = []
    body["consent"].update(method="keypad_confirmation", signature_sha256=None)
    return body


def test_keypad_confirmation_is_accepted_from_a_kiosk_and_kept_with_the_case(
        sandbox, enrol) -> None:
    """A kiosk's keypad confirmation (no signature, the required signature field null) is
    received, and the platform records the method with the case; a signed one is recorded
    as signed."""
    client = enrol()
    put_signature(client)
    catalog = sandbox.platform.catalog.catalog
    code = apply_item(sandbox)
    assert any(f.required and str(f.type) == "signature"
               for f in catalog.get(code).form.fields)
    keypad, signed = keypad_confirmed(catalog, code), submission(catalog, code)
    for body in (keypad, signed):
        answer = submit(client, body)
        assert answer.status_code == 201, answer.text
    with sandbox.platform.db.session() as conn:
        recorded = dict(conn.execute(
            "SELECT submission_id, consent_method FROM submissions WHERE submission_id IN "
            "(?, ?)", (keypad["submission_id"], signed["submission_id"])).fetchall())
    assert recorded == {keypad["submission_id"]: "keypad_confirmation",
                        signed["submission_id"]: "signature"}


def test_keypad_confirmation_is_refused_elsewhere(sandbox, enrol) -> None:
    """Keypad confirmation comes from a kiosk only (422 at consent.method from an agent's
    laptop), and a signed application still needs its signature field."""
    catalog = sandbox.platform.catalog.catalog
    code = apply_item(sandbox)
    agent = enrol("agent")
    answer = submit(agent, keypad_confirmed(catalog, code, channel="agent", agent_id="ag-1"))
    assert answer.status_code == 422 and "consent.method" in answer.json()["fields"]
    kiosk = enrol()
    put_signature(kiosk)
    unsigned = keypad_confirmed(catalog, code)
    signed = submission(catalog, code)          # a drawn signature, its field left empty
    unsigned["consent"], unsigned["attachments"] = signed["consent"], signed["attachments"]
    fields = submit(kiosk, unsigned).json()["fields"]
    signature = next(f.key for f in catalog.get(code).form.fields
                     if f.required and str(f.type) == "signature")
    assert signature in fields


def test_concurrent_duplicates_create_exactly_one_record(sandbox, enrol) -> None:
    """Many threads sending one key at once: one record, and every 201 carries one case number."""
    client = enrol()
    put_signature(client)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    before = sandbox.platform.counters.snapshot()["events"].get("submissions_created", 0)
    sandbox.platform.processing_delay_s = 0.2

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(client.base_url), headers=client.headers,
                          timeout=20) as own:
            return submit(own, body)

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(send, range(16)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}
    assert statuses.count(201) >= 1
    assert statuses.count(409) >= 1  # some arrived while the first was being processed
    assert all(a.json()["code"] == "in_progress" for a in answers if a.status_code == 409)
    assert len({a.json()["case_number"] for a in answers if a.status_code == 201}) == 1
    after = sandbox.platform.counters.snapshot()["events"]["submissions_created"]
    assert after - before == 1
    with sandbox.platform.db.session() as conn:
        rows = conn.execute("SELECT COUNT(*) FROM submissions WHERE submission_id = ?",
                            (body["submission_id"],)).fetchone()[0]
    assert rows == 1


def test_batch_mixed_outcomes_in_request_order(sandbox, enrol) -> None:
    """A batch answers each element as the single endpoint would, in order."""
    client = enrol()
    put_signature(client)
    catalog = sandbox.platform.catalog.catalog
    code = apply_item(sandbox)
    good = submission(catalog, code)
    assert submit(client, good).status_code == 201
    fresh = submission(catalog, code)
    invalid = submission(catalog, code, channel="bus")
    unknown_blob = submission(catalog, code)
    unknown_blob["attachments"].append({"sha256": "b" * 64, "size": 1,
                                        "media_type": "image/png", "role": "document"})
    answer = client.post("/v1/submissions:batch",
                         json={"submissions": [good, fresh, invalid, unknown_blob]})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["submission_id"] for r in results] == [
        good["submission_id"], fresh["submission_id"], invalid["submission_id"],
        unknown_blob["submission_id"]]
    assert [r["status"] for r in results] == [201, 201, 422, 409]
    assert results[0]["replayed"] is True and results[1]["replayed"] is False
    assert results[3]["body"]["missing"] == ["b" * 64]
    too_many = client.post("/v1/submissions:batch", json={"submissions": [fresh] * 101})
    assert too_many.status_code == 400


def test_submission_status_only_for_its_device(sandbox, enrol) -> None:
    """The sending device reads the status; another device gets 403; an unknown id 404."""
    owner, other = enrol(), enrol()
    put_signature(owner)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    case = submit(owner, body).json()["case_number"]
    status = owner.get(f"/v1/submissions/{body['submission_id']}")
    assert status.status_code == 200 and status.json()["case_number"] == case
    assert set(status.json()) == {"submission_id", "case_number", "status", "updated_at",
                                  "message"}
    assert other.get(f"/v1/submissions/{body['submission_id']}").status_code == 403
    assert owner.get(f"/v1/submissions/{uuid.uuid4()}").status_code == 404


def test_tracking_page_is_public_and_impersonal(sandbox, enrol) -> None:
    """/v1/track needs no token and shows status without personal data."""
    client = enrol()
    put_signature(client)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    submit(client, body)
    page = httpx.get(f"{sandbox.url}/v1/track/{body['submission_id']}")
    assert page.status_code == 200 and page.json()["status"] == "received"
    assert builders.APPLICANT["id_number"] not in page.text
    assert builders.APPLICANT["name"] not in page.text
    unknown = httpx.get(f"{sandbox.url}/v1/track/{uuid.uuid4()}")
    assert unknown.json()["status"] == "not_yet_received"
    assert httpx.get(f"{sandbox.url}/v1/track/not-a-uuid").status_code == 404


def test_changes_feed_pages_with_opaque_cursors(sandbox, enrol, control) -> None:
    """Status changes come oldest first, page by page; another device sees none of them."""
    client, other = enrol(), enrol()
    put_signature(client)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    submit(client, body)
    # Four steps for an approved case (… approved, completed); a rejected one stops at three.
    moved = control.post("/v1/_sandbox/advance", json={"submission_id": body["submission_id"],
                                                       "steps": 4}).json()["moved"]
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 2} | ({"after": cursor} if cursor else {})
        page = client.get("/v1/changes", params=params).json()
        seen += [c["status"] for c in page["changes"]]
        if not page["changes"]:
            break
        cursor = page["next"]
    assert seen[0] == "received" and seen[1:3] == ["accepted", "in_review"]
    assert seen[3] in ("approved", "rejected")
    assert len(seen) == (5 if seen[3] == "approved" else 4) == moved + 1
    assert other.get("/v1/changes").json()["changes"] == []
    assert client.get("/v1/changes", params={"after": "garbage!"}).status_code == 400
    assert client.get("/v1/changes", params={"limit": 0}).status_code == 400


def test_agent_sign_in_and_lockout(sandbox, enrol) -> None:
    """Right PIN signs in; wrong PIN 401 bad_credentials; 5 wrong PINs lock with 429."""
    agent_device, kiosk = enrol("agent"), enrol("kiosk")
    number = f"A{uuid.uuid4().hex[:6]}"
    admin.add_agent(sandbox.platform.settings.data_dir, number, "135790", "荀山村")
    ok = agent_device.post("/v1/agents/sign-in", json={"agent_number": number, "pin": "135790"})
    assert ok.status_code == 200 and ok.json()["offline_days"] == 7
    assert kiosk.post("/v1/agents/sign-in",
                      json={"agent_number": number, "pin": "135790"}).status_code == 403
    for _ in range(5):
        wrong = agent_device.post("/v1/agents/sign-in",
                                  json={"agent_number": number, "pin": "000000"})
        assert wrong.status_code == 401 and wrong.json()["code"] == "bad_credentials"
    locked = agent_device.post("/v1/agents/sign-in",
                               json={"agent_number": number, "pin": "135790"})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0


def test_worklist_for_signed_in_agents_only(sandbox, enrol) -> None:
    """Kiosks get 403, an agent device without a signed-in agent 403, an agent its village."""
    agent_device, kiosk = enrol("agent"), enrol("kiosk")
    assert kiosk.get("/v1/worklist").status_code == 403
    assert agent_device.get("/v1/worklist").status_code == 403
    number = f"W{uuid.uuid4().hex[:6]}"
    admin.add_agent(sandbox.platform.settings.data_dir, number, "246810", "荀山村")
    token = agent_device.post("/v1/agents/sign-in",
                              json={"agent_number": number, "pin": "246810"}).json()
    listing = agent_device.get("/v1/worklist", headers={"X-Agent-Token": token["agent_token"]})
    assert listing.status_code == 200
    doc = listing.json()
    residents = sandbox.platform.catalog.residents
    in_village = {r.ref: r for r in residents if r.village == "荀山村"}
    assert {r["resident_ref"] for r in doc["residents"]} == set(in_village)
    first = doc["residents"][0]
    expected = hashlib.sha256((doc["salt"] + in_village[first["resident_ref"]].id_number)
                              .encode()).hexdigest()
    assert first["id_hash"] == expected
    assert in_village[first["resident_ref"]].id_number not in listing.text
    assert any(r["eligible"] for r in doc["residents"])


def test_prefill_is_served_and_audited(sandbox, enrol) -> None:
    """Known residents get shared data inside their card session; unknown ones 404; every
    call leaves an access-log row naming the device, the session and the endpoint, and no
    ID number."""
    client = enrol()
    resident = sandbox.platform.catalog.residents[0]
    stranger = "11010519491231002X"
    code = apply_item(sandbox)
    with sandbox.platform.db.session() as conn:
        before = conn.execute("SELECT COUNT(*) FROM access_log").fetchone()[0]
    session = open_session(client, resident.id_number).json()["session_id"]
    answer = client.get(f"/v1/residents/{resident.id_number}/prefill",
                        params={"item_code": code}, headers={"X-Session-Id": session})
    assert answer.status_code == 200
    assert isinstance(answer.json()["fields"], dict)
    assert isinstance(answer.json()["exempt_materials"], list)
    opened = open_session(client, stranger)
    assert opened.status_code == 201 and opened.json()["resident_known"] is False
    missing = client.get(f"/v1/residents/{stranger}/prefill", params={"item_code": code},
                         headers={"X-Session-Id": opened.json()["session_id"]})
    assert missing.status_code == 404
    with sandbox.platform.db.session() as conn:
        rows = conn.execute("SELECT * FROM access_log ORDER BY id").fetchall()
    assert len(rows) == before + 2
    assert [(r["outcome"], r["session_id"]) for r in rows[-2:]] == [
        ("found", session), ("not_found", opened.json()["session_id"])]
    assert {r["device_id"] for r in rows[-2:]} == {client.device_id}
    assert {r["endpoint"] for r in rows[-2:]} == {"GET /v1/residents/{id_number}/prefill"}
    assert all(resident.id_number not in str(dict(row)) and stranger not in str(dict(row))
               for row in rows)


def test_heartbeat_is_kept_for_the_fleet_view(sandbox, enrol) -> None:
    """A heartbeat is answered with the server time and shows in `fleet`."""
    client = enrol()
    beat = {"app_version": "0.1.0", "uptime_s": 12.5, "clock_skew_s": -0.4,
            "queue": {"pending": 2, "dead": 1, "dead_ids": [str(uuid.uuid4())],
                      "oldest_pending_at": None},
            "devices": {"idcard": "ok", "smartcard": "absent",
                        "printer": {"state": "paper_out"},
                        "a4_printer": {"state": "ok", "reasons": []}},
            "last_sync_at": None}
    answer = client.post("/v1/heartbeat", json=beat)
    assert answer.status_code == 200 and "server_time" in answer.json()
    rows = {r["device_id"]: r for r in admin.fleet(sandbox.platform.settings.data_dir)}
    assert rows[client.device_id]["heartbeat"]["devices"]["printer"]["state"] == "paper_out"
    bad = client.post("/v1/heartbeat", json={**beat, "devices": {"printer": {"state": "on"}}})
    assert bad.status_code == 400


@pytest.mark.parametrize(("fault", "status"), [("error_503", 503), ("error_429", 429),
                                               ("error_500", 500)])
def test_injected_errors_carry_retry_after(enrol, control, fault: str, status: int) -> None:
    """Throttling faults answer with Retry-After; the sandbox controls themselves are spared."""
    client = enrol()
    control.put("/v1/_sandbox/faults", json={fault: 1.0, "retry_after_s": 7})
    answer = client.get("/v1/changes")
    assert answer.status_code == status
    if status != 500:
        assert answer.headers["retry-after"] == "7"
    assert control.get("/v1/_sandbox/counters").status_code == 200


def test_drop_after_commit_records_then_replays(sandbox, enrol, control) -> None:
    """A connection dropped after commit loses the answer, not the record: a resend replays."""
    client = enrol()
    put_signature(client)
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    control.put("/v1/_sandbox/faults", json={"drop_after": 1.0,
                                             "routes": ["/v1/submissions"]})
    with pytest.raises(httpx.TransportError):
        submit(client, body)
    control.put("/v1/_sandbox/faults", json={})
    again = submit(client, body)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"


def test_truncated_body_and_dropped_connection_are_transport_errors(enrol, control) -> None:
    """A truncated body and a connection dropped before handling fail at the client."""
    client = enrol()
    control.put("/v1/_sandbox/faults", json={"truncate": 1.0})
    with pytest.raises(httpx.TransportError):
        client.get("/v1/catalog")
    control.put("/v1/_sandbox/faults", json={"drop_before": 1.0})
    with pytest.raises(httpx.TransportError):
        client.get("/v1/changes")


def test_batch_can_be_switched_off(sandbox, enrol, control) -> None:
    """With batch disabled the batch endpoint answers 404, the single endpoint still works."""
    client = enrol()
    put_signature(client)
    control.patch("/v1/_sandbox/faults", json={"batch_disabled": True})
    body = submission(sandbox.platform.catalog.catalog, apply_item(sandbox))
    assert client.post("/v1/submissions:batch", json={"submissions": [body]}).status_code == 404
    assert submit(client, body).status_code == 201


def test_bad_fault_plans_are_refused(control) -> None:
    """Unknown faults and out-of-range fractions are 400, and the plan stays as it was."""
    assert control.put("/v1/_sandbox/faults", json={"explode": 1}).status_code == 400
    assert control.put("/v1/_sandbox/faults", json={"error_500": 2}).status_code == 400
    assert control.get("/v1/_sandbox/faults").json()["error_500"] == 0


def test_openapi_document_lists_the_api_but_not_the_controls(sandbox) -> None:
    """The served OpenAPI document has every endpoint of the spec and no sandbox controls."""
    doc = httpx.get(f"{sandbox.url}/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/v1/health", "/v1/devices/enroll", "/v1/catalog", "/v1/blobs/{sha256}",
                 "/v1/submissions", "/v1/submissions:batch", "/v1/submissions/{submission_id}",
                 "/v1/track/{submission_id}", "/v1/changes", "/v1/residents/{id_number}/prefill",
                 "/v1/sessions", "/v1/sessions/{session_id}",
                 "/v1/worklist", "/v1/agents/sign-in", "/v1/heartbeat",
                 "/v1/residents/{id_number}/eligible", "/v1/halls", "/v1/halls/{hall_id}/slots",
                 "/v1/appointments", "/v1/appointments/{appointment_id}",
                 "/v1/appointments/{appointment_id}/verify"):
        assert path in doc["paths"], path
    assert not any("_sandbox" in p for p in doc["paths"])


def _required(doc: dict, path: str, method: str, status: str) -> list[str]:
    schema = doc["paths"][path][method]["responses"][status]["content"]["application/json"][
        "schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema["required"])


def test_thinking_ahead_answers_carry_what_the_document_requires(sandbox, enrol) -> None:
    """"For you", halls, slots, a booking and its verification answer with every member the
    OpenAPI document requires (and the spec names), the halls' and slots' elements too."""
    doc = httpx.get(f"{sandbox.url}/v1/openapi.json").json()
    client = enrol()
    resident = next(r for r in sandbox.platform.catalog.residents if r.ref == "R001")
    session = {"X-Session-Id": open_session(client, resident.id_number).json()["session_id"]}
    item = "1133011000250201204005000017000"                   # 高龄津贴申领
    eligible = client.get(f"/v1/residents/{resident.id_number}/eligible", headers=session)
    assert set(_required(doc, "/v1/residents/{id_number}/eligible", "get", "200")) <= set(
        eligible.json())
    assert {"item_code", "reason", "due_by"} <= set(eligible.json()["eligible"][0])
    halls = client.get("/v1/halls", params={"item_code": item}).json()
    assert {"hall_id", "name", "address", "hours", "open_now", "waiting", "average_wait_min",
            "updated_at"} <= set(halls["halls"][0])
    hall_id = halls["halls"][0]["hall_id"]
    slots = client.get(f"/v1/halls/{hall_id}/slots", params={"item_code": item}).json()
    assert set(_required(doc, "/v1/halls/{hall_id}/slots", "get", "200")) <= set(slots)
    slot = next(s for s in slots["slots"] if s["free"] > 0)
    assert {"start", "end", "free"} <= set(slot)
    booked = client.post("/v1/appointments", headers={**session, "Idempotency-Key": "c-1"},
                         json={"hall_id": hall_id, "item_code": item,
                               "slot_start": slot["start"]})
    assert booked.status_code == 201, booked.text
    assert set(_required(doc, "/v1/appointments", "post", "201")) == set(booked.json())
    verified = httpx.get(booked.json()["verify_url"])
    assert set(_required(doc, "/v1/appointments/{appointment_id}/verify", "get", "200")) == \
        set(verified.json())
    cancelled = client.delete(f"/v1/appointments/{booked.json()['appointment_id']}",
                              headers=session)
    assert cancelled.status_code == 204


def test_access_log_holds_routes_not_id_numbers(sandbox, enrol, caplog) -> None:
    """Requests are logged by route pattern, so an ID number in a path never reaches the log."""
    client = enrol()
    resident = sandbox.platform.catalog.residents[0]
    with caplog.at_level("INFO", logger="central.access"):
        client.get(f"/v1/residents/{resident.id_number}/prefill",
                   params={"item_code": apply_item(sandbox)})
        # The server logs after answering: wait for its record rather than race it.
        deadline = time.monotonic() + 5
        while not any(r.name == "central.access" and r.ctx["route"].startswith("/v1/residents")
                      for r in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.01)
    records = [r for r in caplog.records if r.name == "central.access"]
    assert records[-1].ctx["route"] == "/v1/residents/{id_number}/prefill"
    assert all(resident.id_number not in r.getMessage() + str(r.ctx) for r in records)


def test_delays_outlast_a_short_client_time_out(enrol, control) -> None:
    """A delayed answer makes a client with a short read time-out give up (a transient)."""
    client = enrol()
    control.put("/v1/_sandbox/faults", json={"delay": 1.0, "delay_s": 0.5})
    with pytest.raises(httpx.ReadTimeout):
        client.get("/v1/changes", timeout=httpx.Timeout(5, read=0.1))
    control.put("/v1/_sandbox/faults", json={})
    assert client.get("/v1/changes").status_code == 200


def _documented(doc: dict, path: str, method: str, status: str) -> dict:
    """The schema of one documented JSON answer (components resolved)."""
    schema = doc["paths"][path][method]["responses"][status]["content"]["application/json"][
        "schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_video_help_answers_carry_what_the_document_requires(sandbox, enrol) -> None:
    """Clerk sign-in, config, placing, the queue, accepting, answering and the long poll
    answer with every member the OpenAPI document requires (the spec's), nothing more in a
    queue entry (it holds no personal data), and wait is capped at 25 in the document."""
    doc = httpx.get(f"{sandbox.url}/v1/openapi.json").json()
    number = f"K{uuid.uuid4().hex[:6]}"
    admin.add_clerk(sandbox.platform.settings.data_dir, number, "135790")
    signed = httpx.post(f"{sandbox.url}/v1/clerks/sign-in",
                        json={"clerk_number": number, "pin": "135790"})
    assert set(_documented(doc, "/v1/clerks/sign-in", "post", "200")["required"]) == \
        set(signed.json())
    clerk = httpx.Client(base_url=sandbox.url, timeout=10, headers={
        "Authorization": f"Bearer {signed.json()['clerk_token']}"})
    kiosk = enrol()
    with clerk:
        assert clerk.get("/v1/assist/queue").status_code == 200      # now on duty
        config = kiosk.get("/v1/assist/config").json()
        assert set(_documented(doc, "/v1/assist/config", "get", "200")["required"]) == \
            set(config) and config["available"] is True
        placed = kiosk.post("/v1/assist/calls", json={
            "offer": {"type": "offer", "sdp": "v=0\r\n"}, "language": "zh",
            "item_code": None, "session_id": None})
        assert placed.status_code == 201
        assert set(_documented(doc, "/v1/assist/calls", "post", "201")["required"]) == \
            set(placed.json())
        call_id = placed.json()["call_id"]
        entry = next(c for c in clerk.get("/v1/assist/queue").json()["calls"]
                     if c["call_id"] == call_id)
        queue = _documented(doc, "/v1/assist/queue", "get", "200")
        assert set(queue["properties"]["calls"]["items"]["required"]) == set(entry)
        accepted = clerk.post(f"/v1/assist/calls/{call_id}/accept")
        assert set(_documented(doc, "/v1/assist/calls/{call_id}/accept", "post", "200")[
            "required"]) <= set(accepted.json())
        answered = clerk.post(f"/v1/assist/calls/{call_id}/answer",
                              json={"answer": {"type": "answer", "sdp": "v=0\r\n"}})
        polled = kiosk.get(f"/v1/assist/calls/{call_id}", params={"wait": 1}).json()
        status_schema = _documented(doc, "/v1/assist/calls/{call_id}", "get", "200")
        assert set(status_schema["required"]) == set(polled) == set(answered.json())
        assert polled["status"] in status_schema["properties"]["status"]["enum"]
        wait = next(p for p in doc["paths"]["/v1/assist/calls/{call_id}"]["get"]["parameters"]
                    if p["name"] == "wait")
        assert wait["schema"]["maximum"] == 25
        assert kiosk.delete(f"/v1/assist/calls/{call_id}").status_code == 204
