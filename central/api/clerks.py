"""``POST /v1/clerks/sign-in``: a hall clerk signs in at the clerk's console.

No device token: a clerk's console is an ordinary browser. The lock-out is the agents' own
(``central.api.agents.count_attempt``: counted atomically *before* the PIN is hashed, so
parallel guesses get no extra tries), keyed by ``clerk:<number>`` in the same table, and an
unknown number is checked against a dummy hash so sign-in does not tell which numbers exist.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from central import clerks
from central.api.agents import MAX_NUMBER_LENGTH, clear_attempts, count_attempt
from central.db import write
from central.errors import BadRequest, Unauthorized
from central.http.messages import Request, Response
from central.http.router import Router
from civic.pin import hash_pin, verify_pin

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def register(router: Router, platform: SandboxPlatform) -> None:
    dummy_hash = hash_pin(secrets.token_urlsafe(12))   # as in central.api.agents

    def sign_in(request: Request) -> Response:
        doc = request.json_object()
        number, pin = doc.get("clerk_number"), doc.get("pin")
        if not isinstance(number, str) or not isinstance(pin, str) or len(pin) > 64 \
                or len(number) > MAX_NUMBER_LENGTH:
            raise BadRequest("bad_request", "clerk_number and pin are text of at most "
                                            f"{MAX_NUMBER_LENGTH} characters")
        now = platform.clock()
        attempts_key = clerks.ATTEMPT_PREFIX + number
        with platform.db.session() as conn:
            count_attempt(conn, attempts_key, now)
            row = conn.execute("SELECT clerk_id, display_name, pin_hash FROM clerks "
                               "WHERE number = ?", (number,)).fetchone()
            good = verify_pin(pin, row["pin_hash"] if row else dummy_hash)
            if row is None or not good:
                raise Unauthorized("bad_credentials", "wrong clerk number or PIN")
            with write(conn):
                clear_attempts(conn, attempts_key)
                token = clerks.issue_token(conn, row["clerk_id"], now)
        return Response.json(200, {"clerk_token": token, "display_name": row["display_name"]})

    router.add("POST", "/v1/clerks/sign-in", sign_in, auth=False)
