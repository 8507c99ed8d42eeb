"""The schemas and building blocks of the sandbox's OpenAPI document (``central.openapi``):
the components every path refers to, and the small helpers that write a response or a body.
"""

from __future__ import annotations

from typing import Any

from civic.catalog.vocab import IdentityAssurance
from civic.submission import ConsentMethod, IdentityMethod

JSON = "application/json"
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": _ref("Problem")}}}


def _ok(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": schema}}}


_AUTH: list[dict[str, list[str]]] = [{"bearer": []}]
_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_COMMON = {"400": _problem("malformed request"), "401": _problem("token unknown or revoked"),
           "429": _problem("throttled; see Retry-After"),
           "503": _problem("unavailable; see Retry-After")}
_TEXT = {"type": "string"}
_TIME = {"type": "string", "format": "date-time"}
_STATUS = {"type": "string", "enum": ["received", "accepted", "in_review", "approved",
                                      "rejected", "completed"]}
_UUID = {"type": "string",
         "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}


def schemas() -> dict[str, Any]:
    i18n = {"type": "object", "required": ["zh", "en"],
            "properties": {"zh": _TEXT, "en": _TEXT}}
    applicant = {"type": "object",
                 "required": ["id_type", "identified_by", "id_number", "name", "gender",
                              "birth_date"],
                 "properties": {
                     "id_type": {"enum": ["resident", "foreign_permanent", "hmt_residence"]},
                     "identified_by": {"enum": ["id_card", "social_security_card",
                                                "agent_verified"]},
                     "id_number": _TEXT, "name": _TEXT, "gender": _TEXT,
                     "birth_date": {"type": "string", "format": "date"},
                     "address": {"type": ["string", "null"]}}}
    submission = {
        "type": "object",
        "required": ["submission_id", "item_code", "catalog_version", "channel", "created_at",
                     "applicant", "form", "attachments", "consent"],
        "properties": {
            "submission_id": {"type": "string", "format": "uuid"},
            "item_code": _TEXT, "catalog_version": _TEXT,
            "channel": {"enum": ["kiosk", "agent"]},
            "created_at": _TIME, "applicant": applicant,
            "form": {"type": "object"},
            "attachments": {"type": "array", "items": {
                "type": "object", "required": ["sha256", "size", "media_type", "role"],
                "properties": {"sha256": _SHA, "size": {"type": "integer", "minimum": 0},
                               "media_type": _TEXT,
                               "role": {"enum": ["signature", "document", "photo"]}}}},
            "agent": {"type": "object", "required": ["agent_id"],
                      "properties": {"agent_id": _TEXT}},
            "consent": {"type": "object",
                        "required": ["signed_at", "signature_sha256", "prefill_authorised"],
                        "properties": {
                            "signed_at": _TIME,
                            "method": {"enum": [str(m) for m in ConsentMethod]},
                            "signature_sha256": {"oneOf": [_SHA, {"type": "null"}]},
                            "prefill_authorised": {"type": "boolean"}}},
            "identity_check": {"oneOf": [{"type": "null"}, {
                "type": "object", "required": ["method", "at"],
                "properties": {
                    "method": {"enum": [str(m) for m in IdentityMethod]},
                    "check_id": {"type": ["string", "null"], "maxLength": 100},
                    "score": {"oneOf": [{"type": "number", "minimum": 0, "maximum": 1},
                                        {"type": "null"}]},
                    "at": _TIME}}]},
            "replaces": {"type": ["string", "null"], "format": "uuid"},
            "local_receipt": {"type": ["string", "null"], "maxLength": 50}}}
    status: dict[str, Any] = {
        "type": "object",
        "required": ["submission_id", "case_number", "status", "updated_at", "message"],
        "properties": {"submission_id": _TEXT, "case_number": {"type": ["string", "null"]},
                       "status": _STATUS, "updated_at": {"type": ["string", "null"]},
                       "message": _TEXT}}
    return {
        "Problem": {"type": "object", "required": ["type", "title", "status", "detail", "code"],
                    "properties": {"type": _TEXT, "title": _TEXT, "status": {"type": "integer"},
                                   "detail": _TEXT, "code": _TEXT,
                                   "fields": {"type": "object", "additionalProperties": i18n},
                                   "missing": {"type": "array", "items": _SHA}}},
        "I18n": i18n,
        "Record": {
            "type": "object",
            "required": ["record_id", "item_code", "title", "issued_at", "valid_until",
                         "holder", "rows", "verification_code", "verify_url", "signature"],
            "properties": {
                "record_id": _TEXT, "item_code": _TEXT, "title": i18n, "issued_at": _TIME,
                "valid_until": _TIME,
                "holder": {"type": "object", "required": ["name", "id_number"],
                           "properties": {"name": _TEXT, "id_number": _TEXT}},
                "rows": {"type": "array", "items": {
                    "type": "object", "required": ["label", "value"],
                    "properties": {"label": i18n, "value": _TEXT}}},
                "verification_code": {"type": "string", "minLength": 8, "maxLength": 8},
                "verify_url": _TEXT,
                "signature": {"type": "object", "required": ["alg", "key_id", "value"],
                              "properties": {"alg": {"const": "Ed25519"}, "key_id": _TEXT,
                                             "value": _TEXT}}}},
        "Submission": submission,
        "Accepted": {"type": "object",
                     "required": ["submission_id", "case_number", "status", "received_at"],
                     "properties": {"submission_id": _TEXT, "case_number": _TEXT,
                                    "status": {"const": "received"}, "received_at": _TIME}},
        "SubmissionStatus": status,
        "TrackingStatus": {**status, "properties": {**status["properties"], "status": {
            "enum": [*_STATUS["enum"], "rejected_on_receipt", "damaged_on_terminal",
                     "not_yet_received"]}}},
        "Item": {"type": "object",
                 "required": ["code", "name", "department", "item_type", "life_events", "mode",
                              "visits_required", "promised_days", "fee", "materials", "form",
                              "eligibility"],
                 "properties": {"code": _TEXT, "name": i18n,
                                "mode": {"enum": ["apply", "query_print", "agent_only"]},
                                "visits_required": {"enum": [0, 1]},
                                "materials": {"type": "array"},
                                "identity_assurance": {
                                    "enum": [str(a) for a in IdentityAssurance]}}},
    }


def queue_schema() -> dict[str, Any]:
    count = {"type": "integer", "minimum": 0}
    return {"type": "object", "required": ["pending", "dead"], "properties": {
        "pending": count, "dead": count, "dead_ids": {"type": "array"},
        "oldest_pending_at": {"type": ["string", "null"]},
        # applications the terminal accepted but can no longer read (spec: Damaged
        # applications); their tracking status becomes damaged_on_terminal
        "damaged": count,
        "damaged_ids": {"type": "array", "maxItems": 1000, "items": _UUID}}}


