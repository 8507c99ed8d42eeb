"""Operator actions on a sandbox's database, for the `kiosk central` commands.

They work on the data dir directly, whether or not a server is running on it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from central import access_log, card_sessions, clerks
from central.api.devices import fleet as fleet_rows
from central.auth import new_enrollment_code
from central.clock import rfc3339, utc_now
from central.db import Database, write
from central.platform import DB_FILE
from civic.pin import hash_pin
from seeds import seeds_dir


class AdminError(Exception):
    """An operator action that cannot be done; the message says why."""


@contextmanager
def _db(data_dir: Path) -> Iterator[Database]:
    db = Database(data_dir / DB_FILE)
    try:
        yield db
    finally:
        db.close()


def issue_enrollment_code(data_dir: Path, kind: str | None = None) -> str:
    code = new_enrollment_code()
    with _db(data_dir) as db, db.session() as conn, write(conn):
        conn.execute("INSERT INTO enrollment_codes (code, kind, issued_at) VALUES (?, ?, ?)",
                     (code, kind, rfc3339(utc_now())))
    return code


def add_agent(data_dir: Path, number: str, pin: str, area: str,
              display_name: str | None = None) -> str:
    if not (pin.isdigit() and 6 <= len(pin) <= 12):
        raise AdminError("an agent PIN is 6 to 12 digits")
    agent_id = f"agent-{uuid.uuid4().hex[:10]}"
    with _db(data_dir) as db, db.session() as conn, write(conn):
        if conn.execute("SELECT 1 FROM agents WHERE number = ?", (number,)).fetchone():
            raise AdminError(f"an agent with number {number} exists already")
        conn.execute("INSERT INTO agents (agent_id, number, display_name, area, pin_hash, "
                     "created_at) VALUES (?,?,?,?,?,?)",
                     (agent_id, number, display_name or f"代办员{number}", area, hash_pin(pin),
                      rfc3339(utc_now())))
    return agent_id


def add_clerk(data_dir: Path, number: str, pin: str, display_name: str | None = None) -> str:
    """A hall clerk who can sign in at the clerk's console and answer video calls."""
    if not (pin.isdigit() and 6 <= len(pin) <= 12):
        raise AdminError("a clerk PIN is 6 to 12 digits")
    if not number.strip() or len(number) > 64:
        raise AdminError("a clerk number is 1 to 64 characters")
    with _db(data_dir) as db, db.session() as conn:
        try:
            return clerks.add_clerk(conn, number, hash_pin(pin),
                                    display_name or f"窗口{number}", utc_now())
        except clerks.ClerkExists as exc:
            raise AdminError(str(exc)) from None


def revoke(data_dir: Path, device_id: str) -> None:
    with _db(data_dir) as db, db.session() as conn, write(conn):
        cursor = conn.execute("UPDATE devices SET revoked_at = ? WHERE device_id = ? AND "
                              "revoked_at IS NULL", (rfc3339(utc_now()), device_id))
        if cursor.rowcount == 0:
            known = conn.execute("SELECT 1 FROM devices WHERE device_id = ?",
                                 (device_id,)).fetchone()
            raise AdminError(f"{device_id} is already revoked" if known
                             else f"no terminal {device_id} is enrolled here")


def fleet(data_dir: Path, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Each terminal with its last heartbeat, its use of its session window now, and
    ``flags``: ``session_rate_near_limit`` past 80 % of that limit (platform-api.md)."""
    with _db(data_dir) as db:
        rows = fleet_rows(db)
        with db.session() as conn:
            use = card_sessions.window_use(conn, now or utc_now(),
                                           card_sessions.load_limits(conn))
    for row in rows:
        window = use.get(row["device_id"])
        row["sessions_in_window"] = window.opened if window else 0
        row["session_limit"] = window.limit if window else None
        row["flags"] = ["session_rate_near_limit"] if window and window.near_limit else []
    return rows


def halls(data_dir: Path, now: dt.datetime | None = None) -> dict[str, Any]:
    """The halls with their live queues (the figures terminals see: the server's seed) and
    the appointments from the local day on, masked ID numbers only (``kiosk central halls``)."""
    from central import appointments
    from central.ahead import Ahead, load_queue_seed
    from central.catalog_source import load_catalog
    from central.halls import LOCAL

    now = now or utc_now()
    day = now.astimezone(LOCAL).date()
    root = seeds_dir()
    with _db(data_dir) as db, db.session() as conn:
        ahead = Ahead.load(root, load_catalog(root / "catalog"), load_queue_seed(conn))
        booked = appointments.from_day(conn, day)
    return {"date": day.isoformat(), "halls": ahead.board(ahead.halls.all, now),
            "appointments": booked}


def access(data_dir: Path, now: dt.datetime | None = None) -> dict[str, Any]:
    """The access log's counts per device and endpoint, the limits, and the devices near
    them (``kiosk central access``)."""
    with _db(data_dir) as db, db.session() as conn:
        limits = card_sessions.load_limits(conn)
        use = card_sessions.window_use(conn, now or utc_now(), limits)
        counts = access_log.counts(conn)
    return {
        "limits": {"kiosk_per_hour": limits.kiosk_per_hour,
                   "agent_per_day": limits.agent_per_day},
        "devices": [{"device_id": u.device_id, "kind": u.kind,
                     "sessions_in_window": u.opened, "limit": u.limit,
                     "near_limit": u.near_limit,
                     "reads": [{"endpoint": c.endpoint, "reads": c.reads,
                                "refused": c.refused, "residents": c.residents,
                                "last_at": c.last_at}
                               for c in counts if c.device_id == u.device_id]}
                    for u in use.values()],
    }
