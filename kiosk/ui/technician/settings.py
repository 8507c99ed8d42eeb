"""Configuration editing: every setting with its documentation, validated on save by
``kiosk.config.coerce`` (the message says what is allowed); secrets have their own action
(the technician PIN)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk import config as kiosk_config
from kiosk.technician.console import TechnicianConsole
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.technician.page import TechPage


class SettingsPage(TechPage):
    name = "settings"

    def __init__(self, console: Callable[[], TechnicianConsole], tasks: Tasks,
                 language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(console, tasks, language, parent)
        self.hint = self.label("muted")
        self.root.addWidget(self.hint)
        self.add_message()
        area, column = self.scroll_list()
        self.root.addWidget(area, 1)
        self.edits: dict[str, QLineEdit] = {}
        self.saves = []
        for info in kiosk_config.settings():
            if info.secret:
                continue
            name = self.label()
            name.setText(f"{info.key}  —  {info.doc} ({info.allowed()})")
            edit = self.edit(info.key)
            name.setBuddy(edit)                     # the field's accessible name
            save = self.button(partial(self.save, info.key), name=f"save:{info.key}")
            column.addWidget(name)
            line = self.row(edit, save)
            line.setStretch(0, 1)
            column.addLayout(line)
            self.edits[info.key] = edit
            self.saves.append(save)
        self.pin_label = self.label()
        self.pin = self.edit("new_pin", secret=True, digits=True)
        self.pin_label.setBuddy(self.pin)
        self.pin_go = self.button(self.change_pin, name="change_pin")
        column.addWidget(self.pin_label)
        line = self.row(self.pin, self.pin_go)
        line.setStretch(0, 1)
        column.addLayout(line)
        column.addStretch(1)

    def enter(self) -> None:
        current = self.console.settings()
        for key, edit in self.edits.items():
            section, name = key.split(".")
            value = current[section][name]
            edit.setText(str(value).lower() if isinstance(value, bool) else str(value))
        self.refresh()

    def refresh(self) -> None:
        self.title.setText(self.t("set.title"))
        self.hint.setText(self.t("set.hint"))
        for button in self.saves:
            button.setText(self.t("save"))
        self.pin_label.setText(self.t("set.pin"))
        self.pin_go.setText(self.t("set.pin_go"))

    def save(self, key: str) -> None:
        raw = self.edits[key].text()
        self.act(lambda c: c.set_setting(key, raw),
                 lambda v: self.t("set.saved", setting=key, value=v))

    def change_pin(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        self.act(lambda c: c.set_technician_pin(pin), lambda _v: self.t("set.pin_ok"))
