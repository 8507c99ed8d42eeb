"""The card is being read: keep it still (every long operation shows progress)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.accessible import describe
from kiosk.ui.screens.base import Screen


class IdentifyScreen(Screen):
    step = Step.IDENTIFY

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.message = self.label("big", align=Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)            # busy: the reader gives no percentage
        self.progress.setTextVisible(False)
        self.root.addStretch(1)
        self.root.addWidget(self.message)
        self.root.addWidget(self.progress)
        self.root.addStretch(1)

    def refresh(self) -> None:
        self.message.setText(self.t("identify.reading"))
        describe(self.progress, self.t("identify.reading"))   # busy, named
