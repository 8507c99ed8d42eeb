"""Thinking ahead through the real widgets (issue 19): the demo's sandbox on 127.0.0.1, the
ID-card emulator on a pty and the printer emulator on TCP, as ``kiosk run --demo``.

"For you" only after the citizen agrees, the 80-year-old's list first with reasons (and
read out in elder mode), a working-age list, offline in words; an item that needs a visit
shows the halls by expected wait (stale figures marked), books a slot, and the printed slip
decodes to hall, time and ticket with a QR that verifies; a full slot and a second booking
refused in words; cancelling; nothing of it left for the next citizen."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from civic.ahead import by_expected_wait, hall_time
from civic.pii import Personal
from kiosk.app.citizen import KioskApp
from kiosk.demo import Demo
from kiosk.flows import PrintState, Step
from kiosk.flows.for_you import ForYouState
from kiosk.flows.halls import HallsPhase
from kiosk.flows.messages import tr
from kiosk.ui.narrator import Narrator
from kiosk.ui.screens.hall_cards import HallCard
from kiosk.ui.speech import NullSpeaker
from offline_queue import credentials
from offline_queue.platform import PlatformClient
from tests.central.ahead_helpers import ELDERLY_ALLOWANCE, PENSION_CERTIFICATION, R001
from tests.kiosk.ui.driver import choose_by_search, current, role, tap, texts
from tests.kiosk.ui.residue import residue
from tests.kiosk.ui.test_journeys import (  # noqa: F401 - the journeys' fixtures
    SECRETS,
    WAIT,
    at,
    demo,
    identify,
    kiosk,
)
from tests.offline_queue.conftest import session_for

#: 老年人能力（失能）评估申请: agent_only at the kiosk, done at the civil-affairs halls
ASSESSMENT = "1133011000250201204005000020000"


@pytest.fixture
def other_terminal(demo: Demo, tmp_path: Path) -> Iterator[PlatformClient]:  # noqa: F811
    """Another kiosk enrolled with the same sandbox: a rival for the same slot."""
    from central import admin

    data = tmp_path / "other"
    data.mkdir(mode=0o700)
    code = admin.issue_enrollment_code(demo.sandbox.platform.settings.data_dir, "kiosk")
    creds = credentials.enroll(data, demo.sandbox.url, code, "kiosk", hostname="other",
                               app_version="0.1.0", site={"region_code": "330110",
                                                          "name": "other"})
    with PlatformClient.build(creds) as client:
        yield client


def for_you(qtbot, app: KioskApp) -> None:
    tap(qtbot, role(app.window, "for_you_agree"))
    qtbot.waitUntil(lambda: app.flow.for_you_state is not ForYouState.LOADING, timeout=WAIT)


# elder mode speaks: Qt Multimedia's FFmpeg backend warns that optional libraries (pipewire,
# VA-API) are absent on a test machine
@pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) .* (library|symbols)")
def test_for_you_comes_after_consent_most_pressing_first_and_is_read_out(
        qtbot, demo, kiosk) -> None:  # noqa: F811
    """R001 (80): the choose screen opens on the consent and nothing else of "For you";
    agreed, the pension certification (due 31 Dec) then the elderly allowance, with their
    reasons on the buttons, read out in elder mode; gone after the card is taken."""
    speaker = NullSpeaker()
    kiosk.narrator.close()                  # the app's narrator, speaking into a recorder
    kiosk.narrator = Narrator(kiosk.flow, speaker)
    try:
        identify(qtbot, demo, kiosk)
        kiosk.flow.set_elder(True)
        screen = current(kiosk.window)
        assert screen.for_you.ask.isVisible() and not screen.for_you.buttons()
        for_you(qtbot, kiosk)
        buttons = screen.for_you.buttons()
        assert [b.key for b in buttons[:2]] == [PENSION_CERTIFICATION, ELDERLY_ALLOWANCE]
        assert "12-31" in buttons[0].label_text()
        assert "80" in buttons[1].label_text() and not screen.for_you.ask.isVisible()
        said = " ".join(text for text, _ in speaker.said)
        assert "高龄津贴" in said and "80" in said and R001 not in said
        reasons = [b.label_text().splitlines()[1] for b in buttons]
    finally:
        kiosk.flow.set_elder(False)
        kiosk.narrator.close()
    demo.remove_id_card()
    at(qtbot, kiosk.flow, Step.ATTRACT)
    assert residue(SECRETS + reasons, kiosk.flow, kiosk.keyboard) == []


def test_a_working_age_resident_sees_another_list(qtbot, demo, kiosk) -> None:  # noqa: F811
    """R013 (41; R008's ID card is not valid before 2030, so the kiosk refuses it)."""
    identify(qtbot, demo, kiosk, "R013")
    for_you(qtbot, kiosk)
    keys = [b.key for b in current(kiosk.window).for_you.buttons()]
    assert keys and PENSION_CERTIFICATION not in keys and ELDERLY_ALLOWANCE not in keys


def test_offline_for_you_says_it_needs_the_network(qtbot, demo, kiosk) -> None:  # noqa: F811
    identify(qtbot, demo, kiosk)
    demo.cut_network()
    for_you(qtbot, kiosk)
    screen = current(kiosk.window)
    assert kiosk.flow.for_you_state is ForYouState.OFFLINE
    assert screen.for_you.notice.isVisible() and not screen.for_you.buttons()
    assert screen.for_you.notice.text() == tr("foryou.offline", "zh")


def to_halls(qtbot, demo: Demo, app: KioskApp) -> None:  # noqa: F811
    identify(qtbot, demo, app)
    choose_by_search(qtbot, app.window, "失能评估", ASSESSMENT)
    at(qtbot, app.flow, Step.AGENT_ONLY)
    tap(qtbot, role(app.window, "find_halls"))
    at(qtbot, app.flow, Step.HALLS)
    qtbot.waitUntil(lambda: app.flow.halls_phase is HallsPhase.LIST, timeout=WAIT)


def hall_cards(app: KioskApp) -> list[HallCard]:
    return current(app.window).content.findChildren(HallCard)


def book_at(qtbot, app: KioskApp, hall_id: str) -> None:
    card = next(c for c in hall_cards(app) if c.hall_id == hall_id)
    tap(qtbot, card.book)
    qtbot.waitUntil(lambda: app.flow.halls_phase is HallsPhase.SLOTS, timeout=WAIT)
    tap(qtbot, next(b for b in current(app.window).findChildren(type(card.book))
                    if b.property("role") == "slot" and b.isEnabled()))
    assert app.flow.halls_phase is HallsPhase.CONFIRM


def test_a_visit_shows_halls_by_wait_books_prints_and_cancels(
        qtbot, demo, kiosk) -> None:  # noqa: F811
    """The halls come by expected wait, the frozen one's figures marked with their age; a
    slot booked at H02: the slip printed through the emulator decodes to the hall, the time
    and the ticket, its QR verifies on the platform; cancelled within the session."""
    httpx.put(f"{demo.sandbox.url}/v1/_sandbox/faults",
              json={"stale_halls_min": 7, "stale_halls": ["H02"]}, timeout=5)
    to_halls(qtbot, demo, kiosk)
    flow = kiosk.flow
    cards = hall_cards(kiosk)
    assert [c.hall_id for c in cards] == [h.hall_id for h in by_expected_wait(flow.halls)]
    assert {c.hall_id for c in cards} == {"H01", "H02", "H03", "H06"}
    assert [c.hall_id for c in cards if not c.stale.isHidden()] == ["H02"]
    assert "7" in next(c for c in cards if c.hall_id == "H02").stale.text()
    slips = len(demo.decoded_slips)
    book_at(qtbot, kiosk, "H02")
    tap(qtbot, role(kiosk.window, "confirm_booking"))
    qtbot.waitUntil(lambda: flow.slip_state is PrintState.PRINTED, timeout=WAIT)
    booked = flow.appointment
    assert booked is not None and booked.hall_id == "H02"
    screen = current(kiosk.window)
    assert booked.ticket in texts(screen) and screen.preview.has_image()
    qtbot.waitUntil(lambda: len(demo.decoded_slips) == slips + 1, timeout=WAIT)
    slip = demo.decoded_slips[-1]
    printed = "".join(line.replace(" ", "") for line in slip.lines)
    start = hall_time(booked.slot_start)
    assert "良渚街道便民服务中心" in printed and booked.ticket in printed
    assert f"{start:%H:%M}" in printed and f"{start:%Y-%m-%d}" in printed
    assert not any(s in printed for s in SECRETS)
    assert [q.data for q in slip.qr_codes] == [booked.verify_url]
    assert httpx.get(booked.verify_url, timeout=10).status_code == 200
    tap(qtbot, role(kiosk.window, "cancel_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.CANCELLED, timeout=WAIT)
    assert tr("halls.cancelled", "zh") in texts(current(kiosk.window))
    del booked
    demo.remove_id_card()
    at(qtbot, flow, Step.ATTRACT)
    assert residue(SECRETS, flow, kiosk.keyboard) == []


def test_a_full_slot_and_a_second_booking_are_refused_in_words(
        qtbot, demo, kiosk, other_terminal) -> None:  # noqa: F811
    """The village point's one place taken by another terminal between choosing and
    confirming: refused in words, the day shown again with it full; R001 booked the item
    elsewhere already: that booking is shown with its ticket, and cancelled here."""
    to_halls(qtbot, demo, kiosk)
    flow = kiosk.flow
    book_at(qtbot, kiosk, "H06")
    assert flow.slot is not None
    start = flow.slot.start
    rival = Personal(next(r.id_number for r in demo.sandbox.platform.catalog.residents
                          if r.card_type == "resident" and r.id_number != R001), "id_number")
    rival_session = session_for(other_terminal, rival)
    taken = other_terminal.book(rival_session, str(uuid.uuid4()), "H06", ASSESSMENT,
                                flow.slot.start_text)
    tap(qtbot, role(kiosk.window, "confirm_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.SLOTS, timeout=WAIT)
    assert tr("halls.slot_full", "zh") in texts(current(kiosk.window))
    assert next(s for s in flow.slots if s.start == start).free == 0
    other_terminal.cancel_appointment(taken.appointment_id, rival_session)

    elder = Personal(R001, "id_number")
    h02 = other_terminal.slots("H02", ASSESSMENT).slots[-1]
    mine = other_terminal.book(session_for(other_terminal, elder), str(uuid.uuid4()), "H02",
                               ASSESSMENT, h02.start_text)
    tap(qtbot, role(kiosk.window, "other_halls"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.LIST, timeout=WAIT)
    book_at(qtbot, kiosk, "H03")
    tap(qtbot, role(kiosk.window, "confirm_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.BOOKED, timeout=WAIT)
    shown = texts(current(kiosk.window))
    assert tr("halls.already_booked", "zh") in shown and mine.ticket in shown
    assert flow.appointment == mine and flow.appointment_existing
    tap(qtbot, role(kiosk.window, "cancel_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.CANCELLED, timeout=WAIT)
    del taken, mine


def test_booking_offline_is_said_in_words(qtbot, demo, kiosk) -> None:  # noqa: F811
    to_halls(qtbot, demo, kiosk)
    book_at(qtbot, kiosk, "H01")
    demo.cut_network()
    tap(qtbot, role(kiosk.window, "confirm_booking"))
    qtbot.waitUntil(lambda: kiosk.flow.halls_notice is not None, timeout=WAIT)
    assert kiosk.flow.halls_phase is HallsPhase.CONFIRM
    assert tr("halls.book_offline", "zh") in texts(current(kiosk.window))


def test_a_keypad_user_keeps_focus_through_for_you_and_the_halls(
        qtbot, demo, kiosk) -> None:  # noqa: F811
    """"Agree and show" pressed by key hides itself: focus moves to the first item of the
    list; "Book" pressed by key rebuilds the halls screen: focus moves to the day's first
    control; every control on the way is named and described."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    identify(qtbot, demo, kiosk)
    agree = role(kiosk.window, "for_you_agree")
    assert agree.accessibleDescription()
    agree.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(agree, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: kiosk.flow.for_you_state is ForYouState.READY, timeout=WAIT)
    focused = QApplication.focusWidget()
    assert focused is current(kiosk.window).for_you.buttons()[0]
    assert focused.property("role") == "for_you_item" and focused.accessibleDescription()
    choose_by_search(qtbot, kiosk.window, "失能评估", ASSESSMENT)
    tap(qtbot, role(kiosk.window, "find_halls"))
    qtbot.waitUntil(lambda: kiosk.flow.halls_phase is HallsPhase.LIST, timeout=WAIT)
    book = hall_cards(kiosk)[0].book
    assert book.accessibleDescription()
    book.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(book, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: kiosk.flow.halls_phase is HallsPhase.SLOTS, timeout=WAIT)
    focused = QApplication.focusWidget()
    assert focused is not None and current(kiosk.window).content.isAncestorOf(focused)
    assert focused.property("role") in ("prev_day", "next_day", "slot")
    assert focused.accessibleDescription()


def test_a_slip_that_does_not_print_leaves_the_booking_standing(
        qtbot, demo, kiosk) -> None:  # noqa: F811
    """Out of paper: the booking is made and shown with its ticket, the screen says the slip
    did not print and that the booking stands, and "Print again" prints it once paper is
    back."""
    from devices.printer import PrinterState

    to_halls(qtbot, demo, kiosk)
    flow = kiosk.flow
    book_at(qtbot, kiosk, "H01")
    demo.set_paper(PrinterState.PAPER_OUT)
    tap(qtbot, role(kiosk.window, "confirm_booking"))
    qtbot.waitUntil(lambda: flow.slip_state is PrintState.FAILED, timeout=WAIT)
    assert flow.appointment is not None
    shown = texts(current(kiosk.window))
    assert flow.appointment.ticket in shown and "预约仍然有效" in shown
    slips = len(demo.decoded_slips)
    demo.set_paper(PrinterState.OK)
    tap(qtbot, role(kiosk.window, "reprint_slip"))
    qtbot.waitUntil(lambda: flow.slip_state is PrintState.PRINTED, timeout=WAIT)
    qtbot.waitUntil(lambda: len(demo.decoded_slips) == slips + 1, timeout=WAIT)
    tap(qtbot, role(kiosk.window, "cancel_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.CANCELLED, timeout=WAIT)
