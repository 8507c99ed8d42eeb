"""Submitting: the application is being saved and sent; a few seconds at most."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.accessible import describe
from kiosk.ui.screens.base import Screen


class SubmitScreen(Screen):
    step = Step.SUBMIT

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.message = self.label("big", align=Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.root.addStretch(1)
        self.root.addWidget(self.message)
        self.root.addWidget(self.progress)
        self.root.addStretch(1)

    def refresh(self) -> None:
        self.message.setText(self.t("submit.saving"))
        describe(self.progress, self.t("submit.saving"))      # busy, named
