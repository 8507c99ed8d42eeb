"""Agent sign-in: number and PIN; online when the platform answers, offline otherwise.

The call runs on the agent worker (it is HTTP); wrong PINs, the lock-out, throttling and
"no offline record" come back as :class:`~kiosk.agent.errors.AgentError` with their words,
shown here as they are (:class:`~kiosk.ui.agent.pinpage.PinPage`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtWidgets import QWidget

from kiosk.agent import AgentAuth
from kiosk.agent.visit import AgentVisit
from kiosk.ui.agent.pinpage import PinPage
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.agent.texts import TEXTS


class SignInPage(PinPage):
    texts = TEXTS
    name = "sign_in"
    keys: ClassVar[dict[str, str]] = {
        "title": "signin.title", "hint": "signin.hint", "number": "signin.number",
        "pin": "signin.pin", "go": "signin.go", "busy": "signin.busy", "empty": "signin.empty"}

    def __init__(self, auth: AgentAuth, visit: AgentVisit, tasks: Tasks,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(tasks, language, parent, number_name="agent_number",
                         go_name="sign_in")
        self.auth, self.visit = auth, visit

    def check(self, number: str, pin: str) -> None:
        self.auth.sign_in(number, pin)

    def accepted(self, number: str) -> None:
        self.visit.signed_in()

    def refresh(self) -> None:
        super().refresh()
        if self.visit.notice is not None and not self.busy:
            self.show_message(self.words(self.visit.notice), "notice")
