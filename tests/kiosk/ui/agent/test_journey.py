"""An agent's day through the real widgets of agent mode: sign in, sync the work list, lose
the signal, sign in offline, read a resident's card on the emulated reader, apply twice
through the kiosk's own forms with consent and signature, come back online and see both
sent with their status updates — then correct a returned application through the form."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtWidgets import QPushButton

from kiosk.agent.visit import Page
from kiosk.flows import PrefillOutcome, PrefillState, Step
from offline_queue import State
from tests.kiosk.ui.agent.conftest import PIN, WAIT, Rig
from tests.kiosk.ui.driver import fill_form, role, sign, tap, texts

#: two items R001 can apply for now, with forms the sample answers fill
HEALTH_CHECK = "11330110002505010F4009000010000"
PENSION_CHECK = "11330110002503015G4007000015000"


class Forms:
    """The driver's view of the citizen screens hosted in agent mode."""

    def __init__(self, rig: Rig) -> None:
        self.host = rig.window.pages[Page.FORMS]
        self.stack = self.host.stack
        self.camera = rig.window.camera


def page(rig: Rig) -> Any:
    return rig.window.page_widget()


def at(qtbot: Any, rig: Rig, where: Page) -> None:
    qtbot.waitUntil(lambda: rig.mode.visit.page is where, timeout=WAIT)


def button(widget: Any, name: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton)
             if b.property("role") == name and b.isVisible()]
    assert found, f"no visible {name!r} button on {widget.objectName()}"
    return found[0]


def sign_in(qtbot: Any, rig: Rig, pin: str = PIN) -> None:
    at(qtbot, rig, Page.SIGN_IN)
    screen = page(rig)
    screen.number.clear()
    qtbot.keyClicks(screen.number, rig.agent_number)
    qtbot.keyClicks(screen.pin, pin)
    tap(qtbot, screen.go)


def apply(qtbot: Any, rig: Rig, code: str) -> str:
    """From the resident's page to the receipt and back; returns the submission id."""
    flow = rig.mode.flow
    qtbot.waitUntil(lambda: any(b.key == code and b.isVisible() for b in page(rig).items))
    item = next(b for b in page(rig).items if b.key == code)
    tap(qtbot, item)
    at(qtbot, rig, Page.FORMS)
    forms = Forms(rig)
    assert flow.step is Step.ITEM
    tap(qtbot, role(forms, "start"))
    tap(qtbot, role(forms, "agree"))                     # the resident's consent
    if flow.step is Step.FACE_CHECK:                      # a face item: the agent attests
        assert "当面见到申请人本人" in texts(forms.stack.currentWidget())
        tap(qtbot, role(forms, "face_attest"))
        assert flow.identity_check is not None
    qtbot.waitUntil(lambda: flow.prefill_state in (PrefillState.DONE, PrefillState.FAILED),
                    timeout=WAIT)
    fill_form(qtbot, forms)
    tap(qtbot, role(forms, "next"))
    assert flow.step is Step.REVIEW, flow.errors
    tap(qtbot, role(forms, "confirm"))
    sign(qtbot, forms)                                   # the resident's signature
    tap(qtbot, role(forms, "submit"))
    qtbot.waitUntil(lambda: flow.step is Step.RECEIPT, timeout=WAIT)
    sid = flow.submission_id
    assert sid is not None and flow.local_receipt
    tap(qtbot, role(forms, "done"))
    at(qtbot, rig, Page.RESIDENT)
    return sid


def test_agent_day_offline_visit_then_sent_with_status(qtbot: Any, rig: Rig,
                                                       residents: dict[str, Any]) -> None:
    """Signed in and synced online, then offline from sign-in to two queued applications by
    card and form (no personal data in plain text on disk); back online, the queue page
    shows both sent with status updates."""
    from tests.kiosk.agent.test_journey import plain_text_hits, secrets_of

    mode, window = rig.mode, rig.window
    sign_in(qtbot, rig)
    at(qtbot, rig, Page.WORKLIST)
    assert mode.auth.current is not None and mode.auth.current.online
    assert "在线" in window.who.text()
    tap(qtbot, button(window.sync, "sync"))
    qtbot.waitUntil(lambda: mode.visit.worklist is not None and not window.sync.busy,
                    timeout=WAIT)
    listed = page(rig)
    assert len(listed.rows) == len(mode.visit.worklist.residents) > 0
    assert "上次成功同步" in window.sync.last.text()

    rig.signal.down()                                    # out to the village: no signal
    tap(qtbot, window.sign_out_button)
    sign_in(qtbot, rig)
    at(qtbot, rig, Page.WORKLIST)
    assert not mode.auth.current.online and "离线" in window.who.text()
    assert mode.visit.worklist is not None, "the sealed list opens offline"

    rig.reader.place("R001")                             # at the door
    at(qtbot, rig, Page.RESIDENT)
    assert mode.visit.resident is not None
    resident = page(rig)
    shown = {b.key for b in resident.items}
    assert {HEALTH_CHECK, PENSION_CHECK} <= shown
    assert "理由" in resident.items[0].label_text()
    assert "*" in resident.title.text()                  # the name only masked
    ids = [apply(qtbot, rig, HEALTH_CHECK), apply(qtbot, rig, PENSION_CHECK)]
    rig.remove_card(qtbot)                               # the resident keeps the card
    assert [rig.outbox.get(i)["state"] for i in ids] == [State.PENDING] * 2
    assert [rig.outbox.get(i)["attempts"] for i in ids] == [0, 0], "held, never tried"
    assert all(rig.outbox.get(i)["agent_id"] == mode.auth.current.agent_id for i in ids)
    # the pension certification needs the person checked: the agent attested it
    checks = [(rig.outbox.body(i) or {}).get("identity_check") for i in ids]
    assert checks[0] is None and checks[1] is not None
    assert checks[1]["method"] == "agent_attested" and checks[1]["check_id"] is None
    hits = plain_text_hits(rig.data_dir, secrets_of(residents, ["R001"]))
    assert not hits, hits

    tap(qtbot, button(page(rig), "open_queue"))
    at(qtbot, rig, Page.QUEUE)
    queue = page(rig)
    assert sorted(queue.shown["pending"]) == sorted(ids)
    # the queue's events reach the panel through the GUI thread's event loop, after the
    # enqueue on the agent's worker: wait for them instead of reading the label at once
    qtbot.waitUntil(lambda: "2 件申请将在您联网登录后发送" in window.sync.state.text(),
                    timeout=WAIT)

    rig.signal.up()                                      # back where there is signal
    tap(qtbot, button(window.sync, "sync"))
    qtbot.waitUntil(lambda: sorted(queue.shown["sent"]) == sorted(ids), timeout=WAIT)
    assert mode.auth.current.online
    answer = httpx.post(f"{rig.sandbox.url}/v1/_sandbox/advance", json={"steps": 2})
    assert answer.status_code == 200
    mode.worker.trigger()                                # the next run pulls the changes
    qtbot.waitUntil(lambda: "审核中" in texts(queue) or "已受理" in texts(queue),
                    timeout=WAIT)
    text = texts(queue)
    for sid in ids:
        assert rig.outbox.get(sid)["case_number"] in text
    assert "已接收" in text                              # the first status update, listed


def test_returned_application_corrected_through_the_form(qtbot: Any, rig: Rig,
                                                        id_cards: dict[str, Any]) -> None:
    """A dead item shows the platform's reasons; "correct" asks for the applicant's card,
    opens the form with the rejected values, and the signed copy replaces the dead one."""
    from kiosk.agent import as_agent_submission
    from tests.kiosk.agent.conftest import application, identity_of

    mode = rig.mode
    sign_in(qtbot, rig)
    at(qtbot, rig, Page.WORKLIST)
    card = id_cards["R001"]
    built = application((mode.flow.catalog, mode.flow.catalog.version), HEALTH_CHECK,
                        identity_of(card))
    broken = {**built.body, "form": {**built.body["form"], "__no_such_field__": "x"}}
    dead_id = rig.outbox.enqueue(as_agent_submission(broken, mode.auth.current.agent_id),
                                 built.blobs())
    qtbot.waitUntil(lambda: rig.outbox.get(dead_id)["state"] == State.DEAD, timeout=WAIT)
    tap(qtbot, button(page(rig), "open_queue"))
    at(qtbot, rig, Page.QUEUE)
    queue = page(rig)
    qtbot.waitUntil(lambda: dead_id in queue.correct_buttons and "退回原因" in texts(queue),
                    timeout=WAIT)
    tap(qtbot, queue.correct_buttons[dead_id])
    at(qtbot, rig, Page.CORRECT)
    rig.reader.place("R002")                             # not the applicant
    qtbot.waitUntil(lambda: mode.visit.notice is not None, timeout=WAIT)
    assert mode.visit.page is Page.CORRECT and "不是该申请人" in texts(page(rig))
    rig.remove_card(qtbot)
    rig.reader.place("R001")
    at(qtbot, rig, Page.FORMS)
    forms = Forms(rig)
    assert mode.flow.step is Step.FORM and "更正" in forms.host.banner.text()
    tap(qtbot, role(forms, "next"))
    tap(qtbot, role(forms, "confirm"))
    sign(qtbot, forms)
    tap(qtbot, role(forms, "submit"))
    qtbot.waitUntil(lambda: mode.flow.step is Step.RECEIPT, timeout=WAIT)
    new_id = mode.flow.submission_id
    tap(qtbot, role(forms, "done"))
    at(qtbot, rig, Page.QUEUE)
    qtbot.waitUntil(lambda: rig.outbox.get(new_id)["state"] == State.SENT, timeout=WAIT)
    assert rig.outbox.get(new_id)["replaces"] == dead_id
    qtbot.waitUntil(lambda: page(rig).shown["dead"] == [], timeout=WAIT)
    rig.reader.remove()


def test_a_resident_outside_the_agents_area_is_told_to_the_agent(qtbot: Any, rig: Rig) -> None:
    """Signed in online, the agent reads the card of a resident of another village and starts
    an item: the platform refuses the card session (outside_area), no shared data is read,
    and the form tells the agent why."""
    mode, flow = rig.mode, rig.mode.flow
    sign_in(qtbot, rig)
    at(qtbot, rig, Page.WORKLIST)
    assert mode.auth.current is not None and mode.auth.current.online
    rig.reader.place("R005")                             # of 东湖村; the agent's is 荀山村
    at(qtbot, rig, Page.RESIDENT)
    assert mode.visit.resident is None and flow.identity is not None
    mode.visit.start(HEALTH_CHECK)                       # what an item's button does
    at(qtbot, rig, Page.FORMS)
    forms = Forms(rig)
    tap(qtbot, role(forms, "start"))
    tap(qtbot, role(forms, "agree"))
    qtbot.waitUntil(lambda: flow.prefill_state is PrefillState.FAILED, timeout=WAIT)
    assert flow.prefill_outcome is PrefillOutcome.OUTSIDE_AREA
    assert "不属于您的服务片区" in forms.stack.currentWidget().status.text()
    with rig.sandbox.platform.db.session() as conn:
        opened = conn.execute("SELECT COUNT(*) FROM card_sessions WHERE device_id = ?",
                              (mode.flow.settings.terminal_id,)).fetchone()[0]
    assert opened == 0
    rig.remove_card(qtbot)

