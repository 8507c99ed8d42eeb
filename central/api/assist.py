"""Video help from a clerk: the terminal's and the clerk's calls (platform-api.md, "Video
help from a clerk"). The state and its rules are ``central.assist_calls``; this module reads
requests and tells callers apart.

A call's endpoints take two kinds of bearer token: a device's (the terminal that placed the
call) and a clerk's (from ``POST /v1/clerks/sign-in``). So they are registered without the
router's device authentication and authenticate here. Offers and answers are relayed and
never logged: an SDP body holds the parties' IP addresses (only call ids are logged).
"""

from __future__ import annotations

import math
import sqlite3
from typing import TYPE_CHECKING, Any

from central.assist_calls import MAX_WAIT_S, Caller, CallerKind, Placement
from central.assist_desk import NO_CLERKS_RETRY_S
from central.auth import authenticate
from central.clerks import Clerk, bearer_token, clerk_by_token, require_clerk
from central.errors import BadRequest, Forbidden, Unauthorized, Unavailable
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    import datetime as dt

    from central.platform import SandboxPlatform

MAX_SDP_CHARS = 64 * 1024
LANGUAGES = ("zh", "en")
MAX_CODE_LENGTH = 64


def _description(doc: dict[str, Any], key: str, kind: str) -> str:
    """The SDP of ``{"type": kind, "sdp": "..."}`` in ``doc[key]``."""
    value = doc.get(key)
    if not isinstance(value, dict) or value.get("type") != kind:
        raise BadRequest("bad_request", f'{key} is {{"type": "{kind}", "sdp": "..."}}')
    sdp = value.get("sdp")
    if not isinstance(sdp, str) or not sdp.strip() or len(sdp) > MAX_SDP_CHARS:
        raise BadRequest("bad_request", f"{key}.sdp is text of at most {MAX_SDP_CHARS} "
                                        "characters")
    return sdp


def _optional_text(doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    if value is not None and (not isinstance(value, str) or len(value) > MAX_CODE_LENGTH):
        raise BadRequest("bad_request", f"{key} is null or text of at most "
                                        f"{MAX_CODE_LENGTH} characters")
    return value


def _wait_s(request: Request) -> float:
    raw = request.query("wait")
    if raw is None or raw == "":
        return 0.0
    try:
        wait = float(raw)
    except ValueError:
        raise BadRequest("bad_request", "wait is a number of seconds") from None
    if not math.isfinite(wait) or not 0 <= wait <= MAX_WAIT_S:
        raise BadRequest("bad_request", f"wait is 0 to {MAX_WAIT_S} seconds")
    return wait


def _as_caller(clerk: Clerk) -> Caller:
    return Caller(CallerKind.CLERK, clerk.clerk_id, clerk.display_name)


def _clerk(conn: sqlite3.Connection, request: Request, now: dt.datetime) -> Clerk:
    """The signed-in clerk; a terminal's token here is ``403 clerks_only``."""
    token = bearer_token(request)
    if token is not None and clerk_by_token(conn, token, now) is None:
        try:
            request.device = authenticate(conn, request)
        except Unauthorized:
            pass
        else:
            raise Forbidden("clerks_only", "only a signed-in clerk may do this")
    return require_clerk(conn, request, now)


def _either(conn: sqlite3.Connection, request: Request, now: dt.datetime) -> Caller:
    """A clerk, or else the device whose token this is (a 401 names what is wrong)."""
    token = bearer_token(request)
    clerk = clerk_by_token(conn, token, now) if token else None
    if clerk is not None:
        return _as_caller(clerk)
    request.device = authenticate(conn, request)
    return Caller(CallerKind.DEVICE, request.device.device_id)


def register(router: Router, platform: SandboxPlatform) -> None:
    desk = platform.assist

    def config(request: Request) -> Response:
        now = platform.clock()
        return Response.json(200, {"available": desk.roster.on_duty(now) > 0,
                                   "hours": dict(desk.settings.hours),
                                   "waiting": desk.calls.waiting(now),
                                   "ice_servers": desk.settings.ice_json()})

    def place(request: Request) -> Response:
        doc = request.json_object()
        offer = _description(doc, "offer", "offer")
        language = doc.get("language", "zh")
        if language not in LANGUAGES:
            raise BadRequest("bad_request", "language is zh or en")
        # The session only ties the call to the citizen's visit for the terminal; the
        # platform keeps no personal data of a call, so it is checked for shape only.
        item_code, session_id = _optional_text(doc, "item_code"), \
            _optional_text(doc, "session_id")
        now = platform.clock()
        if desk.roster.on_duty(now) == 0:
            raise Unavailable("no_clerks", "no clerk is on duty now; see the hours in "
                                           "GET /v1/assist/config",
                              headers={"Retry-After": str(NO_CLERKS_RETRY_S)})
        device = request.device
        with platform.db.session() as conn:
            row = conn.execute("SELECT site_name FROM devices WHERE device_id = ?",
                               (device.device_id,)).fetchone()
        site = (row["site_name"] if row else None) or device.device_id
        shown = desk.calls.place(Placement(device.device_id, device.kind, site, offer,
                                           str(language), item_code, session_id), now)
        platform.counters.event("assist_calls_placed")
        return Response.json(201, {"call_id": shown["call_id"], "status": shown["status"],
                                   "queue_position": shown["queue_position"]})

    def read(request: Request) -> Response:
        wait = _wait_s(request)
        with platform.db.session() as conn:
            caller = _either(conn, request, platform.clock())
        call_id = request.params["call_id"]
        if wait > 0:
            return Response.json(200, desk.calls.wait(call_id, caller, wait, platform.clock))
        return Response.json(200, desk.calls.read(call_id, caller, platform.clock()))

    def hang_up(request: Request) -> Response:
        with platform.db.session() as conn:
            caller = _either(conn, request, platform.clock())
        desk.calls.hang_up(request.params["call_id"], caller, platform.clock())
        return Response.empty(204)

    def queue(request: Request) -> Response:
        now = platform.clock()
        with platform.db.session() as conn:
            clerk = _clerk(conn, request, now)
        desk.roster.polled(clerk, now)      # the console's poll keeps its clerk on duty
        return Response.json(200, {"calls": [
            {"call_id": e.call_id, "site_name": e.site_name, "device_kind": e.device_kind,
             "language": e.language, "item_code": e.item_code, "waited_s": e.waited_s}
            for e in desk.calls.queue(now)]})

    def accept(request: Request) -> Response:
        now = platform.clock()
        with platform.db.session() as conn:
            clerk = _clerk(conn, request, now)
        offer = desk.calls.accept(request.params["call_id"], _as_caller(clerk), now)
        return Response.json(200, {"call_id": request.params["call_id"],
                                   "offer": {"type": "offer", "sdp": offer},
                                   "ice_servers": desk.settings.ice_json()})

    def answer(request: Request) -> Response:
        now = platform.clock()
        with platform.db.session() as conn:
            clerk = _clerk(conn, request, now)
        sdp = _description(request.json_object(), "answer", "answer")
        desk.calls.answer(request.params["call_id"], _as_caller(clerk), sdp, now)
        return Response.json(200, desk.calls.read(request.params["call_id"],
                                                  _as_caller(clerk), now))

    router.add("GET", "/v1/assist/config", config)
    router.add("POST", "/v1/assist/calls", place)
    router.add("GET", "/v1/assist/queue", queue, auth=False)
    router.add("GET", "/v1/assist/calls/{call_id}", read, auth=False)
    router.add("DELETE", "/v1/assist/calls/{call_id}", hang_up, auth=False)
    router.add("POST", "/v1/assist/calls/{call_id}/accept", accept, auth=False)
    router.add("POST", "/v1/assist/calls/{call_id}/answer", answer, auth=False)
