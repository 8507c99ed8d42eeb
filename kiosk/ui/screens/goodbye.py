"""'Take your card and your receipt' — the last screen before the next citizen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.screens.base import Screen


class GoodbyeScreen(Screen):
    step = Step.GOODBYE

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title", align=Qt.AlignmentFlag.AlignCenter)
        self.take = self.label("big", align=Qt.AlignmentFlag.AlignCenter)
        self.root.addStretch(1)
        self.root.addWidget(self.title)
        self.root.addWidget(self.take)
        self.root.addStretch(1)

    def refresh(self) -> None:
        self.title.setText(self.t("goodbye.title"))
        self.take.setText(self.t("goodbye.take"))
