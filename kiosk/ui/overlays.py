"""Things drawn over the current screen: the idle warning."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.flows.messages import tr
from kiosk.ui.accessible import keyboard_reachable, label_controls


class Overlay(QWidget):
    """A dimmed layer over its parent with a centred card."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.card.setMaximumWidth(900)
        self.body = QVBoxLayout(self.card)
        self.body.setContentsMargins(40, 32, 40, 32)
        self.body.setSpacing(20)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        assert parent is not None               # an overlay is built over its parent
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class IdleWarning(Overlay):
    """"Are you still there?" with a countdown and one big "continue" button."""

    def __init__(self, parent: QWidget, on_continue: Callable[[], None]) -> None:
        super().__init__(parent)
        self.title = QLabel(self.card)
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = QLabel(self.card)
        self.countdown.setWordWrap(True)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.go_on = QPushButton(self.card)
        self.go_on.setObjectName("primary")
        self.go_on.setMinimumHeight(120)
        self.go_on.setProperty("role", "continue")
        keyboard_reachable(self.go_on)
        self.go_on.clicked.connect(lambda _c=False: on_continue())
        for widget in (self.title, self.countdown, self.go_on):
            self.body.addWidget(widget)

    def show_countdown(self, seconds: int, language: str) -> None:
        self.title.setText(tr("idle.title", language))
        self.countdown.setText(tr("idle.countdown", language, seconds=seconds))
        self.go_on.setText(tr("idle.continue", language))
        label_controls(self.card, language)
        if not self.isVisible():
            self.cover()
