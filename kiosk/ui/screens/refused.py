"""A card that cannot identify the citizen here: why, and what to do instead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.screens.base import Screen


class RefusedScreen(Screen):
    step = Step.REFUSED

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title", align=Qt.AlignmentFlag.AlignCenter)
        self.reason = self.label("notice")
        self.take = self.label("big", align=Qt.AlignmentFlag.AlignCenter)
        self.restart = self.button(self.flow.restart, primary=True, name="restart")
        self.root.addStretch(1)
        for widget in (self.title, self.reason, self.take):
            self.root.addWidget(widget)
        self.root.addLayout(self.row(self.restart, stretch_first=True))
        self.root.addStretch(1)

    def refresh(self) -> None:
        self.title.setText(self.t("refused.title"))
        refusal = self.flow.refusal
        self.reason.setText(refusal.get(self.flow.language) if refusal else "")
        self.take.setText(self.t("refused.take"))
        self.restart.setText(self.t("error.restart"))

    def clear(self) -> None:
        self.reason.clear()
