"""Card sessions: shared data is lent to a terminal only while a resident's card is on it.

platform-api.md, "Access to shared data is bound to a card session". A session names one
resident (by :func:`central.access_log.resident_hash`), lives at most
:data:`SESSION_MINUTES`, and a kiosk holds one at a time (an agent device one per signed-in
agent): opening a session closes the one before it. Opening is limited over a rolling
window per device (:class:`SessionLimits`).

The limit is counted the way sign-in attempts are (``central.api.agents``): one
``BEGIN IMMEDIATE`` transaction counts the device's sessions in the window, refuses at the
limit, and inserts the new one, so parallel requests can never open more than the limit.

:func:`require_session` is the one check every read that needs a session makes (prefill
now; records, eligible, face checks and appointments later).
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Final

from central.clock import rfc3339
from central.db import write
from central.errors import BadRequest, Forbidden, Throttled

SESSION_MINUTES: Final = 15
#: the header that names the session on every read that needs one
SESSION_HEADER: Final = "x-session-id"
#: a device past this share of its limit is flagged in ``kiosk central fleet``
NEAR_LIMIT: Final = 0.8


@dataclass(frozen=True)
class SessionLimits:
    """How many sessions a device may open in its rolling window (spec defaults)."""

    kiosk_per_hour: int = 60
    agent_per_day: int = 200

    def __post_init__(self) -> None:
        if self.kiosk_per_hour < 1 or self.agent_per_day < 1:
            raise ValueError("session limits are whole numbers of at least 1")

    @classmethod
    def parse(cls, text: str) -> SessionLimits:
        """``KIOSK_PER_HOUR,AGENT_PER_DAY`` (``--session-limits``); ValueError otherwise."""
        kiosk, sep, agent = text.partition(",")
        if not sep:
            raise ValueError("use KIOSK_PER_HOUR,AGENT_PER_DAY, e.g. 60,200")
        return cls(int(kiosk), int(agent))

    def __str__(self) -> str:
        return f"{self.kiosk_per_hour},{self.agent_per_day}"

    def window(self, kind: str) -> tuple[int, dt.timedelta]:
        """The limit and the window for a device of ``kind``."""
        if kind == "agent":
            return self.agent_per_day, dt.timedelta(hours=24)
        return self.kiosk_per_hour, dt.timedelta(minutes=60)


def save_limits(conn: sqlite3.Connection, limits: SessionLimits) -> None:
    """Kept in the database so that the operator commands (which run without the server)
    judge devices against the limits the server enforces."""
    with write(conn):
        conn.execute("INSERT INTO sandbox_values VALUES ('session_limits', ?) "
                     "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (str(limits),))


def load_limits(conn: sqlite3.Connection) -> SessionLimits:
    row = conn.execute("SELECT value FROM sandbox_values WHERE name = 'session_limits'"
                       ).fetchone()
    return SessionLimits.parse(row["value"]) if row else SessionLimits()


@dataclass(frozen=True)
class OpenSession:
    session_id: str
    expires_at: str
    agent_id: str | None


@dataclass(frozen=True)
class SessionRequest:
    """What ``POST /v1/sessions`` asks for, checked (the resident already hashed)."""

    device_id: str
    device_kind: str
    agent_id: str | None
    resident_hash: str
    identified_by: str
    card_digest: str | None


def open_session(conn: sqlite3.Connection, asked: SessionRequest, now: dt.datetime,
                 limits: SessionLimits) -> OpenSession:
    """Open a session, closing this device's (or this agent's) open one; :class:`Throttled`
    ``session_rate`` with ``Retry-After`` when the window is full."""
    limit, window = limits.window(asked.device_kind)
    stamp = rfc3339(now)
    with write(conn):
        rows = conn.execute(
            "SELECT opened_at FROM card_sessions WHERE device_id = ? AND opened_at > ? "
            "ORDER BY opened_at", (asked.device_id, rfc3339(now - window))).fetchall()
        if len(rows) >= limit:
            # The window frees a place when its oldest session ages out of it.
            oldest = dt.datetime.fromisoformat(rows[0]["opened_at"].replace("Z", "+00:00"))
            wait = math.ceil((oldest + window - now).total_seconds())
            raise Throttled("session_rate", f"this terminal opened {len(rows)} sessions in the "
                            f"window (limit {limit}); wait before opening another",
                            headers={"Retry-After": str(max(1, wait))})
        conn.execute("UPDATE card_sessions SET closed_at = ? WHERE device_id = ? "
                     "AND agent_id IS ? AND closed_at IS NULL",
                     (stamp, asked.device_id, asked.agent_id))
        session = OpenSession(secrets.token_urlsafe(24),
                              rfc3339(now + dt.timedelta(minutes=SESSION_MINUTES)),
                              asked.agent_id)
        conn.execute("INSERT INTO card_sessions (session_id, device_id, agent_id, "
                     "resident_hash, identified_by, card_digest, opened_at, expires_at) "
                     "VALUES (?,?,?,?,?,?,?,?)",
                     (session.session_id, asked.device_id, asked.agent_id,
                      asked.resident_hash, asked.identified_by, asked.card_digest, stamp,
                      session.expires_at))
    return session


def close_session(conn: sqlite3.Connection, device_id: str, session_id: str,
                  now: dt.datetime) -> bool:
    """Close an open session of this device; False when it is unknown, another device's,
    already closed or expired (the spec's 404)."""
    stamp = rfc3339(now)
    with write(conn):
        cursor = conn.execute("UPDATE card_sessions SET closed_at = ? WHERE session_id = ? "
                              "AND device_id = ? AND closed_at IS NULL AND expires_at > ?",
                              (stamp, session_id, device_id, stamp))
    return cursor.rowcount == 1


def session_id_of(header: str | None) -> str | None:
    value = (header or "").strip()
    if len(value) > 200:
        raise BadRequest("bad_request", "X-Session-Id is too long")
    return value or None


def resident_of(conn: sqlite3.Connection, session_id: str | None) -> str | None:
    """The resident a session names (whoever's session it is), or None for no session: for
    a read that names no ID number of its own (a face check is of the session's resident)."""
    if session_id is None:
        return None
    row = conn.execute("SELECT resident_hash FROM card_sessions WHERE session_id = ?",
                       (session_id,)).fetchone()
    return None if row is None else str(row["resident_hash"])


def require_session(conn: sqlite3.Connection, device_id: str, session_id: str | None,
                    resident: str, now: dt.datetime) -> OpenSession:
    """The open session this read runs in, or ``403 no_session``: the session must exist,
    be open and unexpired, belong to this device and name this resident."""
    row = None
    if session_id is not None:
        row = conn.execute("SELECT * FROM card_sessions WHERE session_id = ?",
                           (session_id,)).fetchone()
    if row is None or row["device_id"] != device_id or row["closed_at"] is not None \
            or row["expires_at"] <= rfc3339(now) or row["resident_hash"] != resident:
        # One answer for every reason, so a device cannot probe others' sessions.
        raise Forbidden("no_session", "read this resident's data inside an open session "
                                      "opened on this terminal for them (X-Session-Id)")
    return OpenSession(row["session_id"], row["expires_at"], row["agent_id"])


@dataclass(frozen=True)
class WindowUse:
    """One device's sessions in its current window, against its limit."""

    device_id: str
    kind: str
    opened: int
    limit: int

    @property
    def near_limit(self) -> bool:
        return self.opened > NEAR_LIMIT * self.limit


def window_use(conn: sqlite3.Connection, now: dt.datetime,
               limits: SessionLimits) -> dict[str, WindowUse]:
    """Every device's use of its session window now (for the fleet and access views)."""
    out: dict[str, WindowUse] = {}
    for row in conn.execute("SELECT device_id, kind FROM devices").fetchall():
        limit, window = limits.window(row["kind"])
        opened = conn.execute("SELECT COUNT(*) FROM card_sessions WHERE device_id = ? "
                              "AND opened_at > ?",
                              (row["device_id"], rfc3339(now - window))).fetchone()[0]
        out[row["device_id"]] = WindowUse(row["device_id"], row["kind"], opened, limit)
    return out
