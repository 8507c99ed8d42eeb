"""The "where to go" part of the session: an item that needs a visit (AGENT_ONLY, or a face
check that sends the citizen to a hall) lists the halls that handle it with their live
queues, and the citizen can book a slot and take a printed appointment slip.

The halls and their slots are public (a device token is enough); a booking and its
cancelling are made inside the resident's card session, opened here if this visit has none
(the card must be on the reader: a booking names the person whose card it is). Refusals
come back in words: a full slot (the day's slots read again), a booking already held for
the item (shown, with its cancel), offline. A retry after a lost answer reuses the same
``Idempotency-Key``, so it can never book twice. What the step holds is dropped by the wipe.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.flows.core import FlowCore, guarded, log
from kiosk.flows.messages import MESSAGES, tr
from kiosk.flows.messages_ahead import WEEKDAYS
from kiosk.flows.states import PrefillOutcome, PrintState, Step, Topic
from kiosk.lazy import lazy

# The session module loads before the first frame; the service's types only once a hall is
# looked for (kiosk.lazy)
if TYPE_CHECKING:
    from kiosk.flows import ahead_service as svc
else:
    svc = lazy("kiosk.flows.ahead_service")

if TYPE_CHECKING:
    from civic.ahead import Appointment, DaySlots, Hall, Slot
    from civic.text import Text
    from kiosk.flows.ahead_service import AheadResult, BookingRequest
    from kiosk.flows.services import PrintOutcome

#: the steps "where to go" opens from (and returns to)
HALLS_FROM = frozenset({Step.ITEM, Step.AGENT_ONLY, Step.FACE_CHECK})


class HallsPhase(StrEnum):
    """What the halls step shows (``CitizenFlow.halls_phase``)."""

    LOADING = "loading"            # the halls are being read
    LIST = "list"                  # the halls, by expected wait (``halls_notice`` if none)
    SLOTS_LOADING = "slots_loading"
    SLOTS = "slots"                # one hall's free times on ``slots_day``
    CONFIRM = "confirm"            # the chosen slot, to confirm
    BOOKING = "booking"            # confirmed: the session or the booking is on its way
    BOOKED = "booked"              # ``appointment`` booked now (or held already): the slip
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"


#: what a booking that was not made says (messages.py keys), by why; else book_failed
# (keyed by the AheadOutcome values: a StrEnum member finds its value's entry)
_BOOKING_WORDS = {"offline": "halls.book_offline", "no_session": "halls.no_card"}
#: a card session that did not open, told as the booking's outcome
_NOT_OPENED = {PrefillOutcome.OFFLINE: "offline", PrefillOutcome.NO_SESSION: "no_session"}


def when_words(start: dt.datetime, end: dt.datetime, language: str) -> str:
    """A slot's day and time as the halls' clocks show them, in words."""
    from civic.ahead import hall_time

    start, end = hall_time(start), hall_time(end)
    return tr("halls.when", language, date=start.date().isoformat(),
              weekday=WEEKDAYS[language][start.weekday()], start=f"{start:%H:%M}",
              end=f"{end:%H:%M}")


class HallSteps(FlowCore):
    # What a session holds of "where to go"; all of it is dropped by _clear.
    halls_phase: HallsPhase
    halls: tuple[Hall, ...]
    hall: Hall | None
    slots_day: dt.date | None
    slots: tuple[Slot, ...]
    slot: Slot | None
    appointment: Appointment | None
    appointment_existing: bool            # held before this visit (409 already_booked)
    halls_notice: Text | None             # a refusal or what is missing, in words
    slip_state: PrintState
    slip_preview: bytes
    slip_message: Text | None
    _booking: BookingRequest | None       # the confirmed booking until it is answered
    _halls_return: Step

    def _clear(self) -> None:
        super()._clear()
        self._drop_halls()
        self._halls_return = Step.CHOOSE

    def _drop_halls(self) -> None:
        self.halls_phase = HallsPhase.LOADING
        self.halls, self.hall, self.slots_day, self.slots, self.slot = (), None, None, (), None
        self.appointment, self.appointment_existing = None, False
        self.halls_notice = None
        self.slip_state, self.slip_preview, self.slip_message = PrintState.IDLE, b"", None
        self._booking = None

    @property
    def offers_halls(self) -> bool:
        return self.ahead is not None

    # -- the list ---------------------------------------------------------------------------
    @guarded
    def find_halls(self) -> None:
        """Open "where to go" for the item being looked at."""
        self._need("find_halls", *HALLS_FROM)
        assert self.item is not None
        if self.ahead is None:
            return
        self.idle.activity()
        self._halls_return = self.step
        self._drop_halls()
        self._go(Step.HALLS)
        self._read_halls()

    @guarded
    def other_halls(self) -> None:
        """Back to the list from a hall's slots (read again: the queues move)."""
        self._need("other_halls", Step.HALLS)
        self.idle.activity()
        self.hall, self.slots, self.slot, self.halls_notice = None, (), None, None
        self.halls_phase = HallsPhase.LOADING
        self._changed(Topic.AHEAD)
        self._read_halls()

    def _read_halls(self) -> None:
        assert self.ahead is not None and self.item is not None
        session = self._session
        self.ahead.halls(self.item.code, lambda result: self._halls_read(session, result))

    @guarded
    def _halls_read(self, session: int, result: AheadResult[tuple[Hall, ...]]) -> None:
        from civic.ahead import by_expected_wait
        if not self._current(session) or self.step is not Step.HALLS \
                or self.halls_phase is not HallsPhase.LOADING:
            return
        self.halls_phase = HallsPhase.LIST
        if result.ok and result.value is not None:
            self.halls = by_expected_wait(result.value)
            self.halls_notice = None if self.halls else MESSAGES["halls.none"]
        else:
            self.halls = ()
            self.halls_notice = MESSAGES["halls.offline" if result.outcome
                                         is svc.AheadOutcome.OFFLINE else "halls.failed"]
        self._changed(Topic.AHEAD)

    def hall_is_stale(self, hall: Hall) -> bool:
        """Whether the hall's queue figures are older than five minutes now."""
        from civic.ahead import stale

        return stale(hall, self.now())

    # -- a hall's slots ---------------------------------------------------------------------
    @guarded
    def choose_hall(self, hall_id: str) -> None:
        self._need("choose_hall", Step.HALLS)
        self.idle.activity()
        self.hall = next(h for h in self.halls if h.hall_id == hall_id)
        self._read_slots(None)

    @guarded
    def other_day(self, days: int) -> None:
        """The hall's slots ``days`` later (or earlier: never before today)."""
        self._need("other_day", Step.HALLS)
        self.idle.activity()
        if self.slots_day is None:
            return
        from civic.ahead import hall_time

        self._read_slots(max(self.slots_day + dt.timedelta(days=days),
                             hall_time(self.now()).date()))

    @property
    def can_go_earlier(self) -> bool:
        """Whether "Day before" leads anywhere (never before today, in the halls' time)."""
        from civic.ahead import hall_time

        return self.slots_day is not None and self.slots_day > hall_time(self.now()).date()

    def _read_slots(self, day: dt.date | None) -> None:
        assert self.ahead is not None and self.item is not None and self.hall is not None
        self.halls_phase, self.slot, self.halls_notice = HallsPhase.SLOTS_LOADING, None, None
        self._changed(Topic.AHEAD)
        session = self._session
        self.ahead.slots(self.hall.hall_id, self.item.code, day,
                         lambda result: self._slots_read(session, result, day))

    @guarded
    def _slots_read(self, session: int, result: AheadResult[DaySlots], day: dt.date | None
                    ) -> None:
        if not self._current(session) or self.halls_phase is not HallsPhase.SLOTS_LOADING:
            return
        self.halls_phase = HallsPhase.SLOTS
        if result.ok and result.value is not None:
            self.slots_day = result.value.day or day
            self.slots = result.value.slots
            if result.value.day is None:
                self.halls_notice = MESSAGES["halls.no_day"]
            elif not any(s.free for s in self.slots):
                self.halls_notice = MESSAGES["halls.no_slots"]
        else:
            self.slots = ()
            self.halls_notice = MESSAGES["halls.offline" if result.outcome
                                         is svc.AheadOutcome.OFFLINE else "halls.failed"]
        self._changed(Topic.AHEAD)

    @guarded
    def choose_slot(self, start: dt.datetime) -> None:
        self._need("choose_slot", Step.HALLS)
        self.idle.activity()
        self.slot = next(s for s in self.slots if s.start == start and s.free > 0)
        self.halls_phase, self.halls_notice, self._booking = HallsPhase.CONFIRM, None, None
        self._changed(Topic.AHEAD)

    @guarded
    def other_times(self) -> None:
        """From the confirmation back to the same day's slots."""
        self._need("other_times", Step.HALLS)
        self.idle.activity()
        self._read_slots(self.slots_day)

    # -- booking ----------------------------------------------------------------------------
    @guarded
    def confirm_booking(self) -> None:
        """Book the chosen slot in the resident's card session (opened now if need be)."""
        self._need("confirm_booking", Step.HALLS)
        if self.halls_phase is not HallsPhase.CONFIRM:
            return
        assert self.item is not None and self.hall is not None and self.slot is not None
        self.idle.activity()
        if not self.card_present:
            self.halls_notice = MESSAGES["halls.no_card"]
            self._changed(Topic.AHEAD)
            return
        # the same slot confirmed again after a lost answer keeps its key: never two bookings
        import uuid  # here: the session module loads before the first frame

        if self._booking is None or self._booking.slot_start != self.slot.start_text:
            self._booking = svc.BookingRequest(str(uuid.uuid4()), self.hall.hall_id,
                                           self.item.code, self.slot.start_text)
        self.halls_phase, self.halls_notice = HallsPhase.BOOKING, None
        self._changed(Topic.AHEAD)
        session = self._session
        if self._card_session_id is not None:
            self._send_booking(session, retried=False)
        else:
            self._open_card_session(session, wanted=self._awaiting_booking,
                                    then=lambda: self._send_booking(session, retried=False),
                                    otherwise=self._booking_not_sent)

    def _awaiting_booking(self) -> bool:
        return self.step is Step.HALLS and self.halls_phase is HallsPhase.BOOKING

    def _send_booking(self, session: int, *, retried: bool) -> None:
        assert self.ahead is not None and self._booking is not None
        assert self._card_session_id is not None
        self.ahead.book(self._card_session_id, self._booking,
                        lambda result: self._booked(session, result, retried))

    def _booking_not_sent(self, outcome: PrefillOutcome) -> None:
        self.halls_phase = HallsPhase.CONFIRM
        self.halls_notice = MESSAGES[_BOOKING_WORDS.get(
            _NOT_OPENED.get(outcome, "error"), "halls.book_failed")]
        self._changed(Topic.AHEAD)

    @guarded
    def _booked(self, session: int, result: AheadResult[Appointment], retried: bool) -> None:
        if not self._current(session) or not self._awaiting_booking():
            return
        outcome = result.outcome
        if outcome is svc.AheadOutcome.NO_SESSION:
            self._card_session_lost(session, retried=retried, wanted=self._awaiting_booking,
                                    retry=lambda: self._send_booking(session, retried=True),
                                    give_up=self._booking_not_sent)
            return
        log.info("halls.booking", extra={"ctx": {"outcome": str(outcome)}})
        if result.ok and result.value is not None:
            self._booking = None
            self._show_appointment(result.value, existing=False)
        elif outcome is svc.AheadOutcome.ALREADY_BOOKED:
            self._booking = None
            if result.existing is not None:
                self._show_appointment(result.existing, existing=True)
            else:
                self.halls_phase = HallsPhase.CONFIRM
            self.halls_notice = MESSAGES["halls.already_booked"]
            self._changed(Topic.AHEAD)
        elif outcome is svc.AheadOutcome.SLOT_FULL:
            self._booking = None
            self._read_slots(self.slots_day)          # the day as it is now
            self.halls_notice = MESSAGES["halls.slot_full"]
            self._changed(Topic.AHEAD)
        else:                                         # offline: the same key next time
            self.halls_phase = HallsPhase.CONFIRM
            self.halls_notice = MESSAGES[_BOOKING_WORDS.get(outcome, "halls.book_failed")]
            self._changed(Topic.AHEAD)

    def _show_appointment(self, appointment: Appointment, *, existing: bool) -> None:
        self.appointment, self.appointment_existing = appointment, existing
        if self.hall is None or self.hall.hall_id != appointment.hall_id:
            self.hall = next((h for h in self.halls if h.hall_id == appointment.hall_id),
                             self.hall)
        self.halls_phase = HallsPhase.BOOKED
        self._changed(Topic.AHEAD)
        self.print_slip()

    # -- the slip ---------------------------------------------------------------------------
    @guarded
    def print_slip(self) -> None:
        """Print the appointment slip (again); its preview is what the printer was sent."""
        self._need("print_slip", Step.HALLS)
        if self.appointment is None or self.hall is None or self.item is None:
            return
        from kiosk.appointment_slip import AppointmentSlip, appointment_slip

        lang = self.language
        slip = appointment_slip(AppointmentSlip(
            self.appointment, self.hall, self.item.name.get(lang),
            official_item_name=self.item.name.zh, site_name=self.settings.site_name,
            language=lang))
        self.slip_state, self.slip_message = PrintState.PRINTING, None
        self._changed(Topic.AHEAD)
        session = self._session
        self.printer.print_receipt(
            slip, lambda outcome: self._appointment_slip_printed(session, outcome))

    @guarded
    def _appointment_slip_printed(self, session: int, outcome: PrintOutcome) -> None:
        if not self._current(session) or self.appointment is None:
            return
        if outcome.preview:
            self.slip_preview = outcome.preview
        self.slip_state = PrintState.PRINTED if outcome.printed else PrintState.FAILED
        self.slip_message = outcome.message
        self._changed(Topic.AHEAD)

    # -- cancelling -------------------------------------------------------------------------
    @guarded
    def cancel_appointment(self) -> None:
        """Cancel the booking shown, in this session (the card session names the resident)."""
        self._need("cancel_appointment", Step.HALLS)
        if self.appointment is None or self.ahead is None \
                or self.halls_phase is not HallsPhase.BOOKED:
            return
        self.idle.activity()
        if not self.card_present:
            self.halls_notice = MESSAGES["halls.no_card"]
            self._changed(Topic.AHEAD)
            return
        self.halls_phase, self.halls_notice = HallsPhase.CANCELLING, None
        self._changed(Topic.AHEAD)
        session = self._session
        if self._card_session_id is not None:
            self._send_cancel(session, retried=False)
        else:
            self._open_card_session(session, wanted=self._awaiting_cancel,
                                    then=lambda: self._send_cancel(session, retried=False),
                                    otherwise=self._cancel_not_sent)

    def _awaiting_cancel(self) -> bool:
        return self.step is Step.HALLS and self.halls_phase is HallsPhase.CANCELLING

    def _send_cancel(self, session: int, *, retried: bool) -> None:
        assert self.ahead is not None and self.appointment is not None
        assert self._card_session_id is not None
        self.ahead.cancel(self.appointment.appointment_id, self._card_session_id,
                          lambda result: self._cancelled(session, result, retried))

    def _cancel_not_sent(self, outcome: PrefillOutcome) -> None:
        self.halls_phase = HallsPhase.BOOKED
        self.halls_notice = MESSAGES["halls.no_card" if outcome is PrefillOutcome.NO_SESSION
                                     else "halls.cancel_failed"]
        self._changed(Topic.AHEAD)

    @guarded
    def _cancelled(self, session: int, result: AheadResult[bool], retried: bool) -> None:
        if not self._current(session) or not self._awaiting_cancel():
            return
        if result.outcome is svc.AheadOutcome.NO_SESSION:
            self._card_session_lost(session, retried=retried, wanted=self._awaiting_cancel,
                                    retry=lambda: self._send_cancel(session, retried=True),
                                    give_up=self._cancel_not_sent)
            return
        if result.ok:        # True, or False: the platform holds it open no longer either way
            self.appointment, self.appointment_existing = None, False
            self.slip_preview, self.slip_state = b"", PrintState.IDLE
            self.halls_phase, self.halls_notice = HallsPhase.CANCELLED, \
                MESSAGES["halls.cancelled"]
        else:
            self.halls_phase, self.halls_notice = HallsPhase.BOOKED, \
                MESSAGES["halls.cancel_failed"]
        self._changed(Topic.AHEAD)

    def halls_spoken(self) -> list[str]:
        """What is read out now (elder mode, a headphone, the keypad): a refusal or what is
        missing, and a booking's ticket, time and hall (never a name or ID number)."""
        lang = self.language
        said = [self.halls_notice.get(lang)] if self.halls_notice is not None else []
        booked = self.appointment
        if self.halls_phase is HallsPhase.BOOKED and booked is not None:
            said += [tr("halls.existing_title" if self.appointment_existing
                        else "halls.booked_title", lang),
                     tr("halls.ticket", lang, ticket=booked.ticket),
                     when_words(booked.slot_start, booked.slot_end, lang)]
            if self.hall is not None:
                said.append(tr("halls.hall", lang, hall=self.hall.name.get(lang)))
        return said

    # -- leaving ----------------------------------------------------------------------------
    @guarded
    def leave_halls(self) -> None:
        """Back to where "where to go" was opened (a booking made stays booked)."""
        self._need("leave_halls", Step.HALLS)
        self.idle.activity()
        self._drop_halls()
        self._go(self._halls_return)

    @guarded
    def finish_halls(self) -> None:
        """Done here: the card session ends, then goodbye (take the card and the slip)."""
        self._need("finish_halls", Step.HALLS)
        self._end_card_session()
        if not self.card_present:
            self.wipe("finished")
            return
        self._go(Step.GOODBYE)
