"""Village agents' sign-in, with a lock-out that parallel guesses cannot outrun.

An attempt is counted *before* its PIN is checked: one ``BEGIN IMMEDIATE`` transaction
reads the number's count, refuses if it is locked, and adds the attempt (locking at the
limit). The slow hash runs after that transaction, so of any number of parallel guesses at
most ``MAX_FAILURES`` are ever evaluated, and sign-ins do not hold the database's write
lock for the hash's 50 ms. A right PIN then clears the count.

Attempts are counted per agent *number*, whether an agent has it or not, and an unknown
number's PIN is hashed against a dummy hash: unknown, wrong and locked numbers answer alike
in body and in time, so sign-in does not tell which numbers exist.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from typing import TYPE_CHECKING

from central.auth import new_token, require_kind, token_hash
from central.clock import rfc3339
from central.db import write
from central.errors import BadRequest, Throttled, Unauthorized
from central.http.messages import Request, Response
from central.http.router import Router
from civic.pin import hash_pin, verify_pin

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

MAX_FAILURES = 5
LOCK_MINUTES = 15
AGENT_TOKEN_HOURS = 12
MAX_NUMBER_LENGTH = 64


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def count_attempt(conn: sqlite3.Connection, number: str, now: dt.datetime) -> None:
    """Add one attempt for ``number``, atomically; :class:`Throttled` while it is locked.

    The fifth attempt locks the number at once, before its PIN is known: a right PIN
    clears the lock again (:func:`clear_attempts`), a wrong one leaves it in place.
    """
    stamp = rfc3339(now)
    with write(conn):
        row = conn.execute("SELECT failures, locked_until FROM sign_in_attempts "
                           "WHERE number = ?", (number,)).fetchone()
        if row is not None and row["locked_until"] and row["locked_until"] > stamp:
            wait = (_parse(row["locked_until"]) - now).total_seconds()
            raise Throttled("too_many_attempts", "too many wrong PINs; wait and try again",
                            headers={"Retry-After": str(max(1, int(wait)))})
        failures = (row["failures"] if row is not None and not row["locked_until"] else 0) + 1
        locked = rfc3339(now + dt.timedelta(minutes=LOCK_MINUTES)) \
            if failures >= MAX_FAILURES else None
        # The count restarts after a lock, as on the terminal (kiosk.agent.lockout).
        conn.execute("INSERT INTO sign_in_attempts (number, failures, locked_until) "
                     "VALUES (?, ?, ?) ON CONFLICT(number) DO UPDATE SET "
                     "failures = excluded.failures, locked_until = excluded.locked_until",
                     (number, 0 if locked else failures, locked))


def clear_attempts(conn: sqlite3.Connection, number: str) -> None:
    """Inside the caller's write transaction: the number signed in, its count starts over."""
    conn.execute("DELETE FROM sign_in_attempts WHERE number = ?", (number,))


def register(router: Router, platform: SandboxPlatform) -> None:
    # Checked for unknown numbers: made with the real parameters, so it costs what a real
    # agent's hash costs; made here rather than on first use, so no request pays for it.
    dummy_hash = hash_pin(secrets.token_urlsafe(12))

    def sign_in(request: Request) -> Response:
        require_kind(request.device, "agent")
        doc = request.json_object()
        number, pin = doc.get("agent_number"), doc.get("pin")
        if not isinstance(number, str) or not isinstance(pin, str) or len(pin) > 64 \
                or len(number) > MAX_NUMBER_LENGTH:
            raise BadRequest("bad_request", "agent_number and pin are text of at most "
                                            f"{MAX_NUMBER_LENGTH} characters")
        now = platform.clock()
        with platform.db.session() as conn:
            count_attempt(conn, number, now)
            row = conn.execute("SELECT * FROM agents WHERE number = ?", (number,)).fetchone()
            good = verify_pin(pin, row["pin_hash"] if row else dummy_hash)
            if row is None or not good:
                raise Unauthorized("bad_credentials", "wrong agent number or PIN")
            token = new_token()
            with write(conn):
                clear_attempts(conn, number)
                conn.execute("INSERT INTO agent_tokens VALUES (?, ?, ?, ?, ?)",
                             (token_hash(token), row["agent_id"], request.device.device_id,
                              rfc3339(now),
                              rfc3339(now + dt.timedelta(hours=AGENT_TOKEN_HOURS))))
        return Response.json(200, {"agent_id": row["agent_id"],
                                   "display_name": row["display_name"], "area": row["area"],
                                   "agent_token": token,
                                   "offline_days": platform.settings.agent_offline_days})

    router.add("POST", "/v1/agents/sign-in", sign_in)
