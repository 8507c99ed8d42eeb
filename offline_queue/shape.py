"""The shape of a platform-API Submission: required fields and their types, not form values.

Form values are checked by the screens against the catalog and then by the platform; the
outbox only refuses what could never be delivered (a missing applicant, a bad sha256...).
"""

from __future__ import annotations

import math
import os
import re
import time
import uuid
from typing import Any

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
ROLES = ("signature", "document", "photo")


def uuid7() -> str:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit milliseconds, then randomness."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)          # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)          # RFC 4122 variant
    return str(uuid.UUID(int=value))


#: how deep a submission's JSON may nest: real forms are a few levels deep, and a value
#: nested thousands deep only exhausts the stack of whoever parses it
MAX_DEPTH = 32
NIL_UUID = str(uuid.UUID(int=0))


def _is_uuid(value: Any) -> bool:
    """A canonical UUID: lower-case, hyphenated, no braces, not the nil UUID. The id is the
    idempotency key: two spellings of one id would be two submissions to the platform."""
    if not isinstance(value, str):
        return False
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        return False
    return value == canonical and value != NIL_UUID


def json_problem(value: Any) -> str | None:
    """Why ``value`` is not plain, finite JSON of at most :data:`MAX_DEPTH` levels (None:
    it is). NaN and infinities are not JSON, and the platform could not read them."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:                  # iterative: a deep value must not exhaust our own stack
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"is nested more than {MAX_DEPTH} levels deep"
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                return "has a key that is not text"
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, float) and not math.isfinite(node):
            return "holds a number that is not finite (NaN or infinity)"
        elif not (node is None or isinstance(node, str | int | float)):
            return f"holds a {type(node).__name__}, which is not JSON"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def shape_problems(sub: dict[str, Any]) -> dict[str, str]:
    """Every problem by field path; empty when the submission is well-formed."""
    p: dict[str, str] = {}
    if not _is_uuid(sub.get("submission_id")):
        p["submission_id"] = "must be a canonical lower-case UUID (not the nil UUID)"
    for key in ("item_code", "catalog_version", "created_at"):
        if not _text(sub.get(key)):
            p[key] = "must be non-empty text"
    if sub.get("channel") not in ("kiosk", "agent"):
        p["channel"] = "must be kiosk or agent"
    applicant = sub.get("applicant")
    if not isinstance(applicant, dict):
        p["applicant"] = "must be an object"
    else:
        for key in ("id_type", "identified_by", "id_number", "name", "gender", "birth_date"):
            if not _text(applicant.get(key)):
                p[f"applicant.{key}"] = "must be non-empty text"
        if not (applicant.get("address") is None or isinstance(applicant.get("address"), str)):
            p["applicant.address"] = "must be text or null"
    if not isinstance(sub.get("form"), dict):
        p["form"] = "must be an object"
    for key, value in sub.items():
        problem = json_problem(value)
        if problem:
            p.setdefault(key, problem)
    attachments = sub.get("attachments", [])
    if not isinstance(attachments, list):
        p["attachments"] = "must be a list"
    else:
        for i, att in enumerate(attachments):
            ok = (isinstance(att, dict) and isinstance(att.get("sha256"), str)
                  and SHA256_HEX.match(att["sha256"]) is not None
                  and isinstance(att.get("size"), int) and not isinstance(att["size"], bool)
                  and att["size"] >= 0 and _text(att.get("media_type"))
                  and att.get("role") in ROLES)
            if not ok:
                p[f"attachments[{i}]"] = "needs sha256 (hex), size, media_type and role"
    if sub.get("channel") == "agent":
        agent = sub.get("agent")
        if not (isinstance(agent, dict) and _text(agent.get("agent_id"))):
            p["agent.agent_id"] = "the agent channel needs agent.agent_id"
    consent = sub.get("consent")
    if not isinstance(consent, dict):
        p["consent"] = "must be an object"
    else:
        if not _text(consent.get("signed_at")):
            p["consent.signed_at"] = "must be non-empty text"
        sig = consent.get("signature_sha256")
        if not (isinstance(sig, str) and SHA256_HEX.match(sig)):
            p["consent.signature_sha256"] = "must be a lower-case hex sha256"
        if not isinstance(consent.get("prefill_authorised"), bool):
            p["consent.prefill_authorised"] = "must be true or false"
    if not (sub.get("replaces") is None or _is_uuid(sub.get("replaces"))):
        p["replaces"] = "must be a submission id or null"
    receipt = sub.get("local_receipt")
    if not (receipt is None or (isinstance(receipt, str) and len(receipt) <= 50)):
        p["local_receipt"] = "must be text of at most 50 characters"
    return p
