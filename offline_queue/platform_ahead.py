"""The platform client's calls for thinking ahead for the citizen: "For you", the halls,
their slots, appointments (``civic.ahead`` types). Per-citizen answers: a refused booking
is that booking's alone (never a back-off), and eligibility and appointments are read and
made only inside the resident's card session."""

from __future__ import annotations

import datetime as dt
from typing import Final

from civic.ahead import (
    Appointment,
    DaySlots,
    Eligible,
    Hall,
    appointment_of,
    eligible_of,
    halls_of,
    slots_of,
)
from civic.errors import AheadAnswerInvalid
from civic.pii import Personal
from offline_queue.errors import AlreadyBooked, PlatformNotFound
from offline_queue.platform_http import PlatformHttp

ELIGIBLE: Final = "GET /v1/residents/{id_number}/eligible"
HALLS: Final = "GET /v1/halls"
SLOTS: Final = "GET /v1/halls/{hall_id}/slots"
BOOK: Final = "POST /v1/appointments"
CANCEL_APPOINTMENT: Final = "DELETE /v1/appointments/{appointment_id}"


class AheadCalls(PlatformHttp):
    def eligible(self, id_number: Personal, session_id: str, *,
                 agent_token: str | None = None) -> Eligible:
        """What the resident can apply for now, most pressing first ("For you"); only inside
        the card session ``session_id`` (else :class:`~offline_queue.errors.NoCardSession`)."""
        answer = self._call("GET", ELIGIBLE, f"/v1/residents/{id_number.reveal()}/eligible",
                            agent_token=agent_token, session_id=session_id)
        return self._read(ELIGIBLE, answer, eligible_of)

    def halls(self, item_code: str | None = None) -> tuple[Hall, ...]:
        """The service halls (that handle ``item_code``) with their live queues, in the
        platform's order (open ones by expected wait, closed ones last)."""
        params = {"item_code": item_code} if item_code else None
        answer = self._call("GET", HALLS, "/v1/halls", params=params)
        return self._read(HALLS, answer, halls_of)

    def slots(self, hall_id: str, item_code: str, day: dt.date | None = None) -> DaySlots:
        """A hall's appointment slots for the item on ``day`` (None: the next day the hall
        opens); a hall that does not handle the item is
        :class:`~offline_queue.errors.PlatformNotFound`."""
        params = {"item_code": item_code}
        if day is not None:
            params["date"] = day.isoformat()
        answer = self._call("GET", SLOTS, f"/v1/halls/{hall_id}/slots", params=params)
        return self._read(SLOTS, answer, lambda doc: slots_of(doc, hall_id))

    def book(self, session_id: str, idempotency_key: str, hall_id: str, item_code: str,
             slot_start: str, *, agent_token: str | None = None) -> Appointment:
        """Book a slot for the resident of the card session. The same ``idempotency_key``
        again (after a lost answer) returns the same appointment. Refusals:
        :class:`~offline_queue.errors.SlotFull`, :class:`~offline_queue.errors.
        AlreadyBooked` (``existing``: the open appointment, when the answer names it)."""
        answer = self._send("POST", BOOK, "/v1/appointments", agent_token=agent_token,
                            session_id=session_id,
                            headers={"Idempotency-Key": idempotency_key},
                            json={"hall_id": hall_id, "item_code": item_code,
                                  "slot_start": slot_start})
        error = self._error(BOOK, answer)
        if isinstance(error, AlreadyBooked):
            try:
                doc = answer.json()
                error.existing = appointment_of(doc["appointment"])
            except (ValueError, KeyError, TypeError, AheadAnswerInvalid):
                error.existing = None        # refused all the same; only the details lack
        if error is not None:
            raise error
        return self._read(BOOK, answer, appointment_of)

    def cancel_appointment(self, appointment_id: str, session_id: str, *,
                           agent_token: str | None = None) -> bool:
        """Cancel the resident's appointment; False when the platform has no open one with
        this id for this resident (404: unknown or cancelled already)."""
        answer = self._send("DELETE", CANCEL_APPOINTMENT, f"/v1/appointments/{appointment_id}",
                            agent_token=agent_token, session_id=session_id)
        error = self._error(CANCEL_APPOINTMENT, answer)
        if isinstance(error, PlatformNotFound):
            return False
        if error is not None:
            raise error
        return True
