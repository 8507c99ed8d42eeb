"""Technician mode as the app builds it, over real parts: the sandbox on 127.0.0.1, the
ID-card reader emulator on a pty, the receipt printer emulator on TCP, an outbox, and the
fleet heartbeat on its thread (hourly: only urgent states and enrolment wake it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from civic.pin import hash_pin
from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles
from devices.printer import PrinterState
from devices.printer.emulator.server import PrinterEmulator
from kiosk import config as kiosk_config
from seeds import seeds_dir

if TYPE_CHECKING:
    from central.platform import SandboxServer

RESIDENTS = seeds_dir() / "residents.toml"
PIN = "246810"
WAIT = 15_000


@dataclasses.dataclass
class Bench:
    mode: Any
    reader: IdCardEmulator
    printer: PrinterEmulator
    sandbox: Any
    data_dir: Path
    left: list[int]
    exits: list[int]

    @property
    def window(self) -> Any:
        return self.mode.window


@pytest.fixture
def bench(qtbot: Any, sandbox: SandboxServer, data_dir: Path,
          tmp_path: Path) -> Iterator[Bench]:
    from PySide6.QtWidgets import QApplication

    from kiosk import __version__
    from kiosk.app.technician_mode import build_technician_mode
    from kiosk.fleet import DeviceStates, HeartbeatSender
    from kiosk.ui.bridges.invoker import GuiInvoker
    from kiosk.ui.fonts import ui_font
    from offline_queue import Outbox

    QApplication.instance().setFont(ui_font())
    kiosk_config.write_toml(data_dir / kiosk_config.CONFIG_FILE,
                            {"security": {"technician_pin_hash": hash_pin(PIN)}})
    left: list[int] = []
    exits: list[int] = []
    with IdCardEmulator(load_profiles(RESIDENTS), link_path=tmp_path / "ttyID", pacing=False,
                        seed=7) as reader, \
            PrinterEmulator(PrinterState.OK, pty=False) as printer, \
            Outbox(data_dir / "outbox") as outbox:
        devices = DeviceStates()
        heartbeat = HeartbeatSender(outbox, data_dir, app_version=__version__, devices=devices,
                                    interval_s=3600, connect_timeout_s=2.0, read_timeout_s=5.0)
        heartbeat.start()
        invoker = GuiInvoker()
        mode = build_technician_mode(data_dir=data_dir, invoker=invoker, on_leave=left.append,
                                     outbox=outbox, devices=devices, heartbeat=heartbeat,
                                     on_exit=lambda: exits.append(1),
                                     export_dir=tmp_path / "usb")
        qtbot.addWidget(mode.window)
        mode.window.resize(1280, 800)
        mode.window.show()
        qtbot.waitExposed(mode.window)
        try:
            yield Bench(mode, reader, printer, sandbox, data_dir, left, exits)
        finally:
            mode.close()
            invoker.close()
            heartbeat.stop()
