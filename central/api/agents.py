"""Village agents' sign-in."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from central.auth import new_token, require_kind, token_hash
from central.clock import rfc3339
from central.db import write
from central.errors import BadRequest, Throttled, Unauthorized
from central.http.messages import Request, Response
from central.http.router import Router
from kiosk.security import verify_pin

if TYPE_CHECKING:
    from central.platform import Platform

MAX_FAILURES = 5
LOCK_MINUTES = 15
AGENT_TOKEN_HOURS = 12


def register(router: Router, platform: Platform) -> None:
    def sign_in(request: Request) -> Response:
        require_kind(request.device, "agent")
        doc = request.json_object()
        number, pin = doc.get("agent_number"), doc.get("pin")
        if not isinstance(number, str) or not isinstance(pin, str) or len(pin) > 64:
            raise BadRequest("bad_request", "agent_number and pin are text")
        now = platform.clock()
        stamp = rfc3339(now)
        with platform.db.session() as conn:
            row = conn.execute("SELECT * FROM agents WHERE number = ?", (number,)).fetchone()
            if row is not None and row["locked_until"] and row["locked_until"] > stamp:
                wait = dt.datetime.fromisoformat(row["locked_until"].replace("Z", "+00:00")) - now
                raise Throttled("too_many_attempts", "too many wrong PINs; wait and try again",
                                headers={"Retry-After": str(max(1, int(wait.total_seconds())))})
            # The slow hash runs even for an unknown number, so timing tells nothing.
            good = verify_pin(pin, row["pin_hash"] if row else "scrypt$16384$8$1$00$00")
            with write(conn):
                if row is not None and not good:
                    failures = row["failed_attempts"] + 1
                    locked = rfc3339(now + dt.timedelta(minutes=LOCK_MINUTES)) \
                        if failures >= MAX_FAILURES else None
                    conn.execute("UPDATE agents SET failed_attempts = ?, locked_until = ? "
                                 "WHERE agent_id = ?",
                                 (0 if locked else failures, locked, row["agent_id"]))
                if row is not None and good:
                    token = new_token()
                    conn.execute("UPDATE agents SET failed_attempts = 0, locked_until = NULL "
                                 "WHERE agent_id = ?", (row["agent_id"],))
                    conn.execute("INSERT INTO agent_tokens VALUES (?, ?, ?, ?, ?)",
                                 (token_hash(token), row["agent_id"], request.device.device_id,
                                  stamp, rfc3339(now + dt.timedelta(hours=AGENT_TOKEN_HOURS))))
        # Raised after the transaction, so that the failure count is committed.
        if row is None or not good:
            raise Unauthorized("bad_credentials", "wrong agent number or PIN")
        return Response.json(200, {"agent_id": row["agent_id"],
                                   "display_name": row["display_name"], "area": row["area"],
                                   "agent_token": token,
                                   "offline_days": platform.settings.agent_offline_days})

    router.add("POST", "/v1/agents/sign-in", sign_in)
