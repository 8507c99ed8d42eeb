"""Agent sign-in: number and PIN; online when the platform answers, offline otherwise.

The call runs on the agent worker (it is HTTP); wrong PINs, the lock-out, throttling and
"no offline record" come back as :class:`~kiosk.agent.errors.AgentError` with their words,
shown here as they are. The PIN field is emptied after every attempt.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.agent import AgentAuth
from kiosk.agent.visit import AgentVisit
from kiosk.ui.agent.page import PageWidget, set_role
from kiosk.ui.agent.tasks import TaskResult, Tasks
from kiosk.ui.agent.texts import TEXTS
from kiosk.ui.widgets import NumericPad


class SignInPage(PageWidget):
    texts = TEXTS
    name = "sign_in"

    def __init__(self, auth: AgentAuth, visit: AgentVisit, tasks: Tasks,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.auth, self.visit, self.tasks = auth, visit, tasks
        self.busy = False
        self.title = self.label("title")
        self.hint = self.label("muted")
        self.number_label = self.label()
        self.number = self.edit("agent_number")
        self.pin_label = self.label()
        self.pin = self.edit("pin", secret=True, digits=True)
        self.pin.returnPressed.connect(self.submit)
        self.number.returnPressed.connect(self.pin.setFocus)
        self.message = self.label("error")
        self.message.hide()
        self.go = self.button(self.submit, primary=True, name="sign_in")
        self.pad = NumericPad(language, self)
        self.pad.ok.clicked.connect(lambda _c=False: self.submit())
        # The form and the keypad side by side: a 768-pixel laptop screen has room for it.
        form = QWidget(self)
        form.setMaximumWidth(620)
        inner = QVBoxLayout(form)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        for widget in (self.title, self.hint, self.number_label, self.number, self.pin_label,
                       self.pin, self.message, self.go):
            widget.setParent(form)
            inner.addWidget(widget)
        inner.addStretch(1)
        self.pad.setMaximumWidth(420)
        columns = self.row()
        columns.addStretch(1)
        columns.addWidget(form, 3)
        columns.addSpacing(32)
        columns.addWidget(self.pad, 2, Qt.AlignmentFlag.AlignTop)
        columns.addStretch(1)
        self.root.addLayout(columns, 1)

    def enter(self) -> None:
        self.pad.attach(self.pin)
        self.refresh()

    def submit(self) -> None:
        number, pin = self.number.text().strip(), self.pin.text()
        self.pin.clear()
        self.pad.attach(self.pin)
        if self.busy:
            return
        if not number or not pin:
            self.show_message(self.t("signin.empty"), "error")
            return
        self.busy = True
        self.show_message(self.t("signin.busy"), "notice")
        self.go.setEnabled(False)
        self.tasks.run(lambda: self.auth.sign_in(number, pin), self._done)

    def _done(self, outcome: TaskResult) -> None:
        self.busy = False
        self.go.setEnabled(True)
        if outcome.ok:
            self.message.hide()
            self.visit.signed_in()
            return
        self.show_message(self.words(outcome.message), "error")

    def show_message(self, text: str, role: str) -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        self.title.setText(self.t("signin.title"))
        self.hint.setText(self.t("signin.hint"))
        self.number_label.setText(self.t("signin.number"))
        self.pin_label.setText(self.t("signin.pin"))
        self.go.setText(self.t("signin.busy") if self.busy else self.t("signin.go"))
        self.pad.retranslate()
        if self.visit.notice is not None and not self.busy:
            self.show_message(self.words(self.visit.notice), "notice")

    def clear(self) -> None:
        self.pin.clear()
