"""Technician mode's placeholder: the technician issue builds what is behind the PIN."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.flows.messages import tr


class TechnicianScreen(QWidget):
    def __init__(self, on_exit: Callable[[], None], language: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen_technician")
        self._language = language
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("title")
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.exit = QPushButton(self)
        self.exit.setObjectName("primary")
        self.exit.clicked.connect(lambda _c=False: on_exit())
        layout.addStretch(1)
        for widget in (self.title, self.body):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addWidget(self.exit, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def refresh(self) -> None:
        lang = self._language()
        self.title.setText(tr("tech.title", lang))
        self.body.setText(tr("tech.placeholder", lang))
        self.exit.setText(tr("tech.exit", lang))
