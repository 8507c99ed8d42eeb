"""What every technician page shares: the console, the worker, one result line.

Every action is a call on :class:`~kiosk.technician.console.TechnicianConsole` (audited
there, at its one boundary), run on the technician worker thread: device I/O, HTTP and
disk never block the GUI. ``act()`` shows "working…", then the result or the failure's
words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.technician.console import TechnicianConsole
from kiosk.ui.agent.page import PageWidget, set_role
from kiosk.ui.agent.tasks import TaskResult, Tasks
from kiosk.ui.technician.texts import TEXTS


class TechPage(PageWidget):
    texts = TEXTS

    def __init__(self, console: Callable[[], TechnicianConsole], tasks: Tasks,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self._console, self.tasks = console, tasks
        self.title = self.label("title")
        self.root.addWidget(self.title)
        self.message = self.label("notice")
        self.message.hide()
        self.busy = 0

    @property
    def console(self) -> TechnicianConsole:
        return self._console()

    def add_message(self) -> None:
        """Place the result line (pages put it where it reads best)."""
        self.root.addWidget(self.message)

    def say(self, text: str, role: str = "good") -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def act(self, job: Callable[[TechnicianConsole], Any],
            done: Callable[[Any], str | None], busy: str = "") -> None:
        """Run ``job(console)`` on the worker; ``done(value)`` gives the text to show."""
        console = self.console
        self.busy += 1
        self.say(busy or self.t("busy"), "notice")

        def finished(outcome: TaskResult) -> None:
            self.busy -= 1
            if outcome.ok:
                text = done(outcome.value)
                self.say(self.t("done") if text is None else text, "good")
            else:
                message = outcome.message
                words = self.words(message)
                if message is not None and message.zh == message.en:   # English only
                    words = self.t("failed", why=words)
                self.say(words, "error")
        self.tasks.run(lambda: job(console), finished)
