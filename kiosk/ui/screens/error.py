"""Our code failed: apologise, say the data is gone, offer to start again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.screens.base import Screen


class ErrorScreen(Screen):
    step = Step.ERROR

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title", align=Qt.AlignmentFlag.AlignCenter)
        self.body = self.label(align=Qt.AlignmentFlag.AlignCenter)
        self.restart = self.button(self.flow.restart, primary=True, name="restart")
        self.root.addStretch(1)
        self.root.addWidget(self.title)
        self.root.addWidget(self.body)
        self.root.addLayout(self.row(self.restart, stretch_first=True))
        self.root.addStretch(1)

    def refresh(self) -> None:
        self.title.setText(self.t("error.title"))
        self.body.setText(self.t("error.body"))
        self.restart.setText(self.t("error.restart"))
