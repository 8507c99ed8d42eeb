"""The form: prefilled values marked by source, inline messages in plain words beside each
field, a numeric pad for numbers, the document camera for ``file`` fields."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget

from civic.catalog.vocab import FieldType
from kiosk.flows import CitizenFlow, PrefillState, Step
from kiosk.flows.states import Topic
from kiosk.ui.fields import NUMERIC, FieldRow
from kiosk.ui.screens.base import Screen, clear_layout
from kiosk.ui.widgets import NumericPad

PhotoTaker = Callable[[Callable[[bytes], None]], None]


class FormScreen(Screen):
    step = Step.FORM
    topics = frozenset({Topic.VALUES, Topic.ERRORS, Topic.PREFILL, Topic.NOTICE})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.take_photo: PhotoTaker | None = None     # set by the main window
        self.rows: dict[str, FieldRow] = {}
        self._built_for: tuple[object, ...] | None = None
        self.title = self.label("title")
        self.status = self.label("muted")
        self.notice = self.label("notice")
        self.body = QWidget(self)
        self.fields = QVBoxLayout(self.body)
        self.fields.setSpacing(10)
        self.scroll_area = QScrollArea(self)    # (QWidget.scroll is a method)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.body)
        self.pad = NumericPad(lambda: self.flow.language, self)
        self.back = self.button(self.flow.back, name="back")
        self.next = self.button(self.submit, primary=True, name="next")
        for widget in (self.title, self.status, self.notice):
            self.root.addWidget(widget)
        self.root.addWidget(self.scroll_area, 1)
        self.root.addWidget(self.pad)
        self.root.addLayout(self.row(self.back, self.next, stretch_first=True))

    # -- actions -----------------------------------------------------------------------------
    def commit(self, key: str, value: Any) -> None:
        # A field losing focus because the session just ended must not write into the next
        if self.flow.step is Step.FORM and key in self.rows:
            self.flow.set_value(key, value)

    def focused(self, row: FieldRow) -> None:
        self.flow.activity()
        kind = row.field.type
        if kind == FieldType.FILE:
            taker = self.take_photo
            if taker is not None:
                taker(partial(self.flow.attach_file, row.field.key))
            return
        if kind in NUMERIC and not row.field.readonly:
            self.pad.attach(row.edit, allow_x=kind == FieldType.ID_NUMBER,
                            allow_dash=kind == FieldType.DATE)
        else:
            self.pad.attach(None)

    def submit(self) -> None:
        for row in self.rows.values():      # what is typed but not yet "finished" counts
            if row.edit is not None and not row.field.readonly:
                text = row.edit.text().strip()
                if text != str(self.flow.values.get(row.field.key, "") or ""):
                    self.flow.set_value(row.field.key, text)
        self.pad.attach(None)
        self.flow.to_review()

    # -- drawing -----------------------------------------------------------------------------
    def _build(self) -> None:
        clear_layout(self.fields)
        self.rows = {}
        columns = self.theme.columns if self.theme.columns > 1 else 1
        for field in self.flow.visible_fields():
            row = FieldRow(field, self.flow.language, self.commit, self.focused,
                           columns=max(2, columns) if not self.theme.elder else 1,
                           parent=self.body)
            self.rows[field.key] = row
            self.fields.addWidget(row)
            row.show()
        self.fields.addStretch(1)
        self._built_for = (self.flow.session, self.flow.item, self.flow.language, self.theme)

    def refresh(self) -> None:
        if self.flow.item is None:
            return
        wanted = (self.flow.session, self.flow.item, self.flow.language, self.theme)
        if self._built_for != wanted:
            self._build()
        self.title.setText(self.t("form.title"))
        state = self.flow.prefill_state
        why = self.flow.prefill_notice          # why there is no shared data, if there is none
        self.status.setText(self.t("form.loading") if state is PrefillState.LOADING else
                            why.get(self.prefs.language) if why is not None else "")
        self.status.setVisible(state in (PrefillState.LOADING, PrefillState.FAILED))
        focus = QApplication.focusWidget()
        for key, row in self.rows.items():
            row.show_value(self.flow.values.get(key), focused=focus is row.edit)
            row.show_mark(self.flow.prefilled.get(key))
            row.show_error(self.flow.errors.get(key))
        notice = self.flow.notice
        self.notice.setText(self.t("form.fix", count=len(self.flow.errors)) if notice else "")
        self.notice.setVisible(notice is not None and bool(self.flow.errors))
        if notice is not None and self.flow.errors:      # "see the red notes": show the first
            first = next((row for key, row in self.rows.items() if key in self.flow.errors),
                         None)
            if first is not None:
                self.show_row(first)
        self.pad.retranslate()
        self.back.setText(self.t("nav.back"))
        self.next.setText(self.t("form.review"))

    def show_row(self, row: FieldRow) -> None:
        """Scroll so that ``row`` is in sight (after the layout has placed it)."""
        self.fields.activate()                  # the body's layout
        self.scroll_area.ensureWidgetVisible(row, 0, 24)

    def clear(self) -> None:
        self.pad.attach(None)
        clear_layout(self.fields)
        self.rows = {}
        self._built_for = None
