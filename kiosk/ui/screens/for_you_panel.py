""""For you" on the choose screen: first the consent (nothing is read before it), then the
items this resident can apply for now, each with its reason and due date, most pressing
first; or why there are none (loading, offline, unavailable). Tapping an item chooses it.

A part of :class:`~kiosk.ui.screens.choose.ChooseScreen`, which redraws it; the texts and
the list come from the flow (``kiosk.flows.for_you``)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from kiosk.flows.for_you import ForYouState
from kiosk.flows.messages import tr
from kiosk.ui.accessible import focus_first
from kiosk.ui.screens.base import clear_layout
from kiosk.ui.widgets import ChoiceButton, text_label, touch_button

if TYPE_CHECKING:
    from civic.ahead import EligibleItem
    from kiosk.flows import CitizenFlow
    from kiosk.ui.theme import Theme


class ForYouPanel(QWidget):
    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("for_you")
        self.flow = flow
        self._focus_pending = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        # the consent: a card with what is read, for how long, and one button
        self.ask = QFrame(self)
        self.ask.setObjectName("card")
        ask_layout = QVBoxLayout(self.ask)
        ask_layout.setContentsMargins(24, 16, 24, 16)
        self.ask_title = text_label(self.ask, "big")
        self.ask_body = text_label(self.ask)
        self.agree = touch_button(self.ask, self.flow.show_for_you, primary=True,
                                  name="for_you_agree")
        ask_layout.addWidget(self.ask_title)
        ask_layout.addWidget(self.ask_body)
        ask_layout.addWidget(self.agree, 0, Qt.AlignmentFlag.AlignLeft)
        self.notice = text_label(self, "notice")
        self.notice.setObjectName("notice")
        # the list scrolls: four elder-sized entries with their reasons fill a panel
        self.entries = QWidget(self)
        self.entries.setObjectName("for_you_entries")
        self.list = QVBoxLayout(self.entries)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.setSpacing(12)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.entries)
        layout.addWidget(self.ask)
        layout.addWidget(self.notice)
        layout.addWidget(self.scroller, 1)
        # the consent and a notice keep their own height; below them, empty space (a stretch
        # of factor 0 takes the room only while the list, factor 1, is hidden)
        for box in (self.ask, self.notice):
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addStretch(0)

    def refresh(self, theme: Theme) -> None:
        flow, lang = self.flow, self.flow.language
        state = flow.for_you_state
        focused = QApplication.focusWidget()
        # a keypad user pressed "Agree and show" (hidden now) or an entry (replaced); while
        # the list loads there is nothing to focus, so the move waits for it
        had_focus = self._focus_pending or (focused is not None and self.isAncestorOf(focused))
        self.ask.setVisible(state is ForYouState.ASK)
        self.ask_title.setText(tr("foryou.ask_title", lang))
        self.ask_body.setText(tr("foryou.ask_body", lang))
        self.agree.setText(tr("foryou.ask_button", lang))
        notice = flow.for_you_notice
        self.notice.setText(notice.get(lang) if notice else "")
        self.notice.setVisible(notice is not None)
        clear_layout(self.list)
        for entry in flow.for_you if state is ForYouState.READY else ():
            button = ChoiceButton(self.caption(entry), partial(flow.choose, entry.item_code),
                                  key=entry.item_code, min_height=theme.target_px,
                                  parent=self.entries)
            button.setProperty("role", "for_you_item")
            self.list.addWidget(button)
            button.show()
        self.list.addStretch(1)
        self.scroller.setVisible(state is ForYouState.READY and bool(flow.for_you))
        self.scroller.verticalScrollBar().setValue(0)
        if had_focus and (self._focus_pending or focused is None or not focused.isVisible()):
            self._focus_pending = not focus_first(self.entries if self.buttons() else self)

    def caption(self, entry: EligibleItem) -> str:
        """The item's name, then why and by when, on lines of their own."""
        lang = self.flow.language
        lines = [self.flow.catalog.get(entry.item_code).name.get(lang),
                 entry.reason.get(lang)]
        if entry.due_by is not None:
            lines.append(tr("foryou.due", lang, date=entry.due_by.isoformat()))
        return "\n".join(lines)

    def buttons(self) -> list[ChoiceButton]:
        return self.entries.findChildren(ChoiceButton)

    def clear(self) -> None:
        clear_layout(self.list)
        self._focus_pending = False
