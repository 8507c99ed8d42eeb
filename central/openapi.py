"""The OpenAPI 3.1 document of the terminal API, served at /v1/openapi.json.

Written by hand from ../shared/specs/platform-api.md; the contract tests and schemathesis
check it against the live server. The sandbox's own controls are left out on purpose.
"""

from __future__ import annotations

from typing import Any

from central.face_checks import Challenge
from central.openapi_ahead import ahead_paths, ahead_schemas
from central.openapi_assist import assist_paths
from central.openapi_schemas import (  # the components, and helpers the paths share
    _AUTH,
    _COMMON,
    _SHA,
    _STATUS,
    _TEXT,
    _TIME,
    _body,
    _ok,
    _problem,
    _ref,
    queue_schema,
    schemas,
)
from civic.identity import IdentifiedBy


def openapi_document(server_url: str) -> dict[str, Any]:
    code_param = {"name": "sha256", "in": "path", "required": True, "schema": _SHA}
    sid_param = {"name": "submission_id", "in": "path", "required": True, "schema": _TEXT}
    # Not required in the schema: without it the platform answers 403 no_session.
    session_param = {"name": "X-Session-Id", "in": "header", "required": False,
                     "schema": _TEXT}
    agent_param = {"name": "X-Agent-Token", "in": "header", "required": False,
                   "schema": _TEXT}
    paths: dict[str, Any] = {
        "/v1/health": {"get": {"operationId": "health", "security": [], "responses": {
            "200": _ok("the platform is up", {
                "type": "object", "required": ["status", "version"],
                "properties": {"status": {"const": "ok"}, "version": _TEXT,
                               "extensions": {"type": "array", "items": _TEXT}}})}}},
        "/v1/devices/enroll": {"post": {
            "operationId": "enroll", "security": [],
            "requestBody": _body({"type": "object", "required": ["enrollment_code", "kind"],
                                  "properties": {
                                      "enrollment_code": _TEXT,
                                      "kind": {"enum": ["kiosk", "agent"]},
                                      "hostname": _TEXT, "app_version": _TEXT,
                                      "site": {"type": "object", "properties": {
                                          "region_code": {"type": "string",
                                                          "pattern": "^[0-9]{6}$"},
                                          "name": _TEXT}}}}),
            "responses": {"201": _ok("enrolled", {
                "type": "object", "required": ["device_id", "token", "kind", "platform_time",
                                               "tracking_url_template"],
                "properties": {"device_id": _TEXT, "token": _TEXT, "kind": _TEXT,
                               "platform_time": _TIME, "tracking_url_template": _TEXT}}),
                "400": _problem("malformed"), "403": _problem("enrollment_refused"),
                "415": _problem("not JSON")}}},
        "/v1/catalog": {"get": {"operationId": "catalog", "security": _AUTH, "parameters": [
            {"name": "If-None-Match", "in": "header", "required": False, "schema": _TEXT}],
            "responses": {"200": _ok("the catalog", {
                "type": "object", "required": ["version", "generated_at", "items"],
                "properties": {"version": _TEXT, "generated_at": _TEXT,
                               "items": {"type": "array", "items": _ref("Item")}}}),
                "304": {"description": "not modified"}, **_COMMON}}},
        "/v1/blobs/{sha256}": {
            "put": {"operationId": "putBlob", "security": _AUTH, "parameters": [code_param],
                    "requestBody": {"required": True, "content": {"*/*": {"schema": {
                        "type": "string", "format": "binary"}}}},
                    "responses": {"201": {"description": "stored (for this device)"},
                                  "200": {"description": "this device had stored it already"},
                                  "413": _problem("larger than 20 MiB"), **_COMMON}},
            "head": {"operationId": "headBlob", "security": _AUTH, "parameters": [code_param],
                     "responses": {"200": {"description": "stored, by or for this device"},
                                   "404": {"description": "not stored for this device"},
                                   **_COMMON}}},
        "/v1/submissions": {"post": {
            "operationId": "submit", "security": _AUTH,
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": True,
                            "schema": _TEXT}],
            "requestBody": _body(_ref("Submission")),
            "responses": {"201": _ok("received (or replayed: Idempotent-Replayed: true)",
                                     _ref("Accepted")),
                          "403": _problem("this device or agent may not submit this"),
                          "409": _problem("in_progress or missing_blobs"),
                          "413": _problem("too large"), "415": _problem("not JSON"),
                          "422": _problem("validation or idempotency_key_reused"), **_COMMON}}},
        "/v1/submissions:batch": {"post": {
            "operationId": "submitBatch", "security": _AUTH,
            "requestBody": _body({"type": "object", "required": ["submissions"], "properties": {
                "submissions": {"type": "array", "minItems": 1, "maxItems": 100,
                                "items": _ref("Submission")}}}),
            "responses": {"200": _ok("one result per submission, in order", {
                "type": "object", "required": ["results"], "properties": {"results": {
                    "type": "array", "items": {
                        "type": "object", "required": ["submission_id", "status", "body"],
                        "properties": {"submission_id": {"type": ["string", "null"]},
                                       "status": {"type": "integer"},
                                       "body": {"type": "object"},
                                       "replayed": {"type": "boolean"}}}}}}),
                "404": _problem("batch not offered"), "413": _problem("too large"),
                "415": _problem("not JSON"), **_COMMON}}},
        "/v1/submissions/{submission_id}": {"get": {
            "operationId": "submissionStatus", "security": _AUTH, "parameters": [sid_param],
            "responses": {"200": _ok("status", _ref("SubmissionStatus")),
                          "403": _problem("sent by another device"),
                          "404": _problem("unknown"), **_COMMON}}},
        "/v1/track/{submission_id}": {"get": {
            "operationId": "track", "security": [], "parameters": [sid_param],
            "responses": {"200": _ok("public status", _ref("TrackingStatus")),
                          "404": _problem("not a submission id")}}},
        "/v1/changes": {"get": {
            "operationId": "changes", "security": _AUTH, "parameters": [
                {"name": "after", "in": "query", "required": False, "schema": _TEXT},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
            "responses": {"200": _ok("changes after the cursor", {
                "type": "object", "required": ["changes", "next"], "properties": {
                    "next": _TEXT, "changes": {"type": "array", "items": {
                        "type": "object", "required": ["cursor", "submission_id", "case_number",
                                                       "status", "message", "at"],
                        "properties": {"cursor": _TEXT, "submission_id": _TEXT,
                                       "case_number": _TEXT, "status": _STATUS,
                                       "message": _TEXT, "at": _TIME}}}}}), **_COMMON}}},
        "/v1/sessions": {"post": {
            "operationId": "openSession", "security": _AUTH, "parameters": [agent_param],
            "requestBody": _body({
                "type": "object", "required": ["id_number", "identified_by", "card_digest"],
                "properties": {"id_number": {"type": "string", "maxLength": 32},
                               "identified_by": {"enum": [str(b) for b in IdentifiedBy]},
                               "card_digest": {"oneOf": [_SHA, {"type": "null"}]}}}),
            "responses": {"201": _ok("opened (the device's or agent's previous one closed)", {
                "type": "object", "required": ["session_id", "expires_at", "resident_known"],
                "properties": {"session_id": _TEXT, "expires_at": _TIME,
                               "resident_known": {"type": "boolean"}}}),
                "403": _problem("agent_sign_in_required, agent_token_invalid, outside_area, "
                                "or forbidden (a kiosk asking for agent_verified)"),
                "415": _problem("not JSON"),
                "429": _problem("session_rate (Retry-After: until the oldest session of the "
                                "window ages out), or throttled"),
                **{k: v for k, v in _COMMON.items() if k != "429"}}}},
        "/v1/sessions/{session_id}": {"delete": {
            "operationId": "closeSession", "security": _AUTH, "parameters": [
                {"name": "session_id", "in": "path", "required": True, "schema": _TEXT}],
            "responses": {"204": {"description": "closed"},
                          "404": _problem("unknown, another device's, or already closed"),
                          **_COMMON}}},
        "/v1/residents/{id_number}/prefill": {"get": {
            "operationId": "prefill", "security": _AUTH, "parameters": [
                {"name": "id_number", "in": "path", "required": True, "schema": _TEXT},
                {"name": "item_code", "in": "query", "required": True, "schema": _TEXT},
                session_param, agent_param],
            "responses": {"200": _ok("shared data", {
                "type": "object", "required": ["fields", "exempt_materials"],
                "properties": {"fields": {"type": "object"},
                               "exempt_materials": {"type": "array", "items": _TEXT}}}),
                "403": _problem("no_session (no open session of this device for this "
                                "resident), or the agent's session invalid"),
                "404": _problem("nothing held"), **_COMMON}}},
        "/v1/residents/{id_number}/records": {"get": {
            "operationId": "records", "security": _AUTH, "parameters": [
                {"name": "id_number", "in": "path", "required": True, "schema": _TEXT},
                {"name": "item_code", "in": "query", "required": True, "schema": _TEXT},
                session_param, agent_param],
            "responses": {"200": _ok("the certified record, signed", _ref("Record")),
                          "403": _problem("no_session (no open session of this device for "
                                          "this resident), or the agent's session invalid"),
                          "404": _problem("no such record for this resident"), **_COMMON}}},
        "/v1/identity/face-checks": {"post": {
            "operationId": "faceCheck", "security": _AUTH, "parameters": [session_param],
            "requestBody": _body({
                "type": "object", "required": ["image_sha256", "liveness"],
                "properties": {"image_sha256": _SHA, "liveness": {
                    "type": "object", "required": ["challenge", "passed", "frames"],
                    "properties": {"challenge": {"enum": [str(c) for c in Challenge]},
                                   "passed": {"const": True},
                                   "frames": {"type": "integer", "minimum": 1}}}}}),
            "responses": {"200": _ok("compared with the resident's registry photo; the image "
                                     "is deleted", {
                "type": "object",
                "required": ["check_id", "match", "score", "threshold", "reference"],
                "properties": {"check_id": _TEXT, "match": {"type": "boolean"},
                               "score": {"type": "number", "minimum": 0, "maximum": 1},
                               "threshold": {"type": "number", "minimum": 0, "maximum": 1},
                               "reference": {"const": "population_registry"}}}),
                "403": _problem("no_session (no open session of this device)"),
                "404": _problem("no_reference: no photo of the session's resident"),
                "409": _problem("missing_blobs: upload the image first"),
                "413": _problem("image_too_large (over 300 KB)"),
                "415": _problem("bad_image (not image/jpeg), or not JSON"),
                "422": _problem("no_face: no single clear face (none, several, too small)"),
                "429": _problem("too_many_checks (5 a session; final), or throttled"),
                **{k: v for k, v in _COMMON.items() if k != "429"}}}},
        "/v1/keys": {"get": {
            "operationId": "keys", "security": [], "responses": {"200": _ok(
                "the keys that sign certified records", {
                    "type": "object", "required": ["keys"], "properties": {"keys": {
                        "type": "array", "items": {
                            "type": "object",
                            "required": ["key_id", "alg", "public_key", "not_after"],
                            "properties": {"key_id": _TEXT, "alg": {"const": "Ed25519"},
                                           "public_key": _TEXT, "not_after": _TIME}}}}})}}},
        "/v1/verify/{record_id}": {"get": {
            "operationId": "verifyRecord", "security": [], "parameters": [
                {"name": "record_id", "in": "path", "required": True, "schema": _TEXT},
                {"name": "code", "in": "query", "required": True, "schema": _TEXT}],
            "responses": {"200": _ok("the record is genuine (the masked holder only)", {
                "type": "object",
                "required": ["valid", "title", "issued_at", "valid_until", "holder_masked"],
                "properties": {"valid": {"const": True}, "title": _ref("I18n"),
                               "issued_at": _TIME, "valid_until": _TIME,
                               "holder_masked": _TEXT}}),
                "404": _problem("unknown record, or a wrong code")}}},
        "/v1/worklist": {"get": {
            "operationId": "worklist", "security": _AUTH, "parameters": [
                {"name": "X-Agent-Token", "in": "header", "required": False, "schema": _TEXT}],
            "responses": {"200": _ok("the agent's residents", {
                "type": "object", "required": ["generated_at", "valid_until", "salt",
                                               "residents"],
                "properties": {"generated_at": _TIME, "valid_until": _TIME, "salt": _TEXT,
                               "residents": {"type": "array", "items": {
                                   "type": "object",
                                   "required": ["resident_ref", "name_masked", "id_hash",
                                                "village", "eligible"],
                                   "properties": {"id_hash": _SHA, "eligible": {
                                       "type": "array", "items": {
                                           "type": "object",
                                           "required": ["item_code", "reason"]}}}}}}}),
                "403": _problem("not an agent device, or no agent signed in"), **_COMMON}}},
        "/v1/agents/sign-in": {"post": {
            "operationId": "agentSignIn", "security": _AUTH,
            "requestBody": _body({"type": "object", "required": ["agent_number", "pin"],
                                  "properties": {"agent_number": _TEXT, "pin": _TEXT}}),
            "responses": {"200": _ok("signed in", {
                "type": "object", "required": ["agent_id", "display_name", "area",
                                               "agent_token", "offline_days"],
                "properties": {"agent_id": _TEXT, "display_name": _TEXT, "area": _TEXT,
                               "agent_token": _TEXT, "offline_days": {"type": "integer"}}}),
                "401": _problem("bad_credentials (or the device token is unknown)"),
                "403": _problem("not an agent device"), "415": _problem("not JSON"),
                "400": _problem("malformed"), "429": _problem("too many attempts"),
                "503": _problem("unavailable")}}},
        **ahead_paths(),      # thinking ahead for the citizen (central.openapi_ahead)
        "/v1/heartbeat": {"post": {
            "operationId": "heartbeat", "security": _AUTH,
            "requestBody": _body({"type": "object",
                                  "required": ["app_version", "uptime_s", "clock_skew_s",
                                               "queue", "devices"],
                                  "properties": {"app_version": _TEXT,
                                                 "uptime_s": {"type": "number"},
                                                 "clock_skew_s": {"type": "number"},
                                                 "queue": queue_schema(),
                                                 "devices": {"type": "object"},
                                                 "last_sync_at": {"type": ["string", "null"]}}}),
            "responses": {"200": _ok("recorded", {
                "type": "object", "required": ["server_time", "config"],
                "properties": {"server_time": _TIME, "config": {"type": "object"}}}),
                "415": _problem("not JSON"), **_COMMON}}},
        **assist_paths(),     # video help from a clerk (central.openapi_assist)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Terminal API of the provincial service platform (sandbox)",
                 "version": "1",
                 "description": "The integration contract between self-service terminals "
                                "and the central platform; see platform-api.md."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": {**schemas(), **ahead_schemas()},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": _AUTH,
    }
