"""Entering technician mode: the technician's number and the PIN (``TechnicianGate``: scrypt
hash in the configuration, lock-out after repeated failures kept on disk, every attempt
audited). The check is slow on purpose, so it runs on the worker
(:class:`~kiosk.ui.agent.pinpage.PinPage`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtWidgets import QWidget

from kiosk.technician.gate import TechnicianGate
from kiosk.ui.agent.pinpage import PinPage
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.technician.texts import TEXTS


class GatePage(PinPage):
    texts = TEXTS
    name = "gate"
    keys: ClassVar[dict[str, str]] = {
        "title": "gate.title", "hint": "gate.hint", "number": "gate.who", "pin": "gate.pin",
        "go": "gate.go", "busy": "busy", "empty": "gate.empty"}

    def __init__(self, gate: TechnicianGate, tasks: Tasks, on_enter: Callable[[str], None],
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(tasks, language, parent, number_name="technician", go_name="enter")
        self.gate, self.on_enter = gate, on_enter

    def check(self, number: str, pin: str) -> None:
        self.gate.enter(number, pin)

    def accepted(self, number: str) -> None:
        self.on_enter(number)

    def clear(self) -> None:
        super().clear()
        self.message.hide()
