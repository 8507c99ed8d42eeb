"""``POST /v1/sessions``, ``DELETE /v1/sessions/{session_id}``, and the one gate that every
read of shared data passes (:func:`begin_read`, :func:`end_read`).

The rules are ``central.card_sessions``'s; this module reads requests, decides who may open
a session for whom (the device's kind, the signed-in agent's area) and keeps the access
log (``central.access_log``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from central import access_log, card_sessions
from central.access_log import Read, ReadOutcome
from central.auth import agent_of
from central.clock import rfc3339
from central.errors import BadRequest, Forbidden, NotFound, Problem
from central.http.messages import Request, Response
from central.http.router import Router
from civic.identity import IdentifiedBy

if TYPE_CHECKING:
    import datetime as dt

    from central.platform import SandboxPlatform

_DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_ID_LENGTH = 32


@dataclass(frozen=True)
class ReadContext:
    """A read that passed the gate: when, by whom, in which session, of whom."""

    at: dt.datetime
    device_id: str
    agent_id: str | None
    session_id: str
    resident_hash: str
    endpoint: str
    item_code: str | None


def begin_read(platform: SandboxPlatform, request: Request, endpoint: str,
               item_code: str | None = None) -> ReadContext:
    """Let a read of ``request.params["id_number"]`` through, or ``403 no_session`` (logged
    as refused). ``endpoint`` is the route as the log keeps it (``GET /v1/...``).
    Without an ``id_number`` in the path (a face check), the read is of the resident the
    session names."""
    now = platform.clock()
    device_id = request.device.device_id
    with platform.db.session() as conn:
        agent = agent_of(conn, request, request.device, rfc3339(now), required=False)
        session_id = card_sessions.session_id_of(request.header(card_sessions.SESSION_HEADER))
        if "id_number" in request.params:
            resident = access_log.resident_hash(conn, request.params["id_number"])
        else:
            resident = card_sessions.resident_of(conn, session_id) or \
                access_log.UNKNOWN_RESIDENT
        try:
            session = card_sessions.require_session(conn, device_id, session_id, resident, now)
        except Problem:
            access_log.record(conn, Read(rfc3339(now), device_id,
                                         agent.agent_id if agent else None, session_id,
                                         resident, endpoint, ReadOutcome.NO_SESSION, item_code))
            raise
    return ReadContext(now, device_id, agent.agent_id if agent else session.agent_id,
                       session.session_id, resident, endpoint, item_code)


def end_read(platform: SandboxPlatform, read: ReadContext, outcome: ReadOutcome) -> None:
    """Record how a read that passed the gate ended."""
    with platform.db.session() as conn:
        access_log.record(conn, Read(rfc3339(read.at), read.device_id, read.agent_id,
                                     read.session_id, read.resident_hash, read.endpoint,
                                     outcome, read.item_code))


def _asked(doc: dict[str, object]) -> tuple[str, IdentifiedBy, str | None]:
    id_number, by, digest = doc.get("id_number"), doc.get("identified_by"), \
        doc.get("card_digest")
    if not isinstance(id_number, str) or not id_number.strip() \
            or len(id_number) > MAX_ID_LENGTH:
        raise BadRequest("bad_request", f"id_number is text of at most {MAX_ID_LENGTH} "
                                        "characters")
    if by not in tuple(IdentifiedBy):
        raise BadRequest("bad_request", "identified_by is one of "
                         + ", ".join(IdentifiedBy))
    identified_by = IdentifiedBy(str(by))
    if identified_by is IdentifiedBy.AGENT_VERIFIED:
        if digest is not None:
            raise BadRequest("bad_request", "card_digest is null for agent_verified")
    elif not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise BadRequest("bad_request", "card_digest is the lower-case hex SHA-256 of the "
                                        "card's public data")
    return id_number, identified_by, digest if isinstance(digest, str) else None


def register(router: Router, platform: SandboxPlatform) -> None:
    def open_session(request: Request) -> Response:
        id_number, identified_by, digest = _asked(request.json_object())
        device = request.device
        now = platform.clock()
        resident = platform.catalog.resident_by_id(id_number)
        with platform.db.session() as conn:
            agent = None
            if device.kind == "agent":
                agent = agent_of(conn, request, device, rfc3339(now), required=True)
                assert agent is not None
                if resident is None or resident.village != agent.area:
                    raise Forbidden("outside_area", "the signed-in agent may open sessions "
                                                    "only for residents of their own area")
            elif identified_by is IdentifiedBy.AGENT_VERIFIED:
                raise Forbidden("forbidden", "only an agent terminal may open a session for "
                                             "a person the agent verified")
            session = card_sessions.open_session(conn, card_sessions.SessionRequest(
                device.device_id, device.kind, agent.agent_id if agent else None,
                access_log.resident_hash(conn, id_number), str(identified_by), digest),
                now, platform.session_limits)
        platform.counters.event("sessions_opened")
        return Response.json(201, {"session_id": session.session_id,
                                   "expires_at": session.expires_at,
                                   "resident_known": resident is not None})

    def close_session(request: Request) -> Response:
        with platform.db.session() as conn:
            closed = card_sessions.close_session(conn, request.device.device_id,
                                                 request.params["session_id"],
                                                 platform.clock())
        if not closed:
            raise NotFound("session_not_found", "no open session with this id on this "
                                                "terminal")
        platform.counters.event("sessions_closed")
        return Response.empty(204)

    router.add("POST", "/v1/sessions", open_session)
    router.add("DELETE", "/v1/sessions/{session_id}", close_session)
