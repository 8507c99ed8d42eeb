"""One resident at the door: who (masked), where, and each item they can apply for now with
the platform's reason; a tap starts that application on the citizen flow's screens.

A resident not on the list can still be helped (any item of the catalog); a card that
cannot identify its holder (expired...) shows why, in the flow's own words.

With the resident's consent and a network, the page also offers the platform's live "For
you" (read in the resident's card session, as at the kiosk: ``kiosk.flows.for_you``), each
item with its reason and due date; a tap starts it, and an item that needs a visit offers
the halls and a booking on the resident's behalf from its item screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QWidget

from kiosk.agent.visit import AgentVisit
from kiosk.flows import Step
from kiosk.flows.for_you import ForYouState
from kiosk.flows.messages import tr
from kiosk.ui.agent.page import PageWidget
from kiosk.ui.agent.texts import TEXTS
from kiosk.ui.screens.base import clear_layout
from kiosk.ui.widgets import ChoiceButton


class ResidentPage(PageWidget):
    texts = TEXTS
    name = "resident"

    def __init__(self, visit: AgentVisit, language: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.visit = visit
        self.title = self.label("title")
        self.village = self.label("muted")
        self.notice = self.label("notice")
        self.heading = self.label("big")
        self.root.addWidget(self.title)
        self.root.addWidget(self.village)
        self.root.addWidget(self.notice)
        self.root.addWidget(self.heading)
        self.live = self.button(visit.flow.show_for_you, name="for_you_agree")
        self.root.addWidget(self.live)
        area, self.column = self.scroll_list()
        self.root.addWidget(area, 1)
        self.all_items = self.button(lambda: visit.start(None), name="all_items")
        self.queue = self.button(visit.open_queue, name="open_queue")
        self.end = self.button(visit.end_visit, primary=True, name="end_visit")
        self.root.addLayout(self.row(self.queue, self.all_items, self.end, stretch_first=True))
        self.items: list[ChoiceButton] = []

    def refresh(self) -> None:
        visit, flow, lang = self.visit, self.visit.flow, self.language()
        identified = flow.step is Step.CHOOSE and flow.identity is not None
        resident = visit.resident
        name = resident.name_masked if resident else (
            flow.identity.name.masked() if identified and flow.identity else "")
        self.title.setText(self.t("res.title", name=name) if name else "")
        self.title.setVisible(bool(name))
        self.village.setText(self.t("res.village", village=resident.village)
                             if resident else "")
        self.village.setVisible(resident is not None)
        text = self.words(visit.notice) or (self.t("res.not_listed")
                                            if identified and resident is None else "")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.heading.setText(self.t("res.eligible"))
        self.heading.setVisible(resident is not None)
        self.all_items.setText(self.t("res.all_items"))
        self.all_items.setVisible(identified)
        self.queue.setText(self.t("list.queue"))
        self.end.setText(self.t("res.end"))
        clear_layout(self.column)
        self.items = []
        live = identified and flow.offers_for_you
        self.live.setText(self.t("res.for_you_ask"))
        self.live.setVisible(live and flow.for_you_state is ForYouState.ASK)
        if live and flow.for_you_state is not ForYouState.ASK:
            self._for_you()
        if resident is not None and identified:
            catalog = flow.catalog
            for entry in resident.eligible:
                item = catalog.get(entry.item_code) \
                    if catalog is not None and entry.item_code in catalog else None
                title = item.name.get(lang) if item is not None else entry.item_code
                reason = self.t("res.reason", reason=entry.reason(lang))
                button = ChoiceButton(f"{title}\n{reason}",
                                      partial(self.visit.start, entry.item_code),
                                      key=entry.item_code, min_height=88, parent=self)
                button.setEnabled(item is not None)
                self.column.addWidget(button)
                self.items.append(button)
            if not resident.eligible:
                empty = self.label("muted")
                empty.setText(self.t("res.none"))
                self.column.addWidget(empty)
        self.column.addStretch(1)

    def _for_you(self) -> None:
        """The platform's live list (or why there is none), above the work list's."""
        flow, lang = self.visit.flow, self.language()
        heading = self.label("big")
        heading.setText(self.t("res.for_you"))
        self.column.addWidget(heading)
        notice = flow.for_you_notice
        if notice is not None:
            line = self.label("notice")
            line.setText(notice.get(lang))
            self.column.addWidget(line)
        for entry in flow.for_you if flow.for_you_state is ForYouState.READY else ():
            lines = [flow.catalog.get(entry.item_code).name.get(lang),
                     self.t("res.reason", reason=entry.reason.get(lang))]
            if entry.due_by is not None:
                lines.append(tr("foryou.due", lang, date=entry.due_by.isoformat()))
            button = ChoiceButton("\n".join(lines), partial(self.visit.start, entry.item_code),
                                  key=entry.item_code, min_height=88, parent=self)
            button.setProperty("role", "for_you_item")
            self.column.addWidget(button)
            self.items.append(button)

    def clear(self) -> None:
        clear_layout(self.column)
        self.items = []
        self.title.clear()
