"""The small status line: connectivity and queue, receipt printer, card reader."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.flows.messages import tr

_PAPER = {"ok": "status.printer_ok", "paper_near_end": "status.printer_near_end",
          "paper_out": "status.printer_out"}


class StatusBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusbar")
        self.language = "zh"
        self.net: dict[str, Any] = {"online": True, "waiting": 0}
        self.paper = "ok"
        self.reader = "ok"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        self.network = QLabel(self)
        self.network.setObjectName("net")
        self.queue = QLabel(self)
        self.printer = QLabel(self)
        self.card_reader = QLabel(self)
        layout.addWidget(self.network, 1)
        for widget in (self.queue, self.printer, self.card_reader):
            layout.addWidget(widget)
        self.refresh()

    def set_network(self, info: dict[str, Any]) -> None:
        self.net = info
        self.refresh()

    def set_paper(self, state: str) -> None:
        self.paper = state
        self.refresh()

    def set_reader(self, state: str) -> None:
        self.reader = state
        self.refresh()

    def set_language(self, language: str) -> None:
        self.language = language
        self.refresh()

    def refresh(self) -> None:
        lang = self.language
        online = bool(self.net.get("online", True))
        self.network.setText(("● " if online else "▲ ")
                             + tr("status.online" if online else "status.offline", lang))
        syncing = self.net.get("syncing")
        waiting = int(self.net.get("waiting", 0))
        if syncing and syncing[1]:
            self.queue.setText(tr("status.syncing", lang, done=syncing[0], total=syncing[1]))
        else:
            self.queue.setText(tr("status.queue", lang, count=waiting) if waiting else "")
        self.printer.setText(tr(_PAPER.get(self.paper, "status.printer_off"), lang))
        self.card_reader.setText(tr("status.reader_ok" if self.reader == "ok"
                                    else "status.reader_lost", lang))
