"""Thinking ahead in agent mode through the real widgets (issue 19): at the resident's door,
with the resident's consent, the platform's live "For you" (read in the card session the
agent opens with the agent's token), and a booking at a hall made on the resident's behalf
from an item that only a hall or an agent finishes."""

from __future__ import annotations

from typing import Any

from kiosk.agent.visit import Page
from kiosk.flows import Step
from kiosk.flows.for_you import ForYouState
from kiosk.flows.halls import HallsPhase
from kiosk.ui.screens.hall_cards import HallCard
from tests.central.ahead_helpers import ELDERLY_ALLOWANCE, PENSION_CERTIFICATION
from tests.kiosk.ui.agent.conftest import WAIT, Rig
from tests.kiosk.ui.agent.test_journey import Forms, at, button, page, sign_in
from tests.kiosk.ui.driver import choose_by_search, role, tap

#: 老年人能力（失能）评估申请: agent_only, done at the civil-affairs halls
ASSESSMENT = "1133011000250201204005000020000"


def test_the_resident_page_offers_for_you_and_the_agent_books_a_hall(
        qtbot: Any, rig: Rig) -> None:
    mode = rig.mode
    flow = mode.flow
    sign_in(qtbot, rig)
    at(qtbot, rig, Page.WORKLIST)
    rig.reader.place("R001")
    at(qtbot, rig, Page.RESIDENT)
    resident = page(rig)
    assert flow.for_you_state is ForYouState.ASK and not flow.for_you
    tap(qtbot, button(resident, "for_you_agree"))            # the resident agreed
    qtbot.waitUntil(lambda: flow.for_you_state is ForYouState.READY, timeout=WAIT)
    qtbot.waitUntil(lambda: any(b.property("role") == "for_you_item" for b in resident.items),
                    timeout=WAIT)
    live = [b for b in resident.items if b.property("role") == "for_you_item"]
    assert [b.key for b in live[:2]] == [PENSION_CERTIFICATION, ELDERLY_ALLOWANCE]
    assert "12-31" in live[0].label_text() and "80" in live[1].label_text()

    tap(qtbot, button(resident, "all_items"))
    at(qtbot, rig, Page.FORMS)
    forms = Forms(rig)
    choose_by_search(qtbot, forms, "失能评估", ASSESSMENT)
    assert flow.step is Step.ITEM                            # an agent fills it in here...
    tap(qtbot, role(forms, "find_halls"))                    # ...or books the hall for them
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.LIST, timeout=WAIT)
    screen = forms.stack.currentWidget()
    card = next(c for c in screen.content.findChildren(HallCard) if c.hall_id == "H03")
    tap(qtbot, card.book)
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.SLOTS, timeout=WAIT)
    slot = next(b for b in screen.findChildren(type(card.book))
                if b.property("role") == "slot" and b.isEnabled())
    tap(qtbot, slot)
    tap(qtbot, role(forms, "confirm_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.BOOKED, timeout=WAIT)
    booked = flow.appointment
    assert booked is not None and booked.hall_id == "H03" and booked.ticket
    tap(qtbot, role(forms, "cancel_booking"))
    qtbot.waitUntil(lambda: flow.halls_phase is HallsPhase.CANCELLED, timeout=WAIT)
    tap(qtbot, role(forms, "halls_back"))
    assert flow.step is Step.ITEM
