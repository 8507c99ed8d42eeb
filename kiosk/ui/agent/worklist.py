"""The work list: the residents of the agent's area (masked names) and how many items each
can apply for now; the sync panel; "place the resident's card". A read card is matched to
the list by the visit (salted ID hash), which then opens the resident's page. (The sync
panel sits above this page in the window.)"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.agent.visit import AgentVisit
from kiosk.ui.agent.page import PageWidget
from kiosk.ui.agent.syncpanel import local_time
from kiosk.ui.agent.texts import TEXTS
from kiosk.ui.screens.base import clear_layout


class WorklistPage(PageWidget):
    texts = TEXTS
    name = "worklist"

    def __init__(self, visit: AgentVisit, language: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.visit = visit
        self.title = self.label("title")
        self.queue = self.button(visit.open_queue, name="open_queue")
        head = self.row(self.title, self.queue)
        head.setStretch(0, 1)
        self.root.addLayout(head)
        self.prompt = self.label("good")
        self.notice = self.label("notice")
        self.summary = self.label("muted")
        for widget in (self.prompt, self.notice, self.summary):
            self.root.addWidget(widget)
        area, self.column = self.scroll_list()
        self.root.addWidget(area, 1)
        self.rows: list[QFrame] = []

    def refresh(self) -> None:
        self.title.setText(self.t("list.title"))
        self.queue.setText(self.t("list.queue"))
        self.prompt.setText(self.t("list.read_card"))
        self.notice.setText(self.words(self.visit.notice))
        self.notice.setVisible(self.visit.notice is not None)
        worklist = self.visit.worklist
        clear_layout(self.column)
        self.rows = []
        if worklist is None:
            self.summary.setText(self.t("list.none"))
            self.column.addStretch(1)
            return
        self.summary.setText(self.t("list.count", count=len(worklist.residents),
                                    until=local_time(worklist.valid_until)))
        for resident in worklist.residents:
            self.rows.append(self._row(resident.name_masked, resident.village,
                                       len(resident.eligible)))
        self.column.addStretch(1)

    def _row(self, name: str, village: str, items: int) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("resident_row")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 6, 12, 6)
        who = self.label("big")
        who.setText(name)
        where = self.label("muted")
        where.setText(f"{village} · {self.t('list.items', count=items)}")
        line = self.row(who, where)
        line.setStretch(1, 1)
        layout.addLayout(line)
        self.column.addWidget(frame)
        return frame

    def clear(self) -> None:
        clear_layout(self.column)
        self.rows = []
