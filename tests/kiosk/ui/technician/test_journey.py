"""A technician's visit through the real widgets: the PIN gate, devices set up and tested
with the emulators, enrolment with a sandbox code, a paper-out reaching the sandbox's fleet
view, settings validated, the queue and the log without personal data, leaving kiosk mode —
every action in the audit trail."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from devices.printer import PrinterState
from kiosk import config as kiosk_config
from kiosk.catalog.load import load_residents
from kiosk.systemd import LEAVE_KIOSK_EXIT_STATUS
from tests.kiosk.ui.driver import tap
from tests.kiosk.ui.technician.conftest import PIN, RESIDENTS, WAIT, Bench


def button(widget: Any, name: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton)
             if b.property("role") == name and b.isVisible()]
    assert found, f"no visible {name!r} button on {widget.objectName()}"
    return found[0]


def said(qtbot: Any, page: Any, text: str) -> str:
    """Wait until the page's result line says ``text``; returns the whole line."""
    qtbot.waitUntil(lambda: page.message.isVisible() and text in page.message.text(),
                    timeout=WAIT)
    return page.message.text()


def enter(qtbot: Any, bench: Bench, pin: str) -> None:
    gate = bench.window.gate_page
    gate.number.setText("T07")
    qtbot.keyClicks(gate.pin, pin)
    tap(qtbot, gate.go)


def fleet_printer(bench: Bench, device_id: str) -> str | None:
    from central import admin

    rows = admin.fleet(bench.sandbox.platform.settings.data_dir)
    beat = next((r["heartbeat"] for r in rows if r["device_id"] == device_id), None) or {}
    return (beat.get("devices") or {}).get("printer", {}).get("state")


def test_technician_sets_up_tests_enrols_and_paper_out_reaches_the_fleet(
        qtbot: Any, bench: Bench, tmp_path: Path) -> None:
    """Devices configured and tested with the emulators (masked card read, test slip),
    enrolled with a sandbox code, and a paper-out seen by a status test is in the fleet view
    at once; settings are validated; the log exports redacted; leaving gives status 79."""
    from central import admin

    window = bench.window
    enter(qtbot, bench, "000000")
    qtbot.waitUntil(lambda: "不正确" in window.gate_page.message.text(), timeout=WAIT)
    assert window.technician_console is None
    enter(qtbot, bench, PIN)
    qtbot.waitUntil(lambda: window.current == "devices", timeout=WAIT)
    devices = window.pages["devices"]
    # no ID-card photo decoder: the page says face checks then need the platform
    assert "未配置身份证照片解码库" in devices.decoder_note.text()
    devices.fields["identity.card_photo_decoder"].setEditText(str(tmp_path / "libwlt.so"))
    tap(qtbot, button(devices, "save:identity.card_photo_decoder"))
    said(qtbot, devices, "已保存")
    assert "已配置身份证照片解码库" in devices.decoder_note.text()
    assert kiosk_config.load(bench.data_dir).identity.card_photo_decoder == \
        str(tmp_path / "libwlt.so")

    devices.fields["devices.idcard_port"].setEditText(str(bench.reader.device_path))
    tap(qtbot, button(devices, "save:devices.idcard_port"))
    said(qtbot, devices, "已保存")
    bench.reader.place("R001")
    tap(qtbot, button(devices, "read:devices.idcard_port"))
    line = said(qtbot, devices, "读卡成功")
    resident = next(r for r in load_residents(RESIDENTS) if r.ref == "R001")
    assert resident.id_number not in line and resident.name not in line and "*" in line

    devices.fields["devices.receipt_printer"].setEditText(bench.printer.tcp_url)
    tap(qtbot, button(devices, "save:devices.receipt_printer"))
    said(qtbot, devices, "已保存")
    tap(qtbot, button(devices, "slip:devices.receipt_printer"))
    said(qtbot, devices, "测试页已打印")
    config = kiosk_config.load(bench.data_dir)
    assert config.devices.receipt_printer == bench.printer.tcp_url
    assert config.devices.idcard_port == str(bench.reader.device_path)

    tap(qtbot, button(window, "tab:platform"))
    platform = window.pages["platform"]
    assert "尚未登记" in platform.current.text()
    platform.url.setText(bench.sandbox.url)
    platform.code.setText(admin.issue_enrollment_code(
        bench.sandbox.platform.settings.data_dir, "kiosk"))
    tap(qtbot, button(platform, "enrol"))
    said(qtbot, platform, "登记成功")
    from offline_queue import credentials

    device_id = credentials.load(bench.data_dir).device_id
    assert device_id in platform.current.text() and platform.code.text() == ""

    bench.printer.set_state(PrinterState.PAPER_OUT)
    tap(qtbot, button(window, "tab:devices"))
    tap(qtbot, button(devices, "status:devices.receipt_printer"))
    said(qtbot, devices, "paper_out")
    qtbot.waitUntil(lambda: fleet_printer(bench, device_id) == "paper_out", timeout=WAIT)

    tap(qtbot, button(window, "tab:settings"))
    settings = window.pages["settings"]
    settings.edits["agent.max_pin_failures"].setText("99")
    tap(qtbot, button(settings, "save:agent.max_pin_failures"))
    assert "1 to 20" in said(qtbot, settings, "agent.max_pin_failures")
    assert settings.message.objectName() == "error"
    settings.edits["agent.max_pin_failures"].setText("7")
    tap(qtbot, button(settings, "save:agent.max_pin_failures"))
    said(qtbot, settings, "已保存")
    assert kiosk_config.load(bench.data_dir).agent.max_pin_failures == 7

    tap(qtbot, button(window, "tab:queue"))
    queue = window.pages["queue"]
    qtbot.waitUntil(lambda: "待发送 0" in queue.counts.text(), timeout=WAIT)

    tap(qtbot, button(window, "tab:logs"))
    logs = window.pages["logs"]
    (tmp_path / "usb").mkdir()
    tap(qtbot, button(logs, "export_logs"))
    exported = said(qtbot, logs, "已导出").split("：", 1)[1]
    with gzip.open(exported, "rt") as fh:
        text = fh.read()
    assert "devices.test_idcard" in text and resident.id_number not in text
    tap(qtbot, button(logs, "leave_kiosk"))
    qtbot.waitUntil(lambda: bench.left == [LEAVE_KIOSK_EXIT_STATUS], timeout=WAIT)

    audited = [(e["action"], e["outcome"]) for e in bench.mode.audit.entries()]
    for action in ("technician.enter", "config.set", "devices.test_idcard",
                   "devices.print_test_slip", "platform.enroll", "devices.printer_status",
                   "queue.overview", "logs.export", "kiosk.leave"):
        assert (action, "ok") in audited, action
    assert ("technician.enter", "refused") in audited
    assert ("config.set", "failed") in audited
    assert bench.mode.audit.verify() == [], "the audit chain is intact"


def test_language_and_exit_back_to_the_service(qtbot: Any, bench: Bench) -> None:
    """The pages switch to English; "back to service" returns to the gate (the PIN is asked
    again next time) and tells the caller."""
    window = bench.window
    tap(qtbot, window.language_button)
    assert window.gate_page.title.text() == "Technician sign-in"
    enter(qtbot, bench, PIN)
    qtbot.waitUntil(lambda: window.current == "devices", timeout=WAIT)
    assert window.pages["devices"].detect.text() == "Auto-detect"
    tap(qtbot, window.exit_button)
    assert bench.exits == [1] and window.current == "gate"
    assert window.technician_console is None
