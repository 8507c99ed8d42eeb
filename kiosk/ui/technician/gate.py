"""Entering technician mode: the technician's number and the PIN (``TechnicianGate``: scrypt
hash in the configuration, lock-out after repeated failures kept on disk, every attempt
audited). The check is slow on purpose, so it runs on the worker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.technician.gate import TechnicianGate
from kiosk.ui.agent.page import PageWidget, set_role
from kiosk.ui.agent.tasks import TaskResult, Tasks
from kiosk.ui.technician.texts import TEXTS
from kiosk.ui.widgets import NumericPad


class GatePage(PageWidget):
    texts = TEXTS
    name = "gate"

    def __init__(self, gate: TechnicianGate, tasks: Tasks, on_enter: Callable[[str], None],
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.gate, self.tasks, self.on_enter = gate, tasks, on_enter
        self.busy = False
        self.title = self.label("title")
        self.hint = self.label("muted")
        self.who_label = self.label()
        self.who = self.edit("technician")
        self.pin_label = self.label()
        self.pin = self.edit("pin", secret=True, digits=True)
        self.pin.returnPressed.connect(self.submit)
        self.message = self.label("error")
        self.message.hide()
        self.go = self.button(self.submit, primary=True, name="enter")
        self.pad = NumericPad(language, self)
        self.pad.ok.clicked.connect(lambda _c=False: self.submit())
        column = QVBoxLayout()
        column.setSpacing(12)
        for widget in (self.title, self.hint, self.who_label, self.who, self.pin_label,
                       self.pin, self.message, self.go):
            column.addWidget(widget)
        column.addStretch(1)
        self.pad.setMaximumWidth(420)
        columns = self.row()
        columns.addLayout(column, 3)
        columns.addSpacing(32)
        columns.addWidget(self.pad, 2, Qt.AlignmentFlag.AlignTop)
        self.root.addLayout(columns, 1)

    def enter(self) -> None:
        self.pad.attach(self.pin)
        self.refresh()

    def submit(self) -> None:
        who, pin = self.who.text().strip(), self.pin.text()
        self.pin.clear()
        self.pad.attach(self.pin)
        if self.busy:
            return
        if not who or not pin:
            self._say(self.t("gate.empty"), "error")
            return
        self.busy = True
        self.go.setEnabled(False)
        self._say(self.t("busy"), "notice")

        def done(outcome: TaskResult) -> None:
            self.busy = False
            self.go.setEnabled(True)
            if outcome.ok:
                self.message.hide()
                self.on_enter(who)
            else:
                self._say(self.words(outcome.message), "error")
        self.tasks.run(lambda: self.gate.enter(who, pin), done)

    def _say(self, text: str, role: str) -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.show()

    def refresh(self) -> None:
        self.title.setText(self.t("gate.title"))
        self.hint.setText(self.t("gate.hint"))
        self.who_label.setText(self.t("gate.who"))
        self.pin_label.setText(self.t("gate.pin"))
        self.go.setText(self.t("gate.go"))
        self.pad.retranslate()

    def clear(self) -> None:
        self.pin.clear()
        self.message.hide()
