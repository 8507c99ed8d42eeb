"""Everything once more, in the citizen's language, before signing."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QScrollArea, QWidget

from civic.catalog.forms import Field
from civic.catalog.vocab import FieldType
from kiosk.flows import CitizenFlow, Step
from kiosk.flows.messages import tr
from kiosk.ui.screens.base import Screen, clear_layout


def display(field: Field, value: Any, language: str) -> str:
    if field.type == FieldType.FILE and value:
        return tr("form.photo_taken", language)
    return field.words(value, language) or "—"


class ReviewScreen(Screen):
    step = Step.REVIEW

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        body = QWidget(self)
        self.table = QFormLayout(body)
        self.table.setVerticalSpacing(12)
        self.table.setHorizontalSpacing(24)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.body = body
        self.edit = self.button(self.flow.back, name="back")
        self.confirm = self.button(self.flow.confirm_review, primary=True, name="confirm")
        self.root.addWidget(self.title)
        self.root.addWidget(scroll, 1)
        self.root.addLayout(self.row(self.edit, self.confirm, stretch_first=True))

    def refresh(self) -> None:
        lang = self.flow.language
        self.title.setText(self.t("review.title"))
        clear_layout(self.table)
        if self.theme.elder:
            self.table.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        else:
            self.table.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for field in self.flow.visible_fields():
            name = self.label("muted")
            name.setText(field.label.get(lang))
            value = self.label()
            value.setText(display(field, self.flow.values.get(field.key), lang))
            self.table.addRow(name, value)
            name.show()
            value.show()
        self.edit.setText(self.t("review.edit"))
        self.confirm.setText(self.t("review.confirm"))

    def clear(self) -> None:
        clear_layout(self.table)
