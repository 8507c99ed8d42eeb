"""Correcting a returned application: the platform's reasons, then the applicant's card.

The resident confirms and signs the corrected application, so their card is read again
and checked to be the applicant's before the form opens with the rejected values.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kiosk.agent.visit import AgentVisit
from kiosk.ui.agent.page import PageWidget
from kiosk.ui.agent.texts import TEXTS


class CorrectPage(PageWidget):
    texts = TEXTS
    name = "correct"

    def __init__(self, visit: AgentVisit, language: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.visit = visit
        self.title = self.label("title")
        self.item = self.label("big")
        self.reasons = self.label("error")
        self.prompt = self.label("good")
        self.notice = self.label("notice")
        for widget in (self.title, self.item, self.reasons, self.prompt, self.notice):
            self.root.addWidget(widget)
        self.root.addStretch(1)
        self.cancel = self.button(visit.cancel_correction, name="cancel_correction")
        self.root.addLayout(self.row(self.cancel, stretch_first=True))

    def refresh(self) -> None:
        visit, lang = self.visit, self.language()
        catalog = visit.flow.catalog
        code = visit.correction_item
        name = catalog.get(code).name.get(lang) if catalog is not None and code in catalog \
            else code
        self.title.setText(self.t("fix.title"))
        self.item.setText(self.t("fix.item", item=name))
        reasons = visit.correction_reasons or {}
        labels = ({f.key: f.label.get(lang) for f in catalog.get(code).form.fields}
                  if catalog is not None and code in catalog else {})
        code_key = f"code.{reasons.get('code')}"
        summary = self.t(code_key) if code_key in self.texts else (
            reasons.get("title") or reasons.get("code") or "")
        lines = [self.t("queue.reason", reason=summary)]
        for key, message in sorted((reasons.get("fields") or {}).items()):
            text = message.get(lang, "") if isinstance(message, dict) else str(message)
            lines.append(self.t("queue.field", field=labels.get(key, key), message=text))
        self.reasons.setText("\n".join(lines))
        self.prompt.setText(self.t("fix.read_card"))
        self.notice.setText(self.words(visit.notice))
        self.notice.setVisible(visit.notice is not None)
        self.cancel.setText(self.t("fix.cancel"))
