"""The small status line: connectivity and queue, receipt printer, card reader.

The line and the queue come from the sync worker's own events (``kiosk.flows.line``
through ``OutboxBridge.summary``), the printer and reader from their bridges.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from devices.readers import ReaderState
from kiosk.flows.line import Line, LineStatus
from kiosk.flows.messages import tr

_LINE = {Line.UNKNOWN: "status.checking", Line.ONLINE: "status.online",
         Line.OFFLINE: "status.offline", Line.BUSY: "status.busy",
         Line.PAUSED: "status.paused", Line.NOT_ENROLLED: "status.not_enrolled",
         Line.FAULT: "status.fault"}
_PAPER = {"ok": "status.printer_ok", "paper_near_end": "status.printer_near_end",
          "paper_out": "status.printer_out"}


class StatusBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusbar")
        self.language = "zh"
        self.net = LineStatus()
        self.paper = "ok"
        self.reader = ReaderState.OK
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

    def set_network(self, status: LineStatus) -> None:
        self.net = status
        self.refresh()

    def set_paper(self, state: str) -> None:
        self.paper = state
        self.refresh()

    def set_reader(self, state: ReaderState) -> None:
        self.reader = ReaderState(state)
        self.refresh()

    def set_language(self, language: str) -> None:
        self.language = language
        self.refresh()

    def refresh(self) -> None:
        lang = self.language
        net = self.net
        mark = "● " if net.online else "○ " if net.line is Line.UNKNOWN else "▲ "
        self.network.setText(mark + tr(_LINE[net.line], lang))
        if net.sending and net.sending[1]:
            self.queue.setText(tr("status.syncing", lang, done=net.sending[0],
                                  total=net.sending[1]))
        else:
            self.queue.setText(tr("status.queue", lang, count=net.waiting)
                               if net.waiting else "")
        self.queue.setVisible(bool(self.queue.text()))
        self.printer.setText(tr(_PAPER.get(self.paper, "status.printer_off"), lang))
        self.card_reader.setText(tr("status.reader_ok" if self.reader is ReaderState.OK
                                    else "status.reader_lost", lang))
