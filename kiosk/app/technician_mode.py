"""Technician mode, built over an app's data dir and outbox: :func:`build_technician_mode`.

``kiosk run --mode technician`` (:mod:`kiosk.app.technician`) shows
:attr:`TechnicianMode.window` on its own; citizen mode's hidden gesture shows the same
widget inside its window (``on_exit`` returns to the attract screen). Every action goes
through ``TechnicianConsole`` (audited in ``<data-dir>/audit/technician.jsonl``) on the
``technician`` worker thread. The app's own device monitors own the reader and printer
ports; a technician test needs them, so ``pause_devices``/``resume_devices`` are called
when a technician enters and leaves (a port has one owner at a time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import config as kiosk_config
from kiosk.agent.vault import Vault
from kiosk.closing import close_in_reverse
from kiosk.fleet import DeviceStates, HeartbeatSender
from kiosk.systemd import Notifier
from kiosk.technician.audit import AuditLog
from kiosk.technician.console import TechnicianConsole
from kiosk.technician.gate import TechnicianGate
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.bridges.invoker import GuiInvoker
from kiosk.ui.technician.window import TechnicianWindow
from offline_queue import Outbox

log = logging.getLogger(__name__)


@dataclass
class TechnicianMode:
    window: TechnicianWindow
    gate: TechnicianGate
    audit: AuditLog
    tasks: Tasks
    closers: list[Callable[[], object]] = field(default_factory=list)

    def close(self) -> None:
        close_in_reverse(self.closers, log, "technician.close_failed")


def build_technician_mode(*, data_dir: Path, invoker: GuiInvoker,
                          on_leave: Callable[[int], None],
                          outbox: Outbox | None = None, devices: DeviceStates | None = None,
                          heartbeat: HeartbeatSender | None = None,
                          notifier: Notifier | None = None,
                          on_exit: Callable[[], None] | None = None,
                          pause_devices: Callable[[], None] = lambda: None,
                          resume_devices: Callable[[], None] = lambda: None,
                          allow_virtual: bool = False, export_dir: Path | None = None,
                          language: str = "zh") -> TechnicianMode:
    """Technician mode over the app's data dir and outbox. ``on_leave(status)`` is called
    after "leave kiosk mode" was audited and systemd told (quit the app with ``status``);
    ``heartbeat`` is woken after an enrolment so the fleet view shows the terminal at once
    (a printer's paper state reported from a test wakes it through ``devices``)."""
    closers: list[Callable[[], object]] = []
    audit = AuditLog(data_dir)
    gate = TechnicianGate(Vault(data_dir), audit,
                          lambda: kiosk_config.load(data_dir).security.technician_pin_hash)
    tasks = Tasks(invoker, "technician")
    closers.append(tasks.close)

    def make_console(technician: str) -> TechnicianConsole:
        pause_devices()
        return TechnicianConsole(data_dir, technician, audit, outbox=outbox,
                                 allow_virtual=allow_virtual, notifier=notifier)

    def exit_() -> None:
        resume_devices()
        if on_exit is not None:
            on_exit()

    window = TechnicianWindow(gate, make_console, tasks, devices=devices,
                              on_enrolled=heartbeat.trigger if heartbeat else lambda: None,
                              on_leave=on_leave, on_exit=exit_ if on_exit else None,
                              export_dir=export_dir, language=language)
    closers.append(window.deleteLater)
    return TechnicianMode(window, gate, audit, tasks, closers)
