"""Things drawn over the current screen: the idle warning and the technician PIN entry."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.flows.messages import tr
from kiosk.ui.widgets import NumericPad


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
        self.setGeometry(self.parentWidget().rect())
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
        self.go_on.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.go_on.clicked.connect(lambda _c=False: on_continue())
        for widget in (self.title, self.countdown, self.go_on):
            self.body.addWidget(widget)

    def show_countdown(self, seconds: int, language: str) -> None:
        self.title.setText(tr("idle.title", language))
        self.countdown.setText(tr("idle.countdown", language, seconds=seconds))
        self.go_on.setText(tr("idle.continue", language))
        if not self.isVisible():
            self.cover()


class PinEntry(Overlay):
    """The technician PIN, typed on a numeric pad (no keyboard learns it)."""

    def __init__(self, parent: QWidget, check: Callable[[str], bool],
                 on_ok: Callable[[], None], language: Callable[[], str]) -> None:
        super().__init__(parent)
        self._check, self._on_ok, self._language = check, on_ok, language
        self.title = QLabel(self.card)
        self.title.setObjectName("title")
        self.pin = QLineEdit(self.card)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                                     | Qt.InputMethodHint.ImhNoPredictiveText
                                     | Qt.InputMethodHint.ImhDigitsOnly)
        self.message = QLabel(self.card)
        self.message.setObjectName("error")
        self.pad = NumericPad(language, self.card)
        self.pad.ok.clicked.connect(lambda _c=False: self.submit())
        self.cancel = QPushButton(self.card)
        self.cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel.clicked.connect(lambda _c=False: self.close_entry())
        for widget in (self.title, self.pin, self.message, self.pad, self.cancel):
            self.body.addWidget(widget)

    def open_entry(self) -> None:
        lang = self._language()
        self.title.setText(tr("tech.pin", lang))
        self.cancel.setText(tr("nav.back", lang))
        self.message.hide()
        self.pin.clear()
        self.pad.retranslate()
        self.pad.attach(self.pin)
        self.cover()

    def submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        if self._check(pin):
            self.close_entry()
            self._on_ok()
            return
        self.message.setText(tr("tech.wrong", self._language()))
        self.message.show()
        self.pad.attach(self.pin)

    def close_entry(self) -> None:
        self.pin.clear()
        self.pad.attach(None)
        self.hide()
