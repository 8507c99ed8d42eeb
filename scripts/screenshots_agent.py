"""Regenerate docs/screenshots/agent-*.png and technician-*.png, in Chinese and English.

    .venv/bin/python scripts/screenshots_agent.py [--out docs/screenshots]

Runs offscreen at 1366×768 (a village agent's laptop) through the real windows that
``build_agent_mode`` and ``build_technician_mode`` build, against a real sandbox platform
on 127.0.0.1 with the ID-card reader emulator on a pty and the receipt printer emulator on
TCP: the agent signs in, syncs, signs in offline, reads a demo resident's card, applies,
and sees the queue (one item sent, one held, one returned); the technician enters, tests
the devices and enrols. PNGs are reduced to a 256-colour palette to stay small.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QWidget  # noqa: E402

from civic.pin import hash_pin  # noqa: E402
from devices.idcard.emulator.device import IdCardEmulator  # noqa: E402
from devices.idcard.emulator.profiles import load_profiles  # noqa: E402
from devices.printer import PrinterState  # noqa: E402
from devices.printer.emulator.server import PrinterEmulator  # noqa: E402
from kiosk import config as kiosk_config  # noqa: E402
from kiosk.catalog.load import load_catalog  # noqa: E402
from kiosk.flows import PrefillState, PrintState  # noqa: E402
from kiosk.ui.fonts import ui_font  # noqa: E402
from seeds import seeds_dir  # noqa: E402

RESIDENTS = seeds_dir() / "residents.toml"
SIZE = (1366, 768)
PIN = "135790"
TECH_PIN = "246810"
HEALTH_CHECK = "11330110002505010F4009000010000"
PENSION_CHECK = "11330110002503015G4007000015000"


def wait_until(condition: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get there")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float = 0.2) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, path: Path) -> None:
    settle()
    image = widget.grab().toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    picture = Image.open(io.BytesIO(bytes(data.data()))).convert("RGB")
    picture = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    picture.save(path, "PNG", optimize=True)
    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


def tap(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def button(widget: QWidget, name: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton)
                if b.property("role") == name and b.isVisible())


def agent_shots(out: Path, root: Path, sandbox, reader, catalog) -> None:
    from central import admin
    from kiosk.agent.visit import Page
    from kiosk.app.agent import build_agent_mode
    from kiosk.flows import Step
    from kiosk.ui.bridges.idcard import IdCardBridge
    from kiosk.ui.bridges.invoker import GuiInvoker
    from kiosk.ui.bridges.platform import OutboxBridge
    from offline_queue import Outbox, credentials
    from tests.kiosk.flows.helpers import answer_for

    data = root / "agent"
    data.mkdir()
    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "agent")
    credentials.enroll(data, sandbox.url, code, "agent", hostname="laptop",
                       app_version="screens", site={"region_code": "330110", "name": "荀山村"})
    admin.add_agent(sandbox.platform.settings.data_dir, "A001", PIN, "荀山村",
                    display_name="王丽")
    outbox = Outbox(data / "outbox").open()
    invoker = GuiInvoker()
    bridge = OutboxBridge(outbox)
    from devices.idcard import ReaderMonitor, connect

    path = reader.device_path
    idcard = IdCardBridge(ReaderMonitor(lambda: connect(path), poll_interval=0.1))
    mode = build_agent_mode(data_dir=data, config=kiosk_config.Config(), outbox=outbox,
                            catalog=catalog, invoker=invoker, outbox_bridge=bridge,
                            idcard=idcard, flow_settings={"online_wait_s": 0.5},
                            retry_cap_s=0.5, offline_probe_s=0.5, tick_ms=100,
                            has_camera=lambda: False)
    idcard.start()
    window, visit, flow = mode.window, mode.visit, mode.flow
    window.resize(*SIZE)
    window.show()

    def shot(name: str) -> None:
        for lang in ("zh", "en"):
            if flow.language != lang:
                flow.set_language(lang)
            save(window, out / f"agent-{name}-{lang}.png")
        flow.set_language("zh")

    def sign_in(pin: str = PIN) -> None:
        page = window.page_widget()
        page.number.setText("A001")
        page.pin.setText(pin)
        tap(page.go)

    def faults(plan: dict) -> None:
        httpx.put(f"{sandbox.url}/v1/_sandbox/faults", json=plan, timeout=5)

    try:
        sign_in("000000")
        wait_until(lambda: window.page_widget().message.objectName() == "error")
        shot("01-sign-in-refused")
        sign_in()
        wait_until(lambda: visit.page is Page.WORKLIST)
        tap(button(window.sync, "sync"))
        wait_until(lambda: visit.worklist is not None and not window.sync.busy)
        shot("02-worklist")
        faults({"drop_before": 1.0})
        tap(window.sign_out_button)
        wait_until(lambda: visit.page is Page.SIGN_IN)
        sign_in()
        wait_until(lambda: visit.page is Page.WORKLIST)
        reader.place("R001")
        wait_until(lambda: visit.page is Page.RESIDENT and window.page_widget().items)
        shot("03-resident")

        def apply(code: str, stop_at: Step | None = None) -> None:
            tap(next(b for b in window.page_widget().items if b.key == code))
            wait_until(lambda: flow.step is Step.ITEM)
            flow.start_item()
            if stop_at is Step.CONSENT:
                shot("04-consent")
            flow.give_consent(True)
            if flow.step is Step.FACE_CHECK:     # a face item: the agent attests the person
                flow.attest_identity()
            wait_until(lambda: flow.prefill_state in (PrefillState.DONE, PrefillState.FAILED))
            for field in flow.visible_fields():
                if field.key not in flow.values and not field.readonly:
                    value = answer_for(field)
                    if value is not None:
                        flow.set_value(field.key, value)
            if stop_at is Step.FORM:
                shot("05-form")
            flow.to_review()
            flow.confirm_review()
            if stop_at is Step.SIGN:
                pad = window.pages[Page.FORMS].current().pad
                QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(60, 80))
                for x in range(60, 500, 20):
                    QTest.mouseMove(pad, QPoint(x, 80 + (x % 70)))
                QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(500, 100))
                shot("06-signature")
            flow.sign(b"\x89PNG-signature")
            wait_until(lambda: flow.step is Step.RECEIPT)
            if stop_at is Step.RECEIPT:
                wait_until(lambda: flow.print_state in (PrintState.PRINTED, PrintState.FAILED))
                shot("07-receipt-offline")
            flow.finish()
            wait_until(lambda: visit.page is Page.RESIDENT)

        apply(HEALTH_CHECK, Step.CONSENT)
        apply(PENSION_CHECK, Step.FORM)
        apply(HEALTH_CHECK, Step.SIGN)
        apply(PENSION_CHECK, Step.RECEIPT)
        reader.remove()
        tap(button(window.page_widget(), "open_queue"))
        wait_until(lambda: visit.page is Page.QUEUE)
        shot("08-queue-held")
        faults({})
        tap(button(window.sync, "sync"))
        wait_until(lambda: len(window.page_widget().shown["sent"]) == 4)
        httpx.post(f"{sandbox.url}/v1/_sandbox/advance", json={"steps": 2}, timeout=5)
        mode.worker.trigger()
        wait_until(lambda: all(outbox.get(s)["platform_status"] not in (None, "received")
                               for s in window.page_widget().shown["sent"]))
        # one returned by the platform, to show its reasons
        from kiosk.agent import as_agent_submission

        body = outbox.body(window.page_widget().shown["sent"][0])
        body = {**body, "submission_id": None, "form": {**body["form"],
                                                          "__no_such_field__": "x"}}
        from civic.submission import uuid7

        body["submission_id"] = uuid7()
        dead = outbox.enqueue(as_agent_submission(body, mode.auth.current.agent_id),
                              [b"\x89PNG-signature"])
        wait_until(lambda: outbox.get(dead)["state"] == "dead"
                   and dead in window.page_widget().correct_buttons)
        shot("09-queue")
        from PySide6.QtWidgets import QScrollArea

        area = window.page_widget().findChild(QScrollArea)
        settle()
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
        shot("10-queue-sent")
        visit.correct(dead)
        shot("11-correct")
    finally:
        idcard.stop()
        mode.close()
        bridge.close()
        invoker.close()
        outbox.close()


def technician_shots(out: Path, root: Path, sandbox, reader) -> None:
    from central import admin
    from kiosk.app.technician_mode import build_technician_mode
    from kiosk.fleet import DeviceStates
    from kiosk.ui.bridges.invoker import GuiInvoker
    from offline_queue import Outbox

    data = root / "technician"
    data.mkdir(exist_ok=True)
    kiosk_config.write_toml(data / kiosk_config.CONFIG_FILE,
                            {"security": {"technician_pin_hash": hash_pin(TECH_PIN)}})
    invoker = GuiInvoker()
    with PrinterEmulator(PrinterState.OK, pty=False) as printer, \
            Outbox(data / "outbox") as outbox:
        mode = build_technician_mode(data_dir=data, invoker=invoker, on_leave=lambda _s: None,
                                     outbox=outbox, devices=DeviceStates(),
                                     on_exit=lambda: None, export_dir=root)
        window = mode.window
        window.resize(*SIZE)
        window.show()

        def shot(name: str) -> None:
            for lang in ("zh", "en"):
                window.set_language(lang)
                save(window, out / f"technician-{name}-{lang}.png")
            window.set_language("zh")

        def done(page) -> None:
            wait_until(lambda: page.busy == 0)

        try:
            gate = window.gate_page
            gate.number.setText("T07")
            shot("01-gate")
            gate.pin.setText(TECH_PIN)
            tap(gate.go)
            wait_until(lambda: window.current == "devices")
            devices = window.pages["devices"]
            devices.fields["devices.idcard_port"].setEditText(str(reader.device_path))
            devices.save("devices.idcard_port")
            done(devices)
            devices.fields["devices.receipt_printer"].setEditText(printer.tcp_url)
            devices.save("devices.receipt_printer")
            done(devices)
            reader.place("R002")
            devices.test("devices.idcard_port", "read")
            done(devices)
            reader.remove()
            shot("02-devices")
            window.show_tab("platform")
            platform = window.pages["platform"]
            platform.url.setText(sandbox.url)
            platform.code.setText(admin.issue_enrollment_code(
                sandbox.platform.settings.data_dir, "kiosk"))
            platform.enrol()
            done(platform)
            shot("03-enrolment")
            window.show_tab("settings")
            settings = window.pages["settings"]
            settings.edits["agent.max_pin_failures"].setText("50")
            settings.save("agent.max_pin_failures")
            done(settings)
            shot("04-settings")
            window.show_tab("queue")
            done(window.pages["queue"])
            shot("05-queue")
            window.show_tab("logs")
            done(window.pages["logs"])
            shot("06-logs")
        finally:
            mode.close()
            invoker.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    from central.platform import SandboxServer, SandboxSettings
    from central.workflow import WorkflowSchedule

    catalog = load_catalog(seeds_dir() / "catalog")
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        from kiosk import logs

        (root / "technician").mkdir()
        logs.configure(root / "technician")     # the technician's log page shows this run
        settings = SandboxSettings(root / "central", workflow=WorkflowSchedule(step_s=0))
        with SandboxServer(settings) as sandbox, IdCardEmulator(
                load_profiles(RESIDENTS), link_path=root / "ttyID", pacing=False,
                seed=11) as reader:
            agent_shots(args.out, root, sandbox, reader, catalog)
            technician_shots(args.out, root, sandbox, reader)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
