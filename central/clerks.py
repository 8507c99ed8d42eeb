"""Hall clerks who answer citizens' video calls: their accounts, their tokens, and who is on
duty (platform-api.md, "Video help from a clerk").

A clerk signs in with a number and a PIN (``central.api.clerks``) and receives a token that
lasts one shift (:data:`CLERK_TOKEN_HOURS`); like device tokens it is stored only as its
SHA-256 (``central.auth.token_hash``), so a copy of the database lets nobody answer calls.

A clerk is **on duty** while signed in and their console has polled the queue within the
last :data:`ON_DUTY_WINDOW_S` seconds. That presence is kept in memory (:class:`DutyRoster`):
it is a fact about the last minute, which a restart forgets harmlessly because a console
polls again within seconds, and writing it to SQLite on every poll of every console would
put a write transaction behind each one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from typing import Final

from central.auth import new_token, token_hash
from central.clock import rfc3339
from central.db import write
from central.errors import Unauthorized
from central.http.messages import Request

CLERK_TOKEN_HOURS: Final = 12
ON_DUTY_WINDOW_S: Final = 60
#: sign-in attempts share the agents' table (central.api.agents); this prefix keeps a clerk
#: number from ever sharing a count with an agent number of the same text
ATTEMPT_PREFIX: Final = "clerk:"


class ClerkExists(ValueError):
    """A clerk with this number exists already."""


@dataclass(frozen=True)
class Clerk:
    clerk_id: str
    display_name: str
    token_expires_at: dt.datetime


def add_clerk(conn: sqlite3.Connection, number: str, pin_hash: str, display_name: str,
              now: dt.datetime) -> str:
    """Create a clerk; the caller hashed the PIN (``civic.pin``). :class:`ClerkExists`."""
    clerk_id = f"clerk-{uuid.uuid4().hex[:10]}"
    with write(conn):
        if conn.execute("SELECT 1 FROM clerks WHERE number = ?", (number,)).fetchone():
            raise ClerkExists(f"a clerk with number {number} exists already")
        conn.execute("INSERT INTO clerks (clerk_id, number, display_name, pin_hash, "
                     "created_at) VALUES (?, ?, ?, ?, ?)",
                     (clerk_id, number, display_name, pin_hash, rfc3339(now)))
    return clerk_id


def issue_token(conn: sqlite3.Connection, clerk_id: str, now: dt.datetime) -> str:
    """Inside the caller's write transaction: a new shift-long token for the clerk."""
    token = new_token()
    conn.execute("INSERT INTO clerk_tokens (token_hash, clerk_id, issued_at, expires_at) "
                 "VALUES (?, ?, ?, ?)",
                 (token_hash(token), clerk_id, rfc3339(now),
                  rfc3339(now + dt.timedelta(hours=CLERK_TOKEN_HOURS))))
    return token


def bearer_token(request: Request) -> str | None:
    header = request.header("authorization") or ""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def clerk_by_token(conn: sqlite3.Connection, token: str, now: dt.datetime) -> Clerk | None:
    """The clerk whose unexpired token this is, or None (unknown or expired)."""
    row = conn.execute("SELECT c.clerk_id, c.display_name, t.expires_at FROM clerk_tokens t "
                       "JOIN clerks c USING (clerk_id) WHERE t.token_hash = ?",
                       (token_hash(token),)).fetchone()
    if row is None or row["expires_at"] <= rfc3339(now):
        return None
    expires = dt.datetime.fromisoformat(row["expires_at"].replace("Z", "+00:00"))
    return Clerk(row["clerk_id"], row["display_name"], expires)


def require_clerk(conn: sqlite3.Connection, request: Request, now: dt.datetime) -> Clerk:
    """The signed-in clerk who sent ``request``, or ``401`` (sign in again)."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("token_missing", "send Authorization: Bearer <clerk token>")
    clerk = clerk_by_token(conn, token, now)
    if clerk is None:
        raise Unauthorized("clerk_token_invalid", "this clerk token is unknown or its shift "
                                                  "has ended; sign in again")
    return clerk


class DutyRoster:
    """When each clerk's console last polled the queue, on the platform's clock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._polled: dict[str, tuple[dt.datetime, dt.datetime]] = {}

    def polled(self, clerk: Clerk, now: dt.datetime) -> None:
        with self._lock:
            self._polled[clerk.clerk_id] = (now, clerk.token_expires_at)

    def on_duty(self, now: dt.datetime) -> int:
        """How many clerks are on duty at ``now``."""
        since = now - dt.timedelta(seconds=ON_DUTY_WINDOW_S)
        with self._lock:
            return sum(1 for polled, expires in self._polled.values()
                       if since <= polled <= now and expires > now)
