"""The citizen authorises, on screen, the use of their shared data — or declines, and
nothing is fetched (card data is still used: the citizen presented the card)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from civic.catalog.vocab import SHARED_DOMAINS
from kiosk.flows import CitizenFlow, Step
from kiosk.flows.states import Topic
from kiosk.ui.screens.base import Screen


class ConsentScreen(Screen):
    step = Step.CONSENT
    topics = frozenset({Topic.NOTICE})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        self.body = self.label()
        self.scope = self.label("big")
        self.notice = self.label("notice")
        self.back = self.button(self.flow.back, name="back")
        self.decline = self.button(lambda: self.flow.give_consent(False), name="decline")
        self.agree = self.button(lambda: self.flow.give_consent(True), primary=True,
                                 name="agree")
        for widget in (self.title, self.body, self.scope, self.notice):
            self.root.addWidget(widget)
        self.root.addStretch(1)
        self.root.addLayout(self.row(self.back, self.decline, self.agree, stretch_first=True))

    def refresh(self) -> None:
        item = self.flow.item
        lang = self.flow.language
        self.title.setText(self.t("consent.title"))
        self.body.setText(self.t("consent.body"))
        keys = item.prefill_keys if item else ()
        self.scope.setText("\n".join(f"• {SHARED_DOMAINS[k].get(lang)}" for k in keys
                                     if k in SHARED_DOMAINS))
        notice = self.flow.notice
        self.notice.setText(notice.get(lang) if notice else "")
        self.notice.setVisible(notice is not None)
        self.back.setText(self.t("nav.back"))
        self.decline.setText(self.t("consent.decline"))
        self.agree.setText(self.t("consent.agree"))
