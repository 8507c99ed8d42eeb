"""Complete journeys through the real widgets, with the emulated ID-card reader on a pty,
the emulated receipt printer on TCP and the real sandbox platform on 127.0.0.1 — the same
wiring as ``kiosk run --demo``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from devices.printer import PrinterState
from kiosk import config as cfg
from kiosk.app.citizen import KioskApp
from kiosk.demo import Demo
from kiosk.flows import PrefillState, PrintState, Step
from kiosk.flows.line import Line
from offline_queue import State
from tests.kiosk.flows.conftest import DISABILITY_CARD, INSURANCE_PROOF, PENSION
from tests.kiosk.ui.driver import choose_by_search, current, fill_form, role, sign, tap, type_text
from tests.kiosk.ui.residue import residue

SECRETS = ["张建国", "330110194610230210", "张**"]
WAIT = 15_000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("demo")
    demo = Demo(root, cfg.Config(), pacing=False, workflow_step_s=0, virtual_card=False)
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def kiosk(qtbot, demo: Demo, data_dir: Path, catalog) -> Iterator[KioskApp]:
    from kiosk.ui.fonts import ui_font

    QApplication.instance().setFont(ui_font())
    demo.enrol(data_dir)
    wiring = _wiring(demo)
    app = KioskApp(data_dir, cfg.Config(), wiring, catalog=catalog).open(show=False)
    app.window.resize(1280, 800)
    app.window.show()
    app.start_background()
    yield app
    demo.remove_id_card()
    demo.cut_network(False)
    demo.set_paper(PrinterState.OK)
    app.close()


def _wiring(demo: Demo):
    from kiosk.app import Wiring

    return Wiring(idcard_url=demo.idcard.device_path, printer_url=demo.printer.tcp_url,
                  use_pcsc=False, a4_out_dir=demo.root / "a4", lockdown=False,
                  probe_camera=False,
                  extra={"offline_probe_s": 0.5, "tick_ms": 200, "retry_cap_s": 0.5,
                         "flow": {"online_wait_s": 3.0, "goodbye_s": 2.0}})


def at(qtbot, flow, step: Step, timeout: int = WAIT) -> None:
    qtbot.waitUntil(lambda: flow.step is step, timeout=timeout)


def identify(qtbot, demo: Demo, app: KioskApp, ref: str = "R001") -> None:
    demo.place_id_card(ref)
    at(qtbot, app.flow, Step.CHOOSE)


def through_form(qtbot, app: KioskApp, code: str, query: str, consent: bool = True) -> None:
    window, flow = app.window, app.flow
    choose_by_search(qtbot, window, query, code)
    tap(qtbot, role(window, "start"))
    tap(qtbot, role(window, "agree" if consent else "decline"))
    if consent:
        qtbot.waitUntil(lambda: flow.prefill_state in (PrefillState.DONE, PrefillState.FAILED),
                        timeout=WAIT)
    fill_form(qtbot, window)


def submit(qtbot, app: KioskApp) -> None:
    tap(qtbot, role(app.window, "next"))
    assert app.flow.step is Step.REVIEW, app.flow.errors
    tap(qtbot, role(app.window, "confirm"))
    sign(qtbot, app.window)
    tap(qtbot, role(app.window, "submit"))


def test_online_apply_with_a_validation_error_fixed(qtbot, demo, kiosk) -> None:
    """Card on the emulated reader, prefill from the sandbox, a wrong phone corrected, signed;
    the case number arrives and is printed on the emulated printer and shown on screen."""
    slips = len(demo.slips)
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, PENSION, "养老保险参保")
    flow, form = kiosk.flow, current(kiosk.window)
    assert flow.prefilled.get("phone") == "shared"
    phone = form.rows["phone"].edit
    phone.setFocus()
    phone.clear()
    type_text(qtbot, phone, "1380571")
    tap(qtbot, role(kiosk.window, "next"))
    assert flow.step is Step.FORM and form.rows["phone"].error.isVisible()
    phone.setFocus()
    type_text(qtbot, phone, "0000")
    submit(qtbot, kiosk)
    at(qtbot, flow, Step.RECEIPT)
    assert flow.case_number, "the sandbox answered within the wait"
    qtbot.waitUntil(lambda: flow.print_state is PrintState.PRINTED, timeout=WAIT)
    screen = current(kiosk.window)
    assert flow.case_number in screen.number.text() and screen.preview.has_image()
    qtbot.waitUntil(lambda: len(demo.slips) == slips + 1, timeout=WAIT)
    assert kiosk.outbox.get(flow.submission_id)["state"] == State.SENT
    demo.remove_id_card()
    tap(qtbot, role(kiosk.window, "done"))
    at(qtbot, flow, Step.ATTRACT)


def card_sessions(demo: Demo, data_dir: Path) -> tuple[int, int]:
    """This kiosk's card sessions on the sandbox: (opened, still open)."""
    from offline_queue import credentials

    device_id = credentials.load(data_dir).device_id
    with demo.sandbox.platform.db.session() as conn:
        row = conn.execute("SELECT COUNT(*), COUNT(*) - COUNT(closed_at) FROM card_sessions "
                           "WHERE device_id = ?", (device_id,)).fetchone()
    return int(row[0]), int(row[1])


def test_finishing_closes_the_card_session_before_the_card_is_taken(
        qtbot, demo, kiosk, data_dir) -> None:
    """Consent opens one card session on the platform, prefill is read in it; "finish" on
    the receipt closes it at once, with the card still on the reader."""
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, PENSION, "养老保险参保")
    flow = kiosk.flow
    assert flow.prefilled.get("phone") == "shared"
    assert card_sessions(demo, data_dir) == (1, 1)
    submit(qtbot, kiosk)
    at(qtbot, flow, Step.RECEIPT)
    qtbot.waitUntil(lambda: flow.print_state is PrintState.PRINTED, timeout=WAIT)
    tap(qtbot, role(kiosk.window, "done"))
    at(qtbot, flow, Step.GOODBYE)
    qtbot.waitUntil(lambda: card_sessions(demo, data_dir) == (1, 0), timeout=WAIT)
    demo.remove_id_card()
    at(qtbot, flow, Step.ATTRACT)


def test_offline_then_synced_with_status_shown(qtbot, demo, kiosk) -> None:
    """Network cut: queued with a local receipt number and an honest explanation; the status
    bar shows it waiting; when the line is back it is delivered and the case number shown."""
    demo.cut_network(True)
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, PENSION, "养老保险参保")
    flow = kiosk.flow
    assert flow.prefill_state is PrefillState.FAILED
    # no session can be opened offline, so no shared data: the form says so
    assert "网络中断，本次无法使用共享数据" in current(kiosk.window).status.text()
    submit(qtbot, kiosk)
    at(qtbot, flow, Step.RECEIPT)
    screen = current(kiosk.window)
    assert flow.case_number is None and flow.local_receipt in screen.number.text()
    assert "自动提交" in screen.explain.text()
    status = kiosk.window.status
    qtbot.waitUntil(lambda: "1" in status.queue.text(), timeout=WAIT)
    # what the sync worker reported, not a guess: its run ended "offline"
    qtbot.waitUntil(lambda: status.net.line is Line.OFFLINE, timeout=WAIT)
    assert "网络中断" in status.network.text() and status.queue.isVisible()
    demo.cut_network(False)              # the worker's health probe finds the line back
    qtbot.waitUntil(lambda: flow.case_number is not None, timeout=WAIT)
    assert flow.case_number in screen.number.text()
    qtbot.waitUntil(lambda: not status.queue.isVisible() and status.net.line is Line.ONLINE,
                    timeout=WAIT)
    assert "网络正常" in status.network.text()


def test_query_print_with_an_a4_proof(qtbot, demo, kiosk) -> None:
    """A query_print item: consent, form, the proof's preview from its PDF, printed."""
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, INSURANCE_PROOF, "参保证明")
    tap(qtbot, role(kiosk.window, "next"))
    flow = kiosk.flow
    assert flow.step is Step.PROOF
    qtbot.waitUntil(lambda: bool(flow.proof_pages), timeout=WAIT)
    assert current(kiosk.window).page.has_image()
    tap(qtbot, role(kiosk.window, "print"))
    qtbot.waitUntil(lambda: flow.print_state is PrintState.PRINTED, timeout=WAIT)
    assert list((demo.root / "a4").glob("proof-*.pdf"))


def test_agent_only_item_explains_where_to_go(qtbot, demo, kiosk) -> None:
    """An agent_only item ends at where and how it is done; the agent can help."""
    identify(qtbot, demo, kiosk)
    choose_by_search(qtbot, kiosk.window, "残疾人证", DISABILITY_CARD)
    assert kiosk.flow.step is Step.AGENT_ONLY
    assert current(kiosk.window).helper.isVisible()
    tap(qtbot, role(kiosk.window, "finish"))
    at(qtbot, kiosk.flow, Step.GOODBYE)
    demo.remove_id_card()
    at(qtbot, kiosk.flow, Step.ATTRACT)


def test_idle_expiry_mid_form_leaves_nothing(qtbot, demo, kiosk, data_dir) -> None:
    """The citizen walks away mid-form: warning, countdown, wipe; nothing of them remains,
    and the card session they agreed to is closed on the platform."""
    kiosk.flow.idle.warning_s, kiosk.flow.idle.countdown_s = 1.0, 1.0
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, PENSION, "养老保险参保")
    assert card_sessions(demo, data_dir) == (1, 1)
    qtbot.waitUntil(kiosk.window.idle_warning.isVisible, timeout=WAIT)
    at(qtbot, kiosk.flow, Step.ATTRACT)
    qtbot.waitUntil(lambda: card_sessions(demo, data_dir) == (1, 0), timeout=WAIT)
    assert residue(SECRETS, kiosk.flow, kiosk.keyboard) == []


def test_card_removed_mid_flow(qtbot, demo, kiosk, data_dir) -> None:
    """Taking the card off the reader during the form wipes the session at once and closes
    its card session on the platform."""
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, PENSION, "养老保险参保")
    assert card_sessions(demo, data_dir) == (1, 1)
    demo.remove_id_card()
    at(qtbot, kiosk.flow, Step.ATTRACT)
    qtbot.waitUntil(lambda: card_sessions(demo, data_dir) == (1, 0), timeout=WAIT)
    assert residue(SECRETS, kiosk.flow, kiosk.keyboard) == []


def test_printer_out_of_paper_at_the_end(qtbot, demo, kiosk) -> None:
    """Paper out: the receipt stays on screen with what to do, the submission is delivered
    anyway, and once paper is back 'print again' prints it."""
    identify(qtbot, demo, kiosk)
    through_form(qtbot, kiosk, PENSION, "养老保险参保", consent=False)
    demo.set_paper(PrinterState.PAPER_OUT)
    submit(qtbot, kiosk)
    flow = kiosk.flow
    at(qtbot, flow, Step.RECEIPT)
    qtbot.waitUntil(lambda: flow.print_state is PrintState.FAILED, timeout=WAIT)
    screen = current(kiosk.window)
    assert screen.print_status.isVisible() and "缺纸" in screen.print_status.text()
    assert screen.preview.has_image()
    qtbot.waitUntil(lambda: kiosk.outbox.get(flow.submission_id)["state"] == State.SENT,
                    timeout=WAIT)
    assert "缺纸" in kiosk.window.status.printer.text()
    demo.set_paper(PrinterState.OK)
    tap(qtbot, role(kiosk.window, "reprint"))
    qtbot.waitUntil(lambda: flow.print_state is PrintState.PRINTED, timeout=WAIT)
