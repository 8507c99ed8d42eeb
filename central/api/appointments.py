"""Appointments at a service hall: ``POST /v1/appointments`` and
``DELETE /v1/appointments/{appointment_id}`` inside the resident's card session (the session
names the resident: the body names none), and ``GET /v1/appointments/{id}/verify``, what the
slip's QR opens (no auth, nothing personal). The booking rules are
``central.appointments``'s."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any, Final

from central import access_log, appointments
from central.access_log import ReadOutcome
from central.api.halls import hall_for_item
from central.api.sessions import ReadContext, begin_read, end_read
from central.errors import BadRequest, NotFound, Problem
from central.halls import LOCAL
from central.http.messages import Request, Response, canonical
from central.http.router import Router
from civic.pii import mask_id_number

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

BOOK: Final = "POST /v1/appointments"
CANCEL: Final = "DELETE /v1/appointments/{appointment_id}"
MAX_KEY = 200
MAX_CODE = 16


def _asked(doc: dict[str, Any]) -> tuple[str, str, dt.datetime]:
    hall_id, item_code, start = doc.get("hall_id"), doc.get("item_code"), doc.get("slot_start")
    if not all(isinstance(v, str) and 0 < len(v) <= 100 for v in (hall_id, item_code, start)):
        raise BadRequest("bad_request", "hall_id, item_code and slot_start are texts")
    assert isinstance(hall_id, str) and isinstance(item_code, str) and isinstance(start, str)
    try:
        moment = dt.datetime.fromisoformat(start)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BadRequest("bad_request", "slot_start is an RFC 3339 time with its offset")
    return hall_id, item_code, moment


def _masked_resident(platform: SandboxPlatform, read: ReadContext) -> str:
    """The masked ID number of the resident the session names, or "" for a person the
    platform does not know (the session keeps only a keyed hash)."""
    with platform.db.session() as conn:
        key = access_log.resident_key(conn)
    for resident in platform.catalog.residents:
        if access_log.id_hash(key, resident.id_number) == read.resident_hash:
            return mask_id_number(resident.id_number)
    return ""


def register(router: Router, platform: SandboxPlatform) -> None:
    def book(request: Request) -> Response:
        key = (request.header("idempotency-key") or "").strip()
        if not key or len(key) > MAX_KEY:
            raise BadRequest("idempotency_key_missing", "send a key of at most "
                             f"{MAX_KEY} characters as Idempotency-Key")
        doc = request.json_object()
        hall_id, item_code, start = _asked(doc)
        read = begin_read(platform, request, BOOK, item_code)
        try:
            hall = hall_for_item(platform, hall_id, item_code)
            spans = appointments.slot_spans(hall, start.astimezone(LOCAL).date())
            if not any(s == start for s, _ in spans) or start <= read.at \
                    or not appointments.bookable(start.astimezone(LOCAL).date(), read.at):
                raise BadRequest("no_such_slot", "slot_start is not a bookable slot of this "
                                 "hall (see GET /v1/halls/{hall_id}/slots)")
            booking = appointments.Booking(
                hall, item_code, start.astimezone(dt.UTC), read.device_id, read.session_id,
                read.resident_hash, _masked_resident(platform, read))
            # The resident is part of what a key stands for: one key, one person's booking.
            request_hash = hashlib.sha256(canonical(doc) + read.resident_hash.encode()
                                          ).hexdigest()
            with platform.db.session() as conn:
                answer = appointments.book(conn, booking, key, request_hash, read.at,
                                           platform.public_url)
        except Problem:
            end_read(platform, read, ReadOutcome.NOT_FOUND)
            raise
        end_read(platform, read, ReadOutcome.FOUND)
        if answer.replayed:
            platform.counters.event("appointments_replayed")
            return Response.json(answer.status, answer.body, {"Idempotent-Replayed": "true"})
        platform.counters.event("appointments_booked")
        return Response.json(answer.status, answer.body)

    def cancel(request: Request) -> Response:
        read = begin_read(platform, request, CANCEL)
        with platform.db.session() as conn:
            cancelled = appointments.cancel(conn, request.params["appointment_id"],
                                            read.resident_hash, read.at)
        end_read(platform, read, ReadOutcome.FOUND if cancelled else ReadOutcome.NOT_FOUND)
        if not cancelled:
            raise NotFound("appointment_not_found", "no open appointment with this id for "
                                                    "this resident")
        platform.counters.event("appointments_cancelled")
        return Response.empty(204)

    def verify(request: Request) -> Response:
        code = request.query("code") or ""
        answer = None
        if 0 < len(code) <= MAX_CODE:
            with platform.db.session() as conn:
                answer = appointments.verification(conn, request.params["appointment_id"],
                                                   code, platform.clock())
        if answer is None:
            raise NotFound("appointment_not_found", "no appointment with this id and code")
        return Response.json(200, answer)

    router.add("POST", "/v1/appointments", book)
    router.add("DELETE", "/v1/appointments/{appointment_id}", cancel)
    router.add("GET", "/v1/appointments/{appointment_id}/verify", verify, auth=False)
