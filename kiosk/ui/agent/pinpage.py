"""An operator's sign-in page: a number and a PIN beside a keypad, checked on a worker.

The agent's sign-in and the technician's gate are this page with their own words and
check. The check is slow on purpose (a PIN hash) or is HTTP, so it runs on the worker;
its failures come back as words to show. The PIN field is emptied after every attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.agent.page import PageWidget, set_role
from kiosk.ui.agent.tasks import TaskResult, Tasks
from kiosk.ui.widgets import NumericPad


class PinPage(PageWidget):
    #: the page's text keys: title, hint, number, pin, go, busy, empty
    keys: ClassVar[dict[str, str]] = {}

    def __init__(self, tasks: Tasks, language: Callable[[], str], parent: QWidget | None,
                 *, number_name: str, go_name: str) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self.busy = False
        self.title = self.label("title")
        self.hint = self.label("muted")
        self.number_label = self.label()
        self.number = self.edit(number_name)
        self.pin_label = self.label()
        self.pin = self.edit("pin", secret=True, digits=True)
        self.number_label.setBuddy(self.number)     # the fields' accessible names
        self.pin_label.setBuddy(self.pin)
        self.pin.returnPressed.connect(self.submit)
        self.number.returnPressed.connect(self.pin.setFocus)
        self.message = self.label("error")
        self.message.hide()
        self.go = self.button(self.submit, primary=True, name=go_name)
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

    # -- what a page of this kind says and does ----------------------------------------------
    def check(self, number: str, pin: str) -> None:
        """On the worker: check the number and PIN; raise the error whose words to show."""
        raise NotImplementedError

    def accepted(self, number: str) -> None:
        """On the GUI thread, after a check that passed."""
        raise NotImplementedError

    # -- the page ----------------------------------------------------------------------------
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
            self.show_message(self.t(self.keys["empty"]), "error")
            return
        self.busy = True
        self.show_message(self.t(self.keys["busy"]), "notice")
        self.go.setEnabled(False)
        self.tasks.run(lambda: self.check(number, pin),
                       lambda outcome: self._done(number, outcome))

    def _done(self, number: str, outcome: TaskResult) -> None:
        self.busy = False
        self.go.setEnabled(True)
        if outcome.ok:
            self.message.hide()
            self.accepted(number)
            return
        self.show_message(self.words(outcome.message), "error")

    def show_message(self, text: str, role: str) -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        keys = self.keys
        self.title.setText(self.t(keys["title"]))
        self.hint.setText(self.t(keys["hint"]))
        self.number_label.setText(self.t(keys["number"]))
        self.pin_label.setText(self.t(keys["pin"]))
        self.go.setText(self.t(keys["busy"] if self.busy else keys["go"]))
        self.pad.retranslate()

    def clear(self) -> None:
        self.pin.clear()
