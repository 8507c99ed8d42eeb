"""Bookable slots and appointments at the service halls (platform-api.md, "Thinking ahead").

A hall's day is cut into slots of ``slot_min`` from its opening; each slot takes
``slot_capacity`` appointments (the other windows serve walk-ins). A booking is one
``BEGIN IMMEDIATE`` transaction that looks up its idempotency key, refuses a second open
booking of the resident for the item and a full slot, numbers the ticket and inserts the
appointment with its stored answer: SQLite serialises these transactions, so of many
requests racing for a slot's last place exactly one gets it, and the partial unique index
``appointments_one_open`` (schema 7) backs the one-per-item rule whatever happens.

The sandbox keeps of an appointment the hall, item, time and ticket, the resident's keyed
hash and masked ID number (what an operator may see), never a name or an ID number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
import uuid
from base64 import b32encode
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from central.access_log import resident_key
from central.clock import rfc3339
from central.db import write
from central.errors import Conflict, Unprocessable
from central.halls import LOCAL, Hall
from central.http.messages import dump
from central.submissions import Answer

BOOKING_DAYS: Final = 14          # how far ahead slots are offered
TICKET_PREFIX: Final = "A"        # appointment tickets: A0001, A0002, ... per hall and day


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    free: int

    def as_dict(self) -> dict[str, Any]:
        return {"start": rfc3339(self.start), "end": rfc3339(self.end), "free": self.free}


def slot_spans(hall: Hall, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of a local ``day``: whole slots from opening until closing."""
    span = hall.opening(day)
    if span is None:
        return []
    out = []
    start, step = span[0], dt.timedelta(minutes=hall.slot_min)
    while start + step <= span[1]:
        out.append((start, start + step))
        start += step
    return out


def _booked(conn: sqlite3.Connection, hall_id: str, start: dt.datetime) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM appointments WHERE hall_id = ? AND "
                            "slot_start = ? AND cancelled_at IS NULL",
                            (hall_id, rfc3339(start))).fetchone()[0])


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL).date()


def bookable(day: dt.date, now: dt.datetime) -> bool:
    return 0 <= (day - local_today(now)).days <= BOOKING_DAYS


def slots(conn: sqlite3.Connection, hall: Hall, day: dt.date, now: dt.datetime) -> list[Slot]:
    """The slots of ``day`` that start after ``now``, with their free places (none beyond
    the booking horizon or before today)."""
    if not bookable(day, now):
        return []
    return [Slot(start, end, max(0, hall.slot_capacity - _booked(conn, hall.hall_id, start)))
            for start, end in slot_spans(hall, day) if start > now]


def next_opening_day(hall: Hall, now: dt.datetime) -> dt.date | None:
    """The first local day from today with a slot still to come."""
    today = local_today(now)
    for ahead in range(BOOKING_DAYS + 1):
        day = today + dt.timedelta(days=ahead)
        if any(start > now for start, _ in slot_spans(hall, day)):
            return day
    return None


@dataclass(frozen=True)
class Booking:
    """A checked ``POST /v1/appointments`` and who asks for it."""

    hall: Hall
    item_code: str
    slot_start: dt.datetime
    device_id: str
    session_id: str
    resident_hash: str
    resident_masked: str


def _verification_code(conn: sqlite3.Connection, appointment_id: str) -> str:
    """8 characters derived from the database's own key: the platform can show an
    appointment's verify URL again (a 409 already_booked) without storing the code."""
    digest = hmac.new(resident_key(conn).encode(), f"appointment:{appointment_id}".encode(),
                      hashlib.sha256).digest()
    return b32encode(digest).decode()[:8]


def _code_hash(appointment_id: str, code: str) -> str:
    return hashlib.sha256(f"{appointment_id}:{code}".encode()).hexdigest()


def _public(conn: sqlite3.Connection, row: sqlite3.Row, base_url: str) -> dict[str, Any]:
    code = _verification_code(conn, row["appointment_id"])
    return {"appointment_id": row["appointment_id"], "hall_id": row["hall_id"],
            "item_code": row["item_code"], "slot_start": row["slot_start"],
            "slot_end": row["slot_end"], "ticket": row["ticket"],
            "verify_url": f"{base_url}/v1/appointments/{row['appointment_id']}/verify"
                          f"?code={code}"}


def _next_ticket(conn: sqlite3.Connection, hall_id: str, day: dt.date) -> str:
    conn.execute("INSERT INTO ticket_sequence (hall_id, day, last) VALUES (?, ?, 1) "
                 "ON CONFLICT(hall_id, day) DO UPDATE SET last = last + 1",
                 (hall_id, day.isoformat()))
    last = conn.execute("SELECT last FROM ticket_sequence WHERE hall_id = ? AND day = ?",
                        (hall_id, day.isoformat())).fetchone()[0]
    return f"{TICKET_PREFIX}{last:04d}"


def book(conn: sqlite3.Connection, booking: Booking, key: str, request_hash: str,
         now: dt.datetime, base_url: str) -> Answer:
    """Book, or replay the answer stored with ``key``; raises :class:`Conflict`
    (``already_booked``, ``slot_full``) or :class:`Unprocessable`
    (``idempotency_key_reused``). ``request_hash`` covers the body and the resident."""
    hall = booking.hall
    start = rfc3339(booking.slot_start)
    with write(conn):
        stored = conn.execute("SELECT * FROM appointment_keys WHERE device_id = ? AND key = ?",
                              (booking.device_id, key)).fetchone()
        if stored is not None:
            if stored["body_hash"] != request_hash:
                raise Unprocessable("idempotency_key_reused", "this Idempotency-Key was "
                                    "already used for another booking")
            return Answer(stored["status"], json.loads(stored["response"]), replayed=True)
        existing = conn.execute("SELECT * FROM appointments WHERE resident_hash = ? AND "
                                "item_code = ? AND cancelled_at IS NULL",
                                (booking.resident_hash, booking.item_code)).fetchone()
        if existing is not None:
            raise Conflict("already_booked", "this resident already has an open appointment "
                           "for this item; cancel it to book another",
                           appointment=_public(conn, existing, base_url))
        if _booked(conn, hall.hall_id, booking.slot_start) >= hall.slot_capacity:
            raise Conflict("slot_full", "every place of this slot is booked; choose another")
        appointment_id = str(uuid.uuid4())
        code = _verification_code(conn, appointment_id)
        end = booking.slot_start + dt.timedelta(minutes=hall.slot_min)
        ticket = _next_ticket(conn, hall.hall_id, booking.slot_start.astimezone(LOCAL).date())
        conn.execute(
            "INSERT INTO appointments (appointment_id, hall_id, item_code, slot_start, "
            "slot_end, ticket, code_hash, resident_hash, resident_masked, device_id, "
            "session_id, booked_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (appointment_id, hall.hall_id, booking.item_code, start, rfc3339(end), ticket,
             _code_hash(appointment_id, code), booking.resident_hash, booking.resident_masked,
             booking.device_id, booking.session_id, rfc3339(now)))
        row = conn.execute("SELECT * FROM appointments WHERE appointment_id = ?",
                           (appointment_id,)).fetchone()
        answer = _public(conn, row, base_url)
        conn.execute("INSERT INTO appointment_keys VALUES (?, ?, ?, 201, ?, ?)",
                     (booking.device_id, key, request_hash, dump(answer), rfc3339(now)))
    return Answer(201, answer)


def cancel(conn: sqlite3.Connection, appointment_id: str, resident_hash: str,
           now: dt.datetime) -> bool:
    """Cancel the resident's open appointment; False when unknown, another resident's or
    already cancelled (the spec's 404)."""
    with write(conn):
        cursor = conn.execute("UPDATE appointments SET cancelled_at = ? WHERE "
                              "appointment_id = ? AND resident_hash = ? AND "
                              "cancelled_at IS NULL",
                              (rfc3339(now), appointment_id, resident_hash))
    return cursor.rowcount == 1


def verification(conn: sqlite3.Connection, appointment_id: str, code: str,
                 now: dt.datetime) -> dict[str, Any] | None:
    """What the slip's QR answers: the appointment without anything personal, or None for
    an unknown appointment or a wrong code."""
    row = conn.execute("SELECT * FROM appointments WHERE appointment_id = ?",
                       (appointment_id,)).fetchone()
    if row is None or not secrets.compare_digest(row["code_hash"],
                                                 _code_hash(appointment_id, code)):
        return None
    status = AppointmentStatus.CANCELLED if row["cancelled_at"] else AppointmentStatus.BOOKED
    return {"appointment_id": appointment_id, "status": str(status),
            "valid": status is AppointmentStatus.BOOKED and row["slot_end"] > rfc3339(now),
            "hall_id": row["hall_id"], "item_code": row["item_code"],
            "slot_start": row["slot_start"], "slot_end": row["slot_end"],
            "ticket": row["ticket"]}


def from_day(conn: sqlite3.Connection, day: dt.date) -> list[dict[str, Any]]:
    """The appointments whose slot is on a local ``day`` or later, soonest first (``kiosk
    central halls``): the masked ID number only."""
    start = dt.datetime.combine(day, dt.time(), LOCAL)
    rows = conn.execute("SELECT * FROM appointments WHERE slot_start >= ? "
                        "ORDER BY slot_start, hall_id, ticket", (rfc3339(start),)).fetchall()
    return [{"appointment_id": r["appointment_id"], "hall_id": r["hall_id"],
             "item_code": r["item_code"], "slot_start": r["slot_start"],
             "slot_end": r["slot_end"], "ticket": r["ticket"],
             "resident": r["resident_masked"],
             "status": str(AppointmentStatus.CANCELLED if r["cancelled_at"]
                           else AppointmentStatus.BOOKED)} for r in rows]
