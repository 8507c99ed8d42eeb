"""The first screen: where to put the card, and the one-tap elder mode (长辈版).

It shows the terminal's preferences only, no session: citizen mode paints it before the
outbox, the catalog and the devices (what a session needs) are open.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.flows import Step
from kiosk.flows.messages import tr
from kiosk.flows.prefs import Prefs
from kiosk.ui.qt_names import set_by_name
from kiosk.ui.screens.base import Screen


class AttractScreen(Screen):
    step = Step.ATTRACT

    def __init__(self, prefs: Prefs, parent: QWidget | None = None) -> None:
        self._set_up(prefs, prefs.subscribe, parent)
        self.title = self.label("title")
        # Nobody has chosen a language yet: the prompt is shown in both.
        self.prompt = self.label("big")
        self.prompt_other = self.label("subtitle")
        self.hint = self.label("muted")
        self.elder = self.button(self._toggle_elder, primary=True, name="elder")
        self.elder.setCheckable(True)
        self.root.addStretch(1)
        for widget in (self.title, self.prompt, self.prompt_other, self.hint):
            # by name: the first screen is built without Qt's enums (kiosk.ui.qt_names)
            set_by_name(widget, "alignment", "AlignCenter")
            self.root.addWidget(widget)
        self.root.addSpacing(24)
        elder_row = self.row(self.elder, stretch_first=True)
        elder_row.addStretch(1)
        self.root.addLayout(elder_row)
        self.root.addStretch(2)
        self.refresh()

    def _toggle_elder(self) -> None:
        self.prefs.set_elder(not self.prefs.elder)

    def refresh(self) -> None:
        lang = self.prefs.language
        other = "en" if lang == "zh" else "zh"
        self.title.setText(self.t("app.title"))
        self.prompt.setText(self.t("attract.prompt"))
        self.prompt_other.setText(tr("attract.prompt", other))
        self.hint.setText(self.t("attract.hint"))
        self.elder.setText(self.t("elder.off" if self.prefs.elder else "attract.elder"))
        self.elder.setChecked(self.prefs.elder)
