"""The sync button with its progress and the last successful sync time (work list + queue).

Pressing it runs, on the agent worker: ``QueueDashboard.sync_now()`` (renews the agent's
platform session with the PIN held in memory, makes items in back-off due, wakes the sync
worker) and then, when online, ``WorklistBook.sync()``. The outbox's progress events
(moved to the GUI thread by ``OutboxBridge``) drive the bar while items go out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QProgressBar, QWidget

from kiosk.agent import QueueDashboard, WorklistBook
from kiosk.agent.visit import AgentVisit
from kiosk.agent.worklist import parse_time
from kiosk.ui.agent.page import PageWidget, set_role
from kiosk.ui.agent.tasks import TaskResult, Tasks
from kiosk.ui.agent.texts import TEXTS
from offline_queue.events import ItemChanged, OutboxEvent, Progress
from offline_queue.senders import Sender


def local_time(value: Any) -> str:
    """A POSIX time or an RFC 3339 text as local ``YYYY-MM-DD HH:MM``; "" when unknown."""
    try:
        ts = float(value) if isinstance(value, int | float) else parse_time(str(value))
    except (TypeError, ValueError):
        return ""
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


class SyncPanel(PageWidget):
    texts = TEXTS
    name = "sync"

    def __init__(self, dashboard: QueueDashboard, book: WorklistBook, visit: AgentVisit,
                 tasks: Tasks, language: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.dashboard, self.book, self.visit, self.tasks = dashboard, book, visit, tasks
        self.root.setContentsMargins(0, 0, 0, 0)
        self.busy = False
        self.result: tuple[str, str] | None = None      # (text key or "", role)
        self.error_words = ""
        self.go = self.button(self.sync, primary=True, name="sync")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(16)
        self.bar.hide()
        self.last = self.label("muted")
        self.state = self.label("notice")
        self.state.hide()
        # one line: the button, when it last worked, what it is doing or did
        line = self.row(self.go, self.last, self.state)
        line.setStretch(2, 1)
        self.root.addLayout(line)
        self.root.addWidget(self.bar)

    def sync(self) -> None:
        if self.busy:
            return
        self.busy, self.result, self.error_words = True, None, ""
        self.refresh()

        def job() -> tuple[bool, Any]:
            online = self.dashboard.sync_now()
            return online, (self.book.sync() if online else None)
        self.tasks.run(job, self._done)

    def _done(self, outcome: TaskResult) -> None:
        self.busy = False
        if not outcome.ok:
            self.result, self.error_words = ("", "error"), self.words(outcome.message)
        else:
            online, worklist = outcome.value
            if worklist is not None:
                self.visit.worklist_synced(worklist)
            self.result = ("sync.ok", "good") if online else ("sync.offline", "notice")
        self.refresh()

    def on_progress(self, event: OutboxEvent) -> None:
        """An outbox event (GUI thread): progress, or an item queued or changing state
        (the count of applications held for an online sign-in follows both)."""
        if isinstance(event, Progress | ItemChanged):
            self.refresh()

    def refresh(self) -> None:
        progress = self.dashboard.progress()
        syncing = progress.sending
        self.go.setText(self.t("sync.busy") if self.busy else self.t("sync.go"))
        self.go.setEnabled(not self.busy)
        when = local_time(progress.last_sync_at)
        self.last.setText(self.t("sync.last", when=when) if when else self.t("sync.never"))
        if syncing:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
        elif self.busy:
            self.bar.setRange(0, 0)                 # busy: renewing the session, the list
        self.bar.setVisible(bool(self.busy or syncing))
        text, role = "", "notice"
        if syncing:
            text = self.t("sync.sending", done=progress.done, total=progress.total)
        elif self.result is not None:
            key, role = self.result
            text = self.t(key) if key else self.error_words
        held = self._held()
        if held and not self.busy:
            text = (text + " " if text else "") + self.t("sync.held", count=held)
        set_role(self.state, role)
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def _held(self) -> int:
        current = self.dashboard.auth.current
        if current is None or current.online:
            return 0
        # the sender's rows are in clear: no body is opened to count them
        views = self.dashboard.outbox.items(sender=Sender("agent", current.agent_id))
        return sum(1 for v in views if v["state"] in ("pending", "retry_wait"))
