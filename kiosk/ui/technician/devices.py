"""Device set-up: the ID-card reader port, the PC/SC reader, the receipt printer URL, the A4
queue, the face and document cameras and the ID card's photo decoder — chosen,
auto-detected, saved and tested (read a card, print a test slip, ask the status). Results of
tests are reported into the fleet's ``DeviceStates``, so a printer out of paper reaches the
platform's fleet view with the next (immediate) heartbeat. Without a photo decoder the page
says what that means for face checks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from devices.printer.status import PrinterState
from devices.readers import ReaderHealth
from kiosk.fleet import DeviceStates
from kiosk.technician.console import TechnicianConsole
from kiosk.ui.accessible import describe
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.technician.page import TechPage

#: what a printer's status test may answer (its state's value, as text)
PRINTER_STATES = frozenset(PrinterState)

#: (setting, label key, test buttons)
ROWS = (("devices.idcard_port", "dev.idcard", ("read",)),
        ("devices.smartcard_reader", "dev.smartcard", ("read",)),
        ("devices.receipt_printer", "dev.printer", ("slip", "status")),
        ("devices.a4_queue", "dev.a4", ("status",)),
        ("devices.face_camera", "dev.face_camera", ()),
        ("devices.document_camera", "dev.document_camera", ()),
        ("identity.card_photo_decoder", "dev.card_photo_decoder", ()))


class DevicesPage(TechPage):
    name = "devices"

    def __init__(self, console: Callable[[], TechnicianConsole], tasks: Tasks,
                 language: Callable[[], str], devices: DeviceStates | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(console, tasks, language, parent)
        self.devices = devices
        self.detect = self.button(self.auto_detect, primary=True, name="detect")
        self.root.removeWidget(self.title)
        head = self.row(self.title, self.detect)
        head.setStretch(0, 1)
        self.root.insertLayout(0, head)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.fields: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        self.tests: dict[tuple[str, str], Any] = {}
        for i, (key, label_key, tests) in enumerate(ROWS):
            label = self.label()
            label.setProperty("text_key", label_key)
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.setProperty("role", key)
            combo.setMinimumWidth(420)
            save = self.button(partial(self.save, key), name=f"save:{key}")
            grid.addWidget(label, i, 0)
            grid.addWidget(combo, i, 1)
            grid.addWidget(save, i, 2)
            for j, test in enumerate(tests):
                button = self.button(partial(self.test, key, test), name=f"{test}:{key}")
                grid.addWidget(button, i, 3 + j)
                self.tests[(key, test)] = button
            label.setBuddy(combo)                   # the field's accessible name
            self.fields[key], self.labels[key] = combo, label
            self.tests[(key, "save")] = save
        grid.setColumnStretch(1, 1)
        self.root.addLayout(grid)
        # without the vendor's photo decoder a face check needs the platform: say so here,
        # where the decoder is set, so the technician knows what offline kiosks cannot do
        self.decoder_note = self.label()
        self.decoder_note.setObjectName("notice")
        self.root.addWidget(self.decoder_note)
        self.add_message()
        self.root.addStretch(1)

    def value(self, key: str) -> str:
        return self.fields[key].currentText().strip()

    def enter(self) -> None:
        current = self.console.settings()
        for key, combo in self.fields.items():
            section, name = key.split(".")
            combo.setEditText(str(current.get(section, {}).get(name, "")))
        self.refresh()

    def refresh(self) -> None:
        self.title.setText(self.t("dev.title"))
        self.detect.setText(self.t("dev.detect"))
        for key, label in self.labels.items():
            label.setText(self.t(label.property("text_key")))
            edit = self.fields[key].lineEdit()
            if edit is not None:                    # the combo's own text field, named too
                describe(edit, label.text())
        decoder = self.value("identity.card_photo_decoder")
        self.decoder_note.setText(self.t("dev.decoder_set" if decoder else "dev.no_decoder"))
        names = {"read": "dev.read", "slip": "dev.slip", "status": "dev.status",
                 "save": "save"}
        for (_key, test), button in self.tests.items():
            button.setText(self.t(names[test]))

    # -- actions -----------------------------------------------------------------------
    def auto_detect(self) -> None:
        def job(console: TechnicianConsole) -> tuple[dict[str, Any], dict[str, str]]:
            found = console.discover()
            return found, console.suggestions(found)

        def done(result: tuple[dict[str, Any], dict[str, str]]) -> str:
            found, proposal = result
            ports = [p["path"] for p in found["serial"]["ports"]]
            readers = [r["name"] for r in found["pcsc"]["readers"] if r.get("allowed")]
            for key, options in (("devices.idcard_port", ports),
                                 ("devices.smartcard_reader", readers)):
                combo, text = self.fields[key], self.value(key)
                combo.clear()
                combo.addItems(options)
                combo.setEditText(proposal.get(key, text))
            answering = [p["path"] for p in found["serial"]["ports"]
                         if (p.get("idcard") or {}).get("answers")]
            shown = answering + readers
            return self.t("dev.found", found="、".join(shown)) if shown \
                else self.t("dev.nothing")
        self.act(job, done)

    def save(self, key: str) -> None:
        value = self.value(key)

        def saved(stored: Any) -> str:
            self.refresh()                  # the decoder's note follows what was saved
            return self.t("set.saved", setting=key, value=stored)
        self.act(lambda c: c.set_setting(key, value), saved)

    def test(self, key: str, test: str) -> None:
        value = self.value(key) or None
        if key == "devices.idcard_port":
            self.act(lambda c: c.test_idcard(value), self._card_read, self.t("dev.place"))
        elif key == "devices.smartcard_reader":
            self.act(lambda c: c.test_smartcard(value),
                     lambda r: self.t("dev.sc_ok", name=r.get("name", "")),
                     self.t("dev.place"))
        elif test == "slip":
            self.act(lambda c: c.print_test_slip(value), self._slip)
        elif key == "devices.receipt_printer":
            self.act(lambda c: c.printer_status(value), self._printer_state)
        else:
            self.act(lambda c: c.a4_status(value), lambda s: self.t(
                "dev.state", state=s.get("state", ""), detail=" ".join(s.get("reasons", ()))))

    def _card_read(self, result: dict[str, Any]) -> str:
        if self.devices is not None:
            self.devices.report_idcard(ReaderHealth.OK)
        if not result["read"]:
            return self.t("dev.read_none", baud=result.get("baudrate", ""))
        return self.t("dev.read_ok", name=result["name"], number=result["id_number"])

    def _slip(self, result: dict[str, Any]) -> str:
        alert = result.get("alert")
        return self.t("dev.slip_alert", alert=alert) if alert else self.t("dev.slip_ok")

    def _printer_state(self, status: dict[str, str]) -> str:
        state, detail = status.get("state", ""), status.get("detail", "")
        if self.devices is not None and state in PRINTER_STATES:
            self.devices.report_printer(state, detail)   # paper trouble: heartbeat at once
        return self.t("dev.state", state=state, detail=detail)
