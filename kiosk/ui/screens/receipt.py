"""The receipt: case number (online) or local receipt number with an honest explanation
(offline), print progress, and the on-screen copy — the printer emulator's decoding of the
very bytes sent to the printer. If printing failed the receipt stays here, with what to
do, and the submission is safe in the outbox."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.flows import CitizenFlow, PrintState, Step
from kiosk.flows.states import Topic
from kiosk.ui.accessible import describe
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import ImageView


class ReceiptScreen(Screen):
    step = Step.RECEIPT
    topics = frozenset({Topic.PRINT, Topic.CASE_NUMBER})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        self.number = self.label("big")
        self.explain = self.label()
        self.print_status = self.label("notice")
        self.preview = ImageView(self)
        self.preview.setObjectName("slip_preview")
        self.reprint = self.button(self.flow.reprint, name="reprint")
        self.done = self.button(self.flow.finish, primary=True, name="done")
        left = QVBoxLayout()
        for widget in (self.title, self.number, self.explain, self.print_status):
            left.addWidget(widget)
        left.addStretch(1)
        left.addLayout(self.row(self.reprint, self.done, stretch_first=True))
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.preview, 2)
        self.root.addLayout(body, 1)

    def refresh(self) -> None:
        flow, lang = self.flow, self.flow.language
        online = bool(flow.case_number)
        self.title.setText(self.t("receipt.title_online" if online
                                  else "receipt.title_offline"))
        self.number.setText(self.t("receipt.case", number=flow.case_number) if online
                            else self.t("receipt.local", number=flow.local_receipt or ""))
        self.explain.setText("" if online else self.t("receipt.offline_explain"))
        self.explain.setVisible(not online)
        state = flow.print_state
        if state is PrintState.PRINTING:
            text, role = self.t("receipt.printing"), "notice"
        elif state is PrintState.PRINTED:
            text, role = self.t("receipt.printed"), "good"
        elif state is PrintState.FAILED:
            reason = flow.print_message.get(lang) if flow.print_message else ""
            text, role = self.t("receipt.print_failed", reason=reason.rstrip("。.")), "error"
        else:
            text, role = "", "notice"
        self.print_status.setText(text)
        if self.print_status.objectName() != role:
            self.print_status.setObjectName(role)
            self.print_status.style().unpolish(self.print_status)
            self.print_status.style().polish(self.print_status)
        self.print_status.setVisible(bool(text))
        self.preview.set_png(flow.preview)
        self.reprint.setText(self.t("receipt.reprint"))
        self.reprint.setVisible(state == "failed")
        self.done.setText(self.t("receipt.done"))
        describe(self.preview, self.t("receipt.preview"))

    def clear(self) -> None:
        self.number.clear()
        self.preview.clear_image()
