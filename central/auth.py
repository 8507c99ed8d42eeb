"""Devices, their bearer tokens, enrolment codes and agents' session tokens.

Tokens are random and stored only as SHA-256 hashes, so a copy of the database does not
let anyone act as a terminal.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass

from central.errors import Forbidden, Unauthorized
from central.http.messages import Request

# No 0/O or 1/I/L: a technician types the code from a printout.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrollment_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    raw = code.strip().upper().replace("-", "").replace(" ", "")
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


@dataclass(frozen=True)
class Device:
    device_id: str
    kind: str
    region_code: str


@dataclass(frozen=True)
class Agent:
    agent_id: str
    display_name: str
    area: str


def authenticate(conn: sqlite3.Connection, request: Request) -> Device:
    header = request.header("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("token_missing", "send Authorization: Bearer <device token>")
    row = conn.execute("SELECT device_id, kind, region_code, revoked_at FROM devices "
                       "WHERE token_hash = ?", (token_hash(token.strip()),)).fetchone()
    if row is None:
        raise Unauthorized("token_unknown", "this device token is not known; enrol the "
                                            "terminal again")
    if row["revoked_at"] is not None:
        raise Unauthorized("token_revoked", "this device's token was revoked; enrol the "
                                            "terminal again")
    return Device(row["device_id"], row["kind"], row["region_code"] or "330000")


def agent_of(conn: sqlite3.Connection, request: Request, device: Device, now: str,
             *, required: bool) -> Agent | None:
    """The signed-in agent named by X-Agent-Token on this device, if any."""
    token = (request.header("x-agent-token") or "").strip()
    if not token:
        if required:
            raise Forbidden("agent_sign_in_required", "an agent must sign in on this terminal "
                                                      "first (X-Agent-Token)")
        return None
    row = conn.execute(
        "SELECT a.agent_id, a.display_name, a.area, t.device_id, t.expires_at FROM agent_tokens t "
        "JOIN agents a USING (agent_id) WHERE t.token_hash = ?", (token_hash(token),)).fetchone()
    if row is None or row["device_id"] != device.device_id or row["expires_at"] <= now:
        raise Forbidden("agent_token_invalid", "the agent's session is unknown or has expired; "
                                               "sign in again")
    return Agent(row["agent_id"], row["display_name"], row["area"])


def require_kind(device: Device, kind: str) -> None:
    if device.kind != kind:
        raise Forbidden("wrong_device_kind", f"only {kind} terminals may do this")
