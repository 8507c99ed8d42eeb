"""Agent sign-in and sign-out through the real widgets: refusals and the lock-out in words,
sign-out after inactivity with nothing of the visit left behind."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.agent.visit import Page
from kiosk.config import AgentConfig
from tests.kiosk.ui.agent.conftest import PIN, WAIT, Rig
from tests.kiosk.ui.agent.test_journey import at, page, sign_in
from tests.kiosk.ui.residue import residue


class NoKeyboard:
    """Agent mode has no embedded keyboard: nothing learned anywhere."""

    def learned_files(self) -> list[Any]:
        return []


def test_wrong_pins_say_what_is_left_then_lock(qtbot: Any, rig: Rig) -> None:
    """Each wrong PIN says how many attempts are left; the last locks sign-in, and the right
    PIN is refused while locked — each time in words, and the PIN field is emptied."""
    messages = []
    for _ in range(3):
        sign_in(qtbot, rig, "000000")
        screen = page(rig)
        qtbot.waitUntil(lambda s=screen: not s.busy and s.message.objectName() == "error",
                        timeout=WAIT)
        messages.append(screen.message.text())
        assert screen.pin.text() == ""
    assert "再错2次" in messages[0] and "再错1次" in messages[1]
    assert "已锁定" in messages[2]
    sign_in(qtbot, rig, PIN)
    qtbot.waitUntil(lambda: not page(rig).busy, timeout=WAIT)
    assert rig.mode.visit.page is Page.SIGN_IN and "已锁定" in page(rig).message.text()


def test_offline_without_an_earlier_online_sign_in_is_explained(qtbot: Any, rig: Rig) -> None:
    """No signal and no record on this terminal: the agent is told to sign in online once."""
    rig.signal.down()
    sign_in(qtbot, rig)
    qtbot.waitUntil(lambda: "联网登录一次" in page(rig).message.text(), timeout=WAIT)
    assert rig.mode.auth.current is None


@pytest.mark.parametrize("agent_config", [AgentConfig(inactivity_sign_out_s=1)])
def test_inactivity_signs_out_and_leaves_nothing(qtbot: Any, rig: Rig,
                                                residents: dict[str, Any]) -> None:
    """Left alone at a resident's page, the agent is signed out: the sign-in page says why,
    and no widget, flow or identity keeps the resident's name or ID number."""
    sign_in(qtbot, rig)
    at(qtbot, rig, Page.WORKLIST)
    rig.reader.place("R001")
    at(qtbot, rig, Page.RESIDENT)
    assert rig.mode.flow.identity is not None
    at(qtbot, rig, Page.SIGN_IN)
    assert rig.mode.auth.current is None
    assert "自动退出" in page(rig).message.text()
    rig.remove_card(qtbot)
    resident = residents["R001"]
    found = residue([resident.name, resident.id_number], rig.mode.flow, NoKeyboard())
    assert not found, found
