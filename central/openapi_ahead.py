"""The OpenAPI paths and schemas of "Thinking ahead for the citizen" (platform-api.md):
"For you", the halls with their live queues, slots and appointments. Kept apart from
``central.openapi`` so that document's module stays a list of the core endpoints."""

from __future__ import annotations

from typing import Any

from central.appointments import AppointmentStatus
from central.openapi_schemas import (
    _AUTH,
    _COMMON,
    _TEXT,
    _TIME,
    _body,
    _ok,
    _problem,
    _ref,
)

_DAY = {"type": "string", "format": "date"}
_COUNT = {"type": "integer", "minimum": 0}


def ahead_schemas() -> dict[str, Any]:
    return {"Appointment": {
        "type": "object",
        "required": ["appointment_id", "hall_id", "item_code", "slot_start", "slot_end",
                     "ticket", "verify_url"],
        "properties": {"appointment_id": _TEXT, "hall_id": _TEXT, "item_code": _TEXT,
                       "slot_start": _TIME, "slot_end": _TIME,
                       "ticket": {"type": "string", "pattern": "^[A-Z][0-9]{4,}$"},
                       "verify_url": _TEXT}}}


def ahead_paths() -> dict[str, Any]:
    session = {"name": "X-Session-Id", "in": "header", "required": False, "schema": _TEXT}
    agent = {"name": "X-Agent-Token", "in": "header", "required": False, "schema": _TEXT}
    item = {"name": "item_code", "in": "query", "required": False, "schema": _TEXT}
    appointment_id = {"name": "appointment_id", "in": "path", "required": True,
                      "schema": _TEXT}
    i18n = _ref("I18n")
    no_session = _problem("no_session (no open session of this device for this resident), "
                          "or the agent's session invalid")
    return {
        "/v1/residents/{id_number}/eligible": {"get": {
            "operationId": "eligible", "security": _AUTH, "parameters": [
                {"name": "id_number", "in": "path", "required": True, "schema": _TEXT},
                session, agent],
            "responses": {"200": _ok("what the resident can apply for now, items with a due "
                                     "date first", {
                "type": "object", "required": ["generated_at", "eligible"],
                "properties": {"generated_at": _TIME, "eligible": {"type": "array", "items": {
                    "type": "object", "required": ["item_code", "reason", "due_by"],
                    "properties": {"item_code": _TEXT, "reason": i18n,
                                   "due_by": {"oneOf": [_DAY, {"type": "null"}]}}}}}}),
                "403": no_session, "404": _problem("resident_not_found"), **_COMMON}}},
        "/v1/halls": {"get": {
            "operationId": "halls", "security": _AUTH, "parameters": [item],
            "responses": {"200": _ok("the halls that handle the item (all without one), open "
                                     "ones by expected wait first, closed ones last", {
                "type": "object", "required": ["halls"], "properties": {"halls": {
                    "type": "array", "items": {
                        "type": "object",
                        "required": ["hall_id", "name", "address", "hours", "open_now",
                                     "waiting", "average_wait_min", "updated_at"],
                        "properties": {"hall_id": _TEXT, "name": i18n, "address": i18n,
                                       "hours": i18n, "open_now": {"type": "boolean"},
                                       "waiting": _COUNT, "average_wait_min": _COUNT,
                                       "updated_at": _TIME}}}}}),
                "404": _problem("item_not_found"), **_COMMON}}},
        "/v1/halls/{hall_id}/slots": {"get": {
            "operationId": "hallSlots", "security": _AUTH, "parameters": [
                {"name": "hall_id", "in": "path", "required": True, "schema": _TEXT}, item,
                {"name": "date", "in": "query", "required": False, "schema": _DAY}],
            "responses": {"200": _ok("the day's slots still to come with their free places "
                                     "(the next opening day without a date)", {
                "type": "object", "required": ["slots"], "properties": {
                    "hall_id": _TEXT, "date": {"oneOf": [_DAY, {"type": "null"}]},
                    "slots": {"type": "array", "items": {
                        "type": "object", "required": ["start", "end", "free"],
                        "properties": {"start": _TIME, "end": _TIME, "free": _COUNT}}}}}),
                "404": _problem("hall_not_found, item_not_found or item_not_handled"),
                **_COMMON}}},
        "/v1/appointments": {"post": {
            "operationId": "book", "security": _AUTH, "parameters": [
                session, agent,
                {"name": "Idempotency-Key", "in": "header", "required": True,
                 "schema": {"type": "string", "minLength": 1, "maxLength": 200}}],
            "requestBody": _body({"type": "object",
                                  "required": ["hall_id", "item_code", "slot_start"],
                                  "properties": {"hall_id": _TEXT, "item_code": _TEXT,
                                                 "slot_start": _TIME}}),
            "responses": {
                "201": _ok("booked (or replayed: Idempotent-Replayed: true)",
                           _ref("Appointment")),
                "403": no_session,
                "404": _problem("hall_not_found, item_not_found or item_not_handled"),
                "409": _problem("slot_full, or already_booked (with the open appointment as "
                                "appointment)"),
                "415": _problem("not JSON"),
                "422": _problem("idempotency_key_reused"), **_COMMON}}},
        "/v1/appointments/{appointment_id}": {"delete": {
            "operationId": "cancelAppointment", "security": _AUTH,
            "parameters": [appointment_id, session, agent],
            "responses": {"204": {"description": "cancelled"}, "403": no_session,
                          "404": _problem("unknown, another resident's or already cancelled"),
                          **_COMMON}}},
        "/v1/appointments/{appointment_id}/verify": {"get": {
            "operationId": "verifyAppointment", "security": [], "parameters": [
                appointment_id,
                {"name": "code", "in": "query", "required": True, "schema": _TEXT}],
            "responses": {"200": _ok("the appointment as its slip's QR shows it: nothing "
                                     "personal", {
                "type": "object",
                "required": ["appointment_id", "status", "valid", "hall_id", "item_code",
                             "slot_start", "slot_end", "ticket"],
                "properties": {"appointment_id": _TEXT,
                               "status": {"enum": [str(s) for s in AppointmentStatus]},
                               "valid": {"type": "boolean"}, "hall_id": _TEXT,
                               "item_code": _TEXT, "slot_start": _TIME, "slot_end": _TIME,
                               "ticket": _TEXT}}),
                "404": _problem("unknown appointment, or a wrong code")}}},
    }
