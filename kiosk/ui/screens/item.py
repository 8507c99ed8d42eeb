"""What the item is: department, time limit, fee, and the materials — those the
government already holds marked "no need to bring"."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from civic.catalog.vocab import Mode
from kiosk.flows import CitizenFlow, Step
from kiosk.ui.screens.base import Screen, clear_layout


class ItemScreen(Screen):
    step = Step.ITEM

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        self.facts = self.label()
        self.materials_title = self.label("big")
        body = QWidget(self)
        self.materials = QVBoxLayout(body)
        self.materials.setSpacing(8)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.back = self.button(self.flow.back, name="back")
        # an item that needs a visit (or, on an agent's laptop, one only a hall or an agent
        # finishes): where to go and a booking (issue 19)
        self.halls = self.button(self.flow.find_halls, name="find_halls")
        self.start = self.button(self.flow.start_item, primary=True, name="start")
        for widget in (self.title, self.facts, self.materials_title):
            self.root.addWidget(widget)
        self.root.addWidget(scroll, 1)
        self.root.addLayout(self.row(self.back, self.halls, self.start, stretch_first=True))

    def refresh(self) -> None:
        item = self.flow.item
        if item is None:
            return
        lang = self.flow.language
        self.title.setText(item.name.get(lang))
        assert self.flow.catalog is not None    # it gave the flow its item
        department = self.flow.catalog.departments.get(item.department)
        facts = [self.t("item.department",
                        name=department.name.get(lang) if department else item.department),
                 self.t("item.days", days=item.promised_days) if item.promised_days
                 else self.t("item.days_now"),
                 self.t("item.fee", amount=f"{item.fee:.2f}") if item.fee
                 else self.t("item.fee_free")]
        self.facts.setText("\n".join(facts))
        self.materials_title.setText(self.t("item.materials"))
        clear_layout(self.materials)
        lines = [] if item.materials else [(self.t("item.no_materials"), "good")]
        exempt = set(self.flow.exempt_codes)
        for material in item.materials:
            free = material.exempt_via_shared_data or material.code in exempt
            lines.append((material.name.get(lang), ""))
            lines.append((self.t("item.exempt") if free else self.t("item.bring"),
                          "tag" if free else "muted"))
        for text, role in lines:
            widget = self._line(text, role)
            self.materials.addWidget(widget)
            widget.show()
        self.materials.addStretch(1)
        self.back.setText(self.t("nav.back"))
        self.halls.setText(self.t("halls.find"))
        self.halls.setVisible(self.flow.offers_halls and (
            item.visits_required > 0 or item.mode is Mode.AGENT_ONLY))
        self.start.setText(self.t("item.start_print" if item.mode is Mode.QUERY_PRINT
                                  else "item.start"))

    def _line(self, text: str, role: str) -> QWidget:
        widget = self.label(role)
        widget.setText(text)
        return widget

    def clear(self) -> None:
        clear_layout(self.materials)
        self.title.clear()
