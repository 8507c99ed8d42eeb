"""Operator actions on a sandbox's database, for the `kiosk central` commands.

They work on the data dir directly, whether or not a server is running on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from central.api.devices import fleet as fleet_rows
from central.auth import new_enrollment_code
from central.clock import rfc3339, utc_now
from central.db import Database, write
from central.platform import DB_FILE
from civic.pin import hash_pin


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


def revoke(data_dir: Path, device_id: str) -> None:
    with _db(data_dir) as db, db.session() as conn, write(conn):
        cursor = conn.execute("UPDATE devices SET revoked_at = ? WHERE device_id = ? AND "
                              "revoked_at IS NULL", (rfc3339(utc_now()), device_id))
        if cursor.rowcount == 0:
            known = conn.execute("SELECT 1 FROM devices WHERE device_id = ?",
                                 (device_id,)).fetchone()
            raise AdminError(f"{device_id} is already revoked" if known
                             else f"no terminal {device_id} is enrolled here")


def fleet(data_dir: Path) -> list[dict[str, Any]]:
    with _db(data_dir) as db:
        return fleet_rows(db)
