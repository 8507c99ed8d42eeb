"""The agent's queue: waiting to be sent (and held until an online sign-in), sent with the
case number and the platform's status updates, and returned ("dead") items with the
platform's reasons per field and a button to correct and resend through the form.

Reads ``QueueDashboard.view()`` (the local outbox; applicants masked) whenever shown and
after outbox events, at most a few times a second.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.agent import QueueDashboard, QueueEntry
from kiosk.agent.errors import NotSignedIn
from kiosk.agent.visit import AgentVisit
from kiosk.ui.agent.page import PageWidget
from kiosk.ui.agent.syncpanel import local_time
from kiosk.ui.agent.texts import TEXTS
from kiosk.ui.screens.base import clear_layout
from offline_queue.events import OutboxEvent


class QueuePage(PageWidget):
    texts = TEXTS
    name = "queue"

    def __init__(self, visit: AgentVisit, dashboard: QueueDashboard,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.visit, self.dashboard = visit, dashboard
        self.title = self.label("title")
        self.back = self.button(visit.close_queue, name="close_queue")
        head = self.row(self.title, self.back)
        head.setStretch(0, 1)
        self.root.addLayout(head)
        area, self.column = self.scroll_list()
        self.root.addWidget(area, 1)
        self.correct_buttons: dict[str, QWidget] = {}
        self.shown: dict[str, list[str]] = {"pending": [], "sent": [], "dead": []}
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(250)
        self._later.timeout.connect(self.refresh)

    def on_outbox_event(self, _event: OutboxEvent) -> None:
        if self.isVisible() and not self._later.isActive():
            self._later.start()

    def _item_name(self, code: str) -> str:
        catalog = self.visit.flow.catalog
        return catalog.get(code).name.get(self.language()) if catalog is not None \
            and code in catalog else code

    def refresh(self) -> None:
        self.title.setText(self.t("queue.title"))
        self.back.setText(self.t("queue.back"))
        clear_layout(self.column)
        self.correct_buttons = {}
        try:
            view = self.dashboard.view()
        except NotSignedIn:
            return
        self.shown = {"pending": [e.submission_id for e in view.pending],
                      "sent": [e.submission_id for e in view.sent],
                      "dead": [e.submission_id for e in view.dead]}
        for key, entries, draw in (("queue.dead", view.dead, self._dead),
                                   ("queue.pending", view.pending, self._pending),
                                   ("queue.sent", view.sent, self._sent)):
            heading = self.label("big")
            heading.setText(self.t(key, count=len(entries)))
            self.column.addWidget(heading)
            if not entries:
                empty = self.label("muted")
                empty.setText(self.t("queue.empty"))
                self.column.addWidget(empty)
            for entry in reversed(entries):          # newest first
                frame, box = self._frame(entry)
                draw(entry, box)
                self.column.addWidget(frame)
        self.column.addStretch(1)

    def _frame(self, entry: QueueEntry) -> tuple[QFrame, QVBoxLayout]:
        frame = QFrame(self)
        frame.setObjectName("queue_entry")
        frame.setProperty("submission_id", entry.submission_id)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(4)
        line = self.label()
        line.setText(self.t("queue.entry", applicant=entry.applicant_masked,
                            item=self._item_name(entry.item_code),
                            when=local_time(entry.enqueued_at)))
        box.addWidget(line)
        return frame, box

    def _add(self, box: QVBoxLayout, text: str, role: str = "muted") -> None:
        label = self.label(role)
        label.setText(text)
        box.addWidget(label)

    def _pending(self, entry: QueueEntry, box: QVBoxLayout) -> None:
        self._add(box, self.t("queue.local", number=entry.local_receipt or ""))
        if entry.state == "retry_wait":
            self._add(box, self.t("queue.retry"), "notice")

    def _status(self, status: str | None) -> str:
        key = f"status.{status}"
        return self.t(key) if key in self.texts else (status or "")

    def _sent(self, entry: QueueEntry, box: QVBoxLayout) -> None:
        self._add(box, self.t("queue.case", number=entry.case_number or ""), "")
        if entry.platform_status:
            self._add(box, self.t("queue.status", status=self._status(entry.platform_status)),
                      "good")
        steps = [f"{local_time(u.get('at') or u.get('changed_at'))} "
                 f"{self._status(u.get('status'))}".strip() for u in entry.status_updates]
        if steps:
            self._add(box, " → ".join(steps))

    def _dead(self, entry: QueueEntry, box: QVBoxLayout) -> None:
        lang = self.language()
        reasons = entry.reasons or {}
        summary = self._summary(reasons) or entry.last_error or ""
        self._add(box, self.t("queue.reason", reason=summary), "error")
        labels = self._labels(entry.item_code)
        for key, message in sorted((reasons.get("fields") or {}).items()):
            text = message.get(lang) or message.get("zh") or "" \
                if isinstance(message, dict) else str(message)
            self._add(box, self.t("queue.field", field=labels.get(key, key), message=text),
                      "error")
        button = self.button(partial(self.visit.correct, entry.submission_id), primary=True,
                             name="correct")
        button.setText(self.t("queue.correct"))
        box.addLayout(self.row(button, stretch_first=True))
        self.correct_buttons[entry.submission_id] = button

    def _summary(self, reasons: dict[str, Any]) -> str:
        """The platform's reason in words: its code where we know it (the title is English
        only), else its title."""
        key = f"code.{reasons.get('code')}"
        if key in self.texts:
            return self.t(key)
        return str(reasons.get("title") or reasons.get("detail") or reasons.get("code") or "")

    def _labels(self, code: str) -> dict[str, str]:
        catalog = self.visit.flow.catalog
        if catalog is None or code not in catalog:
            return {}
        return {f.key: f.label.get(self.language()) for f in catalog.get(code).form.fields}

    def clear(self) -> None:
        clear_layout(self.column)
        self.correct_buttons = {}
