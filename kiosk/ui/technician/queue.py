"""The queue's counts and its returned (dead) items by id, HTTP status, the platform's code
and the names of the fields it refused: never a value, a name or an ID number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.technician.console import TechnicianConsole
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.screens.base import clear_layout
from kiosk.ui.technician.page import TechPage


class TechQueuePage(TechPage):
    name = "queue"

    def __init__(self, console: Callable[[], TechnicianConsole], tasks: Tasks,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(console, tasks, language, parent)
        self.counts = self.label("big")
        self.reload = self.button(self.enter, name="refresh_queue")
        line = self.row(self.counts, self.reload)
        line.setStretch(0, 1)
        self.root.addLayout(line)
        self.add_message()
        area, self.column = self.scroll_list()
        self.root.addWidget(area, 1)
        self.overview: dict[str, Any] | None = None

    def enter(self) -> None:
        self.refresh()
        self.act(lambda c: c.queue_overview(), self._show)

    def _show(self, overview: dict[str, Any]) -> str:
        self.overview = overview
        self.refresh()
        return ""

    def refresh(self) -> None:
        self.title.setText(self.t("q.title"))
        self.reload.setText(self.t("q.refresh"))
        clear_layout(self.column)
        if self.overview is None:
            self.counts.setText("")
            return
        c = self.overview["counts"]
        self.counts.setText(self.t("q.counts", pending=c.get("pending", 0),
                                   retry=c.get("retry_wait", 0), sent=c.get("sent", 0),
                                   dead=c.get("dead_open", len(self.overview["dead"]))))
        for item in self.overview["dead"]:
            line = self.label("error")
            line.setText(self.t("q.dead", id=item["submission_id"], status=item["http_status"],
                                code=item["code"] or "", fields=", ".join(item["fields"])))
            self.column.addWidget(line)
        if not self.overview["dead"]:
            none = self.label("muted")
            none.setText(self.t("q.none"))
            self.column.addWidget(none)
        self.column.addStretch(1)
