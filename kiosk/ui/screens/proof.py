"""query_print: the certified record's A4 proof, previewed (pages of the very PDF that is
printed), then printed with its slip. Without a verified record the screen shows what the
form could read (masked) and why nothing can be printed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.flows import CitizenFlow, PrintState, Step
from kiosk.flows.states import Topic
from kiosk.ui.accessible import describe
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import ImageView


class ProofScreen(Screen):
    step = Step.PROOF
    topics = frozenset({Topic.PRINT, Topic.NOTICE})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.title = self.label("title")
        self.status = self.label("notice")
        self.shown = self.label("body")          # what could be read, when not certified
        self.page = ImageView(self)
        self.page.setObjectName("proof_preview")
        self.back = self.button(self.flow.back, name="back")
        self.print_button = self.button(self.flow.print_proof, primary=True, name="print")
        self.done = self.button(self.flow.finish, name="done")
        self.root.addWidget(self.title)
        self.root.addWidget(self.status)
        self.root.addWidget(self.shown)
        self.root.addWidget(self.page, 1)
        self.root.addLayout(self.row(self.back, self.done, self.print_button,
                                     stretch_first=True))

    def refresh(self) -> None:
        flow, lang = self.flow, self.flow.language
        self.title.setText(self.t("proof.title"))
        state = flow.print_state
        if flow.notice is not None:
            text = flow.notice.get(lang)
        elif state is PrintState.PREPARING:
            text = self.t("proof.making" if flow.record is not None else "proof.fetching")
        elif state is PrintState.PRINTING:
            text = self.t("proof.printing")
        elif state is PrintState.PRINTED:
            text = self.t("proof.printed")
        elif state is PrintState.FAILED and flow.print_message:
            text = self.t("proof.failed", reason=flow.print_message.get(lang))
        else:
            text = ""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        rows = flow.proof_rows_shown if state is PrintState.FAILED and not flow.proof_pages \
            else ()
        colon = ": " if lang == "en" else "："
        self.shown.setText("\n".join(f"{label}{colon}{value}" for label, value in rows))
        self.shown.setVisible(bool(rows))
        # the rows take the room of a preview there is none of (elder text needs it)
        self.page.setVisible(not rows)
        self.print_button.setVisible(not rows)   # nothing to print: no button to press
        self.page.set_png(flow.proof_pages[0] if flow.proof_pages else b"")
        self.print_button.setText(self.t("proof.print"))
        self.print_button.setEnabled(bool(flow.proof_pages) and state not in (
            PrintState.PRINTING, PrintState.PRINTED))
        self.back.setText(self.t("nav.back"))
        self.done.setText(self.t("receipt.done"))
        describe(self.page, self.t("proof.preview"))

    def clear(self) -> None:
        self.page.clear_image()
        self.shown.clear()
