"""The three composition roots as ``kiosk run`` builds them, over the demo's real parts (the
sandbox on 127.0.0.1, the ID-card reader emulator on a pty, the printer emulator on TCP):
the kiosk's hidden gesture into technician mode and back with the devices resumed, the
fleet heartbeat carrying the devices' states, agent mode signing in and reaching its work
list, technician mode on its own leaving kiosk mode with the status systemd expects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from civic.pin import hash_pin
from devices.printer import PrinterState
from kiosk import config as cfg
from kiosk.app.wiring import Wiring
from kiosk.demo import Demo
from kiosk.demo.launcher import DEMO_AGENT_NUMBER, DEMO_AGENT_PIN
from kiosk.flows import Step
from kiosk.systemd import LEAVE_KIOSK_EXIT_STATUS
from tests.kiosk.ui.driver import tap

PIN = "246810"
WAIT = 15_000


def demo_of(tmp_path_factory: pytest.TempPathFactory, kind: str) -> Demo:
    demo = Demo(tmp_path_factory.mktemp(f"demo-{kind}"), cfg.Config(), kind=kind,
                pacing=False, workflow_step_s=0, virtual_card=False)
    demo.start()
    return demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    demo = demo_of(tmp_path_factory, "kiosk")
    yield demo
    demo.stop()


def settings(data_dir: Path, demo: Demo) -> cfg.Config:
    """The terminal configured as a technician would: reader and printer in config.toml
    (not in the wiring), so that a resume after technician mode reads them again."""
    cfg.write_toml(data_dir / cfg.CONFIG_FILE, {
        "security": {"technician_pin_hash": hash_pin(PIN)},
        "devices": {"idcard_port": demo.idcard.device_path,
                    "receipt_printer": demo.printer.tcp_url}})
    return cfg.load(data_dir)


def wiring() -> Wiring:
    return Wiring(use_pcsc=False, lockdown=False, probe_camera=False,
                  extra={"tick_ms": 200, "offline_probe_s": 0.5, "retry_cap_s": 0.5,
                         "printer_check_s": 0.3})


def fleet_devices(demo: Demo, device_id: str) -> dict[str, Any]:
    from central import admin

    rows = admin.fleet(demo.sandbox.platform.settings.data_dir)
    beat = next((r["heartbeat"] for r in rows if r["device_id"] == device_id), None) or {}
    return beat.get("devices") or {}


@pytest.fixture
def kiosk(qtbot: Any, demo: Demo, data_dir: Path, catalog: Any) -> Iterator[Any]:
    from kiosk.app.citizen import KioskApp
    from kiosk.ui.fonts import ui_font

    QApplication.instance().setFont(ui_font())
    demo.enrol(data_dir)
    left: list[int] = []
    app = KioskApp(data_dir, settings(data_dir, demo), wiring(), catalog=catalog,
                   on_leave=left.append).open(show=False)
    app.left = left
    app.window.resize(1280, 800)
    app.window.show()
    app.start_background()
    yield app
    demo.remove_id_card()
    demo.set_paper(PrinterState.OK)
    app.close()


def enter_technician(qtbot: Any, window: Any) -> Any:
    """Five taps on the hidden corner, then the technician's number and PIN."""
    for _ in range(5):
        tap(qtbot, window.corner_button)
    technician = window.technician
    assert technician is not None and window.stack.currentWidget() is technician
    gate = technician.gate_page
    gate.number.setText("T07")
    qtbot.keyClicks(gate.pin, PIN)
    tap(qtbot, gate.go)
    qtbot.waitUntil(lambda: technician.technician_console is not None, timeout=WAIT)
    return technician


def audited(data_dir: Path, action: str) -> list[dict[str, Any]]:
    import json

    path = data_dir / "audit" / "technician.jsonl"
    return [e for e in map(json.loads, path.read_text().splitlines()) if e["action"] == action]


def test_gesture_opens_technician_mode_and_the_readers_come_back(
        qtbot: Any, demo: Demo, kiosk: Any, data_dir: Path) -> None:
    """The kiosk hands its reader to the technician (paused while the console is open),
    takes it back when they leave (a card then starts a session), and an unattended
    console closes itself."""
    window, flow = kiosk.window, kiosk.flow
    qtbot.waitUntil(lambda: kiosk.readers.idcard.monitor.running, timeout=WAIT)
    technician = enter_technician(qtbot, window)
    assert not kiosk.readers.idcard.monitor.running     # the ports are the technician's
    assert not kiosk.printer_check.isActive()
    tap(qtbot, technician.exit_button)
    assert window.stack.currentWidget() is window.attract
    assert kiosk.printer_check.isActive()
    assert audited(data_dir, "technician.exit")[-1]["detail"]["why"] == "button"
    demo.place_id_card("R001")
    qtbot.waitUntil(lambda: flow.step is Step.CHOOSE, timeout=WAIT)
    demo.remove_id_card()
    qtbot.waitUntil(lambda: flow.step is Step.ATTRACT, timeout=WAIT)

    technician = enter_technician(qtbot, window)
    technician.idle_exit_s = 0.3                        # a technician who walked away
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.attract, timeout=WAIT)
    assert technician.technician_console is None
    assert audited(data_dir, "technician.exit")[-1]["detail"]["why"] == "inactivity"
    qtbot.waitUntil(lambda: kiosk.readers.idcard.monitor.running, timeout=WAIT)


def test_the_platform_s_catalog_is_swapped_in_between_sessions(
        qtbot: Any, demo: Demo, kiosk: Any, data_dir: Path, catalog: Any) -> None:
    """At start the kiosk asks the platform for its catalog, which is checked, saved and
    indexed on the ``catalog`` worker and then replaces the flow's; one that arrives during
    a session waits on the side until the session ends (the session keeps its catalog)."""
    flow = kiosk.flow
    qtbot.waitUntil(lambda: flow.catalog is not catalog, timeout=WAIT)
    served = flow.catalog
    assert (data_dir / "catalog" / "catalog.json").exists() and served.search("gjj", 3)
    demo.place_id_card("R001")
    qtbot.waitUntil(lambda: flow.step is Step.CHOOSE, timeout=WAIT)
    (data_dir / "catalog" / "etag").unlink()           # the next ask gets it whole again
    kiosk.catalog_updates.refresh()
    qtbot.waitUntil(lambda: kiosk.catalog_swap.waiting is not None, timeout=WAIT)
    assert flow.catalog is served
    newer = kiosk.catalog_swap.waiting
    demo.remove_id_card()
    qtbot.waitUntil(lambda: flow.step is Step.ATTRACT, timeout=WAIT)
    assert flow.catalog is newer and kiosk.catalog_swap.waiting is None


def test_leaving_kiosk_mode_from_the_gesture_ends_the_app_with_the_unit_s_status(
        qtbot: Any, kiosk: Any) -> None:
    technician = enter_technician(qtbot, kiosk.window)
    technician.show_tab("logs")
    tap(qtbot, technician.pages["logs"].leave)
    qtbot.waitUntil(lambda: kiosk.left == [LEAVE_KIOSK_EXIT_STATUS], timeout=WAIT)


def test_heartbeat_carries_the_readers_and_a_printer_out_of_paper_between_jobs(
        qtbot: Any, demo: Demo, kiosk: Any) -> None:
    """No citizen has printed anything: the periodic status check finds the paper out and
    the heartbeat goes at once, with the reader's state beside it."""
    device_id = kiosk.creds.device_id
    qtbot.waitUntil(lambda: kiosk.readers.idcard.monitor.reader_ok, timeout=WAIT)
    demo.set_paper(PrinterState.PAPER_OUT)
    qtbot.waitUntil(lambda: fleet_devices(demo, device_id).get("printer", {}).get("state")
                    == "paper_out", timeout=WAIT)
    devices = fleet_devices(demo, device_id)
    assert devices["idcard"] == "ok" and devices["smartcard"] == "absent"
    assert kiosk.window.status.paper == "paper_out"


def test_one_queue_and_a_reenrolment_through_the_console_resumes_it(
        qtbot: Any, demo: Demo, kiosk: Any, data_dir: Path) -> None:
    """Issue #14 through the real app wiring: what the running kiosk queued is what
    `kiosk queue stats` counts; a revoked token pauses it; re-enrolling through the
    technician console resumes the running kiosk's sync, which delivers the item once."""
    import json

    from central import admin
    from tests.conftest import run_kiosk
    from tests.offline_queue.conftest import SIGNATURE, platform_cases, valid_submission

    central_dir = demo.sandbox.platform.settings.data_dir
    admin.revoke(central_dir, kiosk.creds.device_id)
    sid = kiosk.outbox.enqueue(valid_submission(demo.sandbox), [SIGNATURE])
    qtbot.waitUntil(lambda: kiosk.outbox.stats()["paused"], timeout=WAIT)
    stats = json.loads(run_kiosk("queue", "stats", "--json", data_dir=data_dir).stdout)
    assert (stats["pending"], stats["paused"]) == (1, True)
    technician = enter_technician(qtbot, kiosk.window)
    code = admin.issue_enrollment_code(central_dir, "kiosk")
    enrolled = technician.technician_console.enroll(demo.sandbox.url, code, "kiosk")
    tap(qtbot, technician.exit_button)
    kiosk.sync.trigger()
    qtbot.waitUntil(lambda: kiosk.outbox.get(sid)["state"] == "sent", timeout=WAIT)
    assert platform_cases(demo.sandbox, enrolled["device_id"]) == {
        sid: [kiosk.outbox.get(sid)["case_number"]]}


@pytest.fixture
def agent_app(qtbot: Any, tmp_path_factory: pytest.TempPathFactory, data_dir: Path,
              catalog: Any) -> Iterator[tuple[Any, Demo]]:
    from kiosk.app.agent import AgentApp
    from kiosk.ui.fonts import ui_font

    QApplication.instance().setFont(ui_font())
    demo = demo_of(tmp_path_factory, "agent")
    demo.enrol(data_dir)
    app = AgentApp(data_dir, settings(data_dir, demo), wiring(), catalog=catalog).open(
        show=False)
    app.window.resize(1280, 800)
    app.window.show()
    app.start_background()
    try:
        yield app, demo
    finally:
        demo.remove_id_card()
        app.close()
        demo.stop()


def test_agent_mode_signs_in_and_a_card_opens_the_resident(
        qtbot: Any, agent_app: tuple[Any, Demo], catalog: Any, data_dir: Path) -> None:
    """`kiosk run --mode agent --demo` as built: the platform's catalog replaces the
    shipped one before anyone signs in, the demo agent signs in online, the work list
    syncs, and a resident's card on the reader opens their eligible items; a newer catalog
    arriving then waits until the agent ends the visit."""
    from kiosk.agent.visit import Page
    from kiosk.ui.agent.window import AgentWindow

    app, demo = agent_app
    window = app.window
    assert isinstance(window, AgentWindow)
    visit, flow = app.mode.visit, app.mode.flow
    qtbot.waitUntil(lambda: flow.catalog is not catalog, timeout=WAIT)
    served = flow.catalog
    screen = window.page_widget()
    screen.number.clear()
    qtbot.keyClicks(screen.number, DEMO_AGENT_NUMBER)
    qtbot.keyClicks(screen.pin, DEMO_AGENT_PIN)
    tap(qtbot, screen.go)
    qtbot.waitUntil(lambda: visit.page is Page.WORKLIST, timeout=WAIT)
    sync = next(b for b in window.sync.findChildren(QPushButton)
                if b.property("role") == "sync")
    tap(qtbot, sync)
    qtbot.waitUntil(lambda: visit.worklist is not None and not window.sync.busy,
                    timeout=WAIT)
    assert visit.worklist.residents
    demo.place_id_card("R001")
    qtbot.waitUntil(lambda: visit.page is Page.RESIDENT, timeout=WAIT)
    (data_dir / "catalog" / "etag").unlink()           # the next ask gets it whole again
    app.catalog_updates.refresh()
    qtbot.waitUntil(lambda: app.catalog_swap.waiting is not None, timeout=WAIT)
    assert flow.catalog is served                     # the resident's visit keeps its own
    newer = app.catalog_swap.waiting
    visit.end_visit()
    assert visit.page is Page.WORKLIST
    assert flow.catalog is newer and app.catalog_swap.waiting is None


def test_technician_mode_alone_leaves_kiosk_mode_with_the_unit_s_status(
        qtbot: Any, data_dir: Path) -> None:
    from kiosk.app.technician import TechnicianApp
    from kiosk.ui.technician.window import TechnicianWindow

    cfg.write_toml(data_dir / cfg.CONFIG_FILE,
                   {"security": {"technician_pin_hash": hash_pin(PIN)}})
    left: list[int] = []
    app = TechnicianApp(data_dir, cfg.load(data_dir), Wiring(lockdown=False),
                        on_leave=left.append).open(show=False)
    try:
        window = app.window
        assert isinstance(window, TechnicianWindow)
        window.show()
        gate = window.gate_page
        gate.number.setText("T07")
        qtbot.keyClicks(gate.pin, PIN)
        tap(qtbot, gate.go)
        qtbot.waitUntil(lambda: window.technician_console is not None, timeout=WAIT)
        assert not window.exit_button.isVisible()     # nothing to go back to
        window.show_tab("logs")
        tap(qtbot, window.pages["logs"].leave)
        qtbot.waitUntil(lambda: left == [LEAVE_KIOSK_EXIT_STATUS], timeout=WAIT)
    finally:
        app.close()
