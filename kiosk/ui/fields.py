"""One form field as touch widgets: label, prefill mark, input, and its error beside it.

Inputs by type: text and addresses in a line edit (the on-screen keyboard with pinyin),
numbers, phones, ID and bank numbers and dates in a line edit fed by the numeric pad,
few choices and yes/no as big toggle buttons, long choice lists as a combo box, documents
through the camera. Every input is marked ``ImhSensitiveData | ImhNoPredictiveText`` so
the keyboard learns nothing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from civic.catalog.forms import Field
from civic.catalog.vocab import FieldType
from kiosk.flows.messages import tr
from kiosk.ui.accessible import describe, keyboard_reachable
from kiosk.ui.accessible_texts import description, joined, of_field

SENSITIVE = Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
NUMERIC = {FieldType.PHONE, FieldType.ID_NUMBER, FieldType.BANK_ACCOUNT, FieldType.NUMBER,
           FieldType.AMOUNT, FieldType.DATE}
#: up to this many choices are big toggle buttons (touch targets an elder can hit, all in
#: sight); only longer lists (a nation list) fall back to a combo box. Combo boxes under a
#: style sheet also leak ~150 bytes of native memory each in Qt/PySide (bench/soak.py).
MAX_BUTTONS = 9


class FieldRow(QWidget):
    """Calls ``commit(key, value)`` when the citizen finishes an answer."""

    def __init__(self, field: Field, language: str, commit: Callable[[str, Any], None],
                 on_focus: Callable[[FieldRow], None], *, columns: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field, self.language = field, language
        self._commit, self._on_focus = commit, on_focus
        self.setProperty("key", field.key)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        head = QHBoxLayout()
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        required = f" *{tr('form.required', language)}" if field.required else ""
        self.caption.setText(f"{field.label.get(language)}{required}")
        self.mark = QLabel(self)
        self.mark.setObjectName("tag")
        self.mark.hide()
        head.addWidget(self.caption, 1)
        head.addWidget(self.mark)
        layout.addLayout(head)
        self.edit: QLineEdit | None = None
        self.combo: QComboBox | None = None
        self.group: QButtonGroup | None = None
        self.photo_button: QPushButton | None = None
        self._build(layout, columns)
        self._describe()
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

    # -- building -------------------------------------------------------------------------------
    def _build(self, layout: QVBoxLayout, columns: int) -> None:
        field, lang = self.field, self.language
        if field.readonly:                     # card or record data: shown as text, not a control
            self.edit = QLineEdit(self)
            self.edit.setReadOnly(True)
            keyboard_reachable(self.edit)     # read out by a screen reader, never typed into
            layout.addWidget(self.edit)
        elif field.type == FieldType.YES_NO:
            self._buttons(layout, [("yes", tr("form.yes", lang)), ("no", tr("form.no", lang))],
                          2, exclusive=True)
        elif field.type == FieldType.CHOICE and (len(field.choices) <= MAX_BUTTONS
                                                 or field.multiple):
            self._buttons(layout, [(c.value, c.label.get(lang)) for c in field.choices],
                          columns, exclusive=not field.multiple)
        elif field.type == FieldType.CHOICE:
            self.combo = QComboBox(self)
            self.combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.combo.addItem("—", None)
            for choice in field.choices:
                self.combo.addItem(choice.label.get(lang), choice.value)
            self.combo.activated.connect(lambda _i: self._commit(field.key,
                                                                 self.combo.currentData()))
            layout.addWidget(self.combo)
        elif field.type == FieldType.FILE:
            self.photo_button = QPushButton(tr("form.take_photo", lang), self)
            keyboard_reachable(self.photo_button)
            self.photo_button.clicked.connect(lambda _c=False: self._on_focus(self))
            layout.addWidget(self.photo_button)
        else:
            self.edit = QLineEdit(self)
            hints = SENSITIVE
            if field.type in NUMERIC:
                hints |= Qt.InputMethodHint.ImhPreferNumbers
            self.edit.setInputMethodHints(hints)
            if field.type == FieldType.DATE:
                self.edit.setPlaceholderText(tr("form.date_hint", lang))
            self.edit.setReadOnly(field.readonly)
            self.edit.editingFinished.connect(self.commit_text)
            self.edit.installEventFilter(self)
            layout.addWidget(self.edit)

    def _buttons(self, layout: QVBoxLayout, options: list[tuple[str, str]], columns: int, *,
                 exclusive: bool) -> None:
        self.group = QButtonGroup(self)
        self.group.setExclusive(exclusive)
        grid = QGridLayout()
        grid.setSpacing(10)
        if len(options) > 4:                    # a long list: one more column, fewer rows
            columns += 1
        for i, (value, text) in enumerate(options):
            button = QPushButton(text, self)
            button.setCheckable(True)
            keyboard_reachable(button)
            button.setProperty("value", value)
            button.setEnabled(not self.field.readonly)
            self.group.addButton(button)
            grid.addWidget(button, i // columns, i % columns)
        self.group.buttonClicked.connect(lambda _b: self._commit(self.field.key,
                                                                 self.button_value()))
        layout.addLayout(grid)

    def _describe(self) -> None:
        """Each input named by the field's label and described by what it takes; a choice
        button keeps its option as its name, described by the field it answers."""
        field, lang = self.field, self.language
        label = field.label.get(lang)
        what = [description("field_readonly" if field.readonly else "field", lang)]
        if field.required and not field.readonly:
            what.append(description("field_required", lang))
        if field.type == FieldType.DATE:
            what.append(tr("form.date_hint", lang))
        for widget in (self.edit, self.combo):
            if widget is not None:
                describe(widget, label, joined(what, lang))
        if self.photo_button is not None:
            describe(self.photo_button, "", of_field(label, "field_photo", lang))
        for button in self.group.buttons() if self.group is not None else ():
            describe(button, "", of_field(label, "field_choice", lang))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.edit and event.type() == event.Type.FocusIn:
            self._on_focus(self)
        return False

    # -- values -----------------------------------------------------------------------------------
    def button_value(self) -> Any:
        assert self.group is not None
        chosen = [b.property("value") for b in self.group.buttons() if b.isChecked()]
        if self.field.type == FieldType.YES_NO:
            return {"yes": True, "no": False}.get(chosen[0]) if chosen else None
        if self.field.multiple:
            return chosen
        return chosen[0] if chosen else None

    def commit_text(self) -> None:
        if self.edit is not None and not self.field.readonly:
            self._commit(self.field.key, self.edit.text().strip())

    def show_value(self, value: Any, focused: bool = False) -> None:
        if self.edit is not None and not focused:
            self.edit.setText(self.field.words(value, self.language))   # yes/no, lists in words
        elif self.combo is not None:
            index = self.combo.findData(value) if value is not None else 0
            self.combo.setCurrentIndex(max(0, index))
        elif self.group is not None:
            if self.field.type == FieldType.YES_NO:
                wanted = set() if value is None else {"yes" if value else "no"}
            else:
                wanted = set(value) if isinstance(value, list) else {value}
            for button in self.group.buttons():
                button.setChecked(button.property("value") in wanted)
        elif self.photo_button is not None:
            done = value is not None
            self.photo_button.setText(tr("form.photo_taken" if done else "form.take_photo",
                                         self.language))

    def show_mark(self, source: str | None) -> None:
        if source:
            self.mark.setText(tr("form.prefilled_card" if source == "card"
                                 else "form.prefilled_shared", self.language))
        self.mark.setVisible(bool(source))

    def show_error(self, message: dict[str, str] | None) -> None:
        self.error.setText(message.get(self.language, "") if message else "")
        self.error.setVisible(bool(message))
        if self.edit is not None and bool(self.edit.property("invalid")) != bool(message):
            self.edit.setProperty("invalid", bool(message))
            self.edit.style().unpolish(self.edit)
            self.edit.style().polish(self.edit)
