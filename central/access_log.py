"""The platform's access log: every read of a resident's shared data, and who made it.

platform-api.md ("Reads that need a session"): each read is recorded with the device, the
session, the resident, the endpoint and the time; operators see per-device counts
(``kiosk central access``). The resident is stored as everywhere else in the sandbox's
database: never the ID number, only a keyed SHA-256 of it (:func:`resident_hash`), whose key
the database made once (migration 4), so one resident's rows can be found again without
the log holding who they are.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from central.db import write


class ReadOutcome(StrEnum):
    """How one read ended, as the log keeps it."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    NO_SESSION = "no_session"     # refused: no open session of this device for this resident


@dataclass(frozen=True)
class Read:
    """One read to record. ``endpoint`` is the route (``GET /v1/residents/{id_number}/...``),
    never a path (a path holds the ID number)."""

    at: str
    device_id: str
    agent_id: str | None
    session_id: str | None
    resident_hash: str
    endpoint: str
    outcome: ReadOutcome
    item_code: str | None = None


def normalise_id(id_number: str) -> str:
    """The number as the platform compares it: trimmed, a final x upper-cased."""
    number = id_number.strip()
    return number[:-1] + "X" if number[-1:] == "x" else number


def id_hash(salt: str, id_number: str) -> str:
    """SHA-256 of salt + ID number (final x upper-cased): the work list's matching key and,
    with the database's own key as salt, how the sandbox stores a resident."""
    return hashlib.sha256((salt + normalise_id(id_number)).encode("utf-8")).hexdigest()


def resident_key(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM sandbox_values WHERE name = 'resident_key'").fetchone()
    return str(row["value"])


def resident_hash(conn: sqlite3.Connection, id_number: str) -> str:
    """How the sandbox's tables name a resident (never the ID number itself)."""
    return id_hash(resident_key(conn), id_number)


#: the resident of a refused read that names no ID number (a face check) in a session the
#: platform does not know: logged as refused, counted as no resident
UNKNOWN_RESIDENT = "-"


def record(conn: sqlite3.Connection, read: Read) -> None:
    """Add one read to the log, in its own write transaction."""
    with write(conn):
        conn.execute("INSERT INTO access_log (at, device_id, agent_id, session_id, "
                     "resident_hash, endpoint, item_code, outcome) VALUES (?,?,?,?,?,?,?,?)",
                     (read.at, read.device_id, read.agent_id, read.session_id,
                      read.resident_hash, read.endpoint,
                      read.item_code[:100] if read.item_code else None, str(read.outcome)))


@dataclass(frozen=True)
class EndpointCount:
    device_id: str
    endpoint: str
    reads: int
    refused: int           # of which without a valid session
    residents: int         # distinct residents read
    last_at: str


def counts(conn: sqlite3.Connection) -> list[EndpointCount]:
    """Reads per device and endpoint, all time (``kiosk central access``)."""
    rows = conn.execute(
        "SELECT device_id, endpoint, COUNT(*) AS reads, "
        "SUM(outcome = ?) AS refused, COUNT(DISTINCT NULLIF(resident_hash, ?)) AS residents, "
        "MAX(at) AS last_at FROM access_log GROUP BY device_id, endpoint "
        "ORDER BY device_id, endpoint",
        (str(ReadOutcome.NO_SESSION), UNKNOWN_RESIDENT)).fetchall()
    return [EndpointCount(r["device_id"], r["endpoint"], r["reads"], r["refused"] or 0,
                          r["residents"], r["last_at"]) for r in rows]
