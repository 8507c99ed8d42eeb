"""The OpenAPI paths of video help from a clerk (platform-api.md, "Video help from a
clerk"), merged into ``central.openapi``'s document.

``wait`` is capped at 25 in the schema as on the server, so a fuzzer's longest request
answers within its time-out. The clerk's endpoints take a clerk's bearer token (from
``POST /v1/clerks/sign-in``); a terminal's token there is ``403 clerks_only``.
"""

from __future__ import annotations

from typing import Any

from central.openapi_schemas import _AUTH, _COMMON, _TEXT, _body, _ok, _problem, _ref
from civic.assist import MAX_WAIT_S, CallPhase, EndReason

_SDP = {"type": "string", "minLength": 1, "maxLength": 64 * 1024}


def _description(kind: str) -> dict[str, Any]:
    return {"type": "object", "required": ["type", "sdp"],
            "properties": {"type": {"const": kind}, "sdp": _SDP}}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [{"type": "null"}, schema]}


def _call_status() -> dict[str, Any]:
    reasons = [str(r) for r in EndReason if r.by_platform]
    return {"type": "object",
            "required": ["call_id", "status", "queue_position", "answer", "clerk",
                         "ended_reason"],
            "properties": {
                "call_id": _TEXT, "status": {"enum": [str(p) for p in CallPhase]},
                "queue_position": {"type": "integer", "minimum": 0},
                "answer": _nullable(_description("answer")),
                "clerk": _nullable({"type": "object", "required": ["display_name"],
                                    "properties": {"display_name": _TEXT}}),
                "ended_reason": {"enum": [None, *reasons]}}}


def assist_paths() -> dict[str, Any]:
    call_id = {"name": "call_id", "in": "path", "required": True, "schema": _TEXT}
    ice = {"type": "array", "items": {
        "type": "object", "required": ["urls"],
        "properties": {"urls": {"type": "array", "items": _TEXT}, "username": _TEXT,
                       "credential": _TEXT}}}
    not_found = _problem("no such call for this caller (a terminal sees only its own)")
    conflict = _problem("taken (another clerk has it) or ended")
    clerk_auth = {"401": _problem("no clerk token, or unknown, or its shift ended"),
                  "403": _problem("clerks_only: a terminal's token")}
    return {
        "/v1/clerks/sign-in": {"post": {
            "operationId": "clerkSignIn", "security": [],
            "requestBody": _body({"type": "object", "required": ["clerk_number", "pin"],
                                  "properties": {"clerk_number": _TEXT, "pin": _TEXT}}),
            "responses": {"200": _ok("signed in for one shift", {
                "type": "object", "required": ["clerk_token", "display_name"],
                "properties": {"clerk_token": _TEXT, "display_name": _TEXT}}),
                "400": _problem("malformed"), "401": _problem("bad_credentials"),
                "415": _problem("not JSON"),
                "429": _problem("too_many_attempts (Retry-After)")}}},
        "/v1/assist/config": {"get": {
            "operationId": "assistConfig", "security": _AUTH,
            "responses": {"200": _ok("whether a clerk is on duty, the hours, ICE servers", {
                "type": "object", "required": ["available", "hours", "waiting",
                                               "ice_servers"],
                "properties": {"available": {"type": "boolean"}, "hours": _ref("I18n"),
                               "waiting": {"type": "integer", "minimum": 0},
                               "ice_servers": ice}}), **_COMMON}}},
        "/v1/assist/calls": {"post": {
            "operationId": "placeCall", "security": _AUTH,
            "requestBody": _body({
                "type": "object", "required": ["offer"],
                "properties": {"offer": _description("offer"),
                               "language": {"enum": ["zh", "en"]},
                               "item_code": {"type": ["string", "null"], "maxLength": 64},
                               "session_id": {"type": ["string", "null"], "maxLength": 64}}}),
            "responses": {"201": _ok("waiting for a clerk (the device's previous call ended: "
                                     "replaced)", {
                "type": "object", "required": ["call_id", "status", "queue_position"],
                "properties": {"call_id": _TEXT, "status": {"const": "waiting"},
                               "queue_position": {"type": "integer", "minimum": 1}}}),
                "415": _problem("not JSON"),
                "503": _problem("no_clerks: nobody on duty (Retry-After), or unavailable"),
                **{k: v for k, v in _COMMON.items() if k != "503"}}}},
        "/v1/assist/calls/{call_id}": {
            "get": {"operationId": "callStatus", "security": _AUTH, "parameters": [
                call_id, {"name": "wait", "in": "query", "required": False,
                          "schema": {"type": "number", "minimum": 0, "maximum": MAX_WAIT_S}}],
                "responses": {"200": _ok("the call, once it changed or after wait seconds "
                                         "(device or clerk token)", _call_status()),
                              "404": not_found, **_COMMON}},
            "delete": {"operationId": "hangUp", "security": _AUTH, "parameters": [call_id],
                       "responses": {"204": {"description": "hung up (or had ended)"},
                                     "403": _problem("not_your_call: a clerk who did not take it"),
                                     "404": not_found, **_COMMON}}},
        "/v1/assist/queue": {"get": {
            "operationId": "assistQueue", "security": _AUTH,
            "responses": {"200": _ok("waiting calls, first first; no personal data. Keeps "
                                     "the clerk on duty for 60 s", {
                "type": "object", "required": ["calls"], "properties": {"calls": {
                    "type": "array", "items": {
                        "type": "object",
                        "required": ["call_id", "site_name", "device_kind", "language",
                                     "item_code", "waited_s"],
                        "additionalProperties": False,
                        "properties": {"call_id": _TEXT, "site_name": _TEXT,
                                       "device_kind": {"enum": ["kiosk", "agent"]},
                                       "language": {"enum": ["zh", "en"]},
                                       "item_code": {"type": ["string", "null"]},
                                       "waited_s": {"type": "integer", "minimum": 0}}}}}}),
                **clerk_auth}}},
        "/v1/assist/calls/{call_id}/accept": {"post": {
            "operationId": "acceptCall", "security": _AUTH, "parameters": [call_id],
            "responses": {"200": _ok("taken: the offer and the ICE servers", {
                "type": "object", "required": ["offer", "ice_servers"],
                "properties": {"call_id": _TEXT, "offer": _description("offer"),
                               "ice_servers": ice}}),
                "404": not_found, "409": conflict, **clerk_auth}}},
        "/v1/assist/calls/{call_id}/answer": {"post": {
            "operationId": "answerCall", "security": _AUTH, "parameters": [call_id],
            "requestBody": _body({"type": "object", "required": ["answer"],
                                  "properties": {"answer": _description("answer")}}),
            "responses": {"200": _ok("answered", _call_status()),
                          "400": _problem("malformed"), "404": not_found,
                          "409": _problem("ended, or not_accepted by this clerk, or "
                                          "answered already"),
                          "415": _problem("not JSON"), **clerk_auth}}},
    }
