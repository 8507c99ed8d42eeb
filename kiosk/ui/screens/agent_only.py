"""An item the kiosk cannot finish: where and how it is done, what to bring, and that the
village agent can do it on the citizen's behalf."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.screens.base import Screen


class AgentOnlyScreen(Screen):
    step = Step.AGENT_ONLY

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        self.item_name = self.label("big")
        self.where = self.label()
        self.steps = self.label()
        self.why = self.label("muted")
        self.helper = self.label("good")
        self.back = self.button(self.flow.back, name="back")
        # where to go: the halls' live queues and a booking (issue 19), where offered
        self.halls = self.button(self.flow.find_halls, name="find_halls")
        self.done = self.button(self.flow.finish, primary=True, name="finish")
        for widget in (self.title, self.item_name, self.where, self.steps, self.why,
                       self.helper):
            self.root.addWidget(widget)
        self.root.addStretch(1)
        self.root.addLayout(self.row(self.back, self.halls, self.done, stretch_first=True))

    def refresh(self) -> None:
        item = self.flow.item
        if item is None:
            return
        lang = self.flow.language
        self.title.setText(self.t("agent.title"))
        self.item_name.setText(item.name.get(lang))
        handling = item.handling
        self.where.setText(self.t("agent.where", hall=handling.hall.get(lang))
                           if handling else "")
        self.steps.setText(self.t("agent.steps", steps=handling.steps.get(lang))
                           if handling else "")
        self.why.setText(self.t("agent.why", why=handling.why.get(lang)) if handling else "")
        self.helper.setText(self.t("agent.helper"))
        self.helper.setVisible(bool(handling and handling.agent_can_handle))
        self.back.setText(self.t("nav.back"))
        self.done.setText(self.t("nav.home"))
        self.halls.setText(self.t("halls.find"))
        self.halls.setVisible(self.flow.offers_halls)
