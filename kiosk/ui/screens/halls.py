"""Where to go (issue 19): the halls that handle the item, by expected wait, with their live
queues; a hall's free times by day; the booking to confirm; the appointment with its slip
(the printer emulator's decoding of the very bytes printed) and its cancel.

One screen whose middle follows the flow's :class:`~kiosk.flows.halls.HallsPhase`; a wait
(the halls, the slots, the booking, the cancel) shows a progress bar. Refusals are the
flow's words (``halls_notice``).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLayout,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.flows import CitizenFlow, PrintState, Step
from kiosk.flows.halls import HallsPhase
from kiosk.flows.states import Topic
from kiosk.ui.accessible import describe, focus_first
from kiosk.ui.screens.base import Screen, clear_layout
from kiosk.ui.screens.hall_cards import (
    HallCard,
    appointment_lines,
    day_text,
    keep_height,
    slot_buttons,
    stale_text,
    when_text,
)
from kiosk.ui.widgets import ImageView

#: phases that wait for the platform, and what the progress bar says meanwhile
WAITING = {HallsPhase.LOADING: "halls.loading", HallsPhase.SLOTS_LOADING: "halls.slots_loading",
           HallsPhase.BOOKING: "halls.booking", HallsPhase.CANCELLING: "halls.cancelling"}


def show_items(layout: QLayout) -> None:
    """Show what was just added to ``layout`` (and its rows): a child added to a shown
    widget stays hidden until shown, where a layout would only show it a turn later."""
    for index in range(layout.count()):
        entry = layout.itemAt(index)
        if entry is None:
            continue
        widget, sub = entry.widget(), entry.layout()
        if widget is not None:
            widget.show()
        elif sub is not None:
            show_items(sub)


class HallsScreen(Screen):
    step = Step.HALLS
    topics = frozenset({Topic.AHEAD})

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self._focus_pending = False
        self.title = self.label("title")
        self.item_name = self.label("subtitle")
        self.notice = self.label("notice")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)            # busy: how long the platform takes is unknown
        self.progress.setTextVisible(False)
        self.content = QWidget(self)
        self.content.setObjectName("halls_content")
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(12)
        # the column is as tall as its cards need, and scrolls: never squeezed to the view
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.content)
        self.preview = ImageView(self)
        self.preview.setObjectName("appointment_slip")
        self.back = self.button(self.flow.leave_halls, name="halls_back")
        self.done = self.button(self.flow.finish_halls, primary=True, name="finish")
        for widget in (self.title, self.item_name, self.notice, self.progress):
            self.root.addWidget(widget)
        middle = QHBoxLayout()
        middle.addWidget(self.scroller, 3)
        middle.addWidget(self.preview, 2)
        self.root.addLayout(middle, 1)
        self.root.addLayout(self.row(self.back, self.done, stretch_first=True))

    # -- drawing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        flow, lang = self.flow, self.flow.language
        phase = flow.halls_phase
        item = flow.item
        self.title.setText(self.t("halls.title"))
        self.item_name.setText(item.name.get(lang) if item else "")
        notice = flow.halls_notice
        self.notice.setText(notice.get(lang) if notice else "")
        self.notice.setVisible(notice is not None)
        busy = WAITING.get(phase)
        self.progress.setVisible(busy is not None)
        describe(self.progress, self.t(busy) if busy else "")
        focused = QApplication.focusWidget()
        # a keypad user's focus was on a control this redraw replaces: it moves to the new
        # content's first control (after a wait, which has none, once the content comes)
        had_focus = self._focus_pending or (focused is not None
                                            and self.content.isAncestorOf(focused))
        clear_layout(self.body)
        if busy is not None:
            self._line("notice", self.t(busy))
        elif phase is HallsPhase.LIST:
            self._list()
        elif phase is HallsPhase.SLOTS:
            self._slots()
        elif phase is HallsPhase.CONFIRM:
            self._confirm()
        elif phase is HallsPhase.BOOKED:
            self._booked()
        elif phase is HallsPhase.CANCELLED:
            self._action("other_halls", "halls.other_halls", flow.other_halls)
        self.body.addStretch(1)
        show_items(self.body)
        if had_focus:
            self._focus_pending = not focus_first(self.content)
        shown = phase is HallsPhase.BOOKED and bool(flow.slip_preview)
        self.preview.set_png(flow.slip_preview if shown else b"")
        self.preview.setVisible(shown)
        describe(self.preview, self.t("halls.slip"))
        self.back.setText(self.t("nav.back"))
        self.done.setText(self.t("nav.home"))

    def _line(self, role: str, text: str) -> None:
        label = self.label(role)
        label.setText(text)
        keep_height(label)
        self.body.addWidget(label)

    def _action(self, role: str, key: str, act: object, *, primary: bool = False,
                danger: bool = False) -> None:
        assert callable(act)
        button = self.button(act, primary=primary, name=role)
        if danger:
            button.setObjectName("danger")
        button.setText(self.t(key))
        self.body.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)

    def _list(self) -> None:
        flow, lang = self.flow, self.flow.language
        if flow.halls:
            self._line("muted", self.t("halls.sorted"))
        now = flow.now()
        for hall in flow.halls:
            stale = stale_text(hall, now, lang) if flow.hall_is_stale(hall) else ""
            card = HallCard(hall, language=lang, stale=stale,
                            book=partial(flow.choose_hall, hall.hall_id), parent=self.content)
            self.body.addWidget(card)

    def _slots(self) -> None:
        flow, lang = self.flow, self.flow.language
        assert flow.hall is not None
        self._line("big", self.t("halls.slots_title", hall=flow.hall.name.get(lang)))
        if flow.slots_day is not None:
            day = QHBoxLayout()
            earlier = self.button(lambda: flow.other_day(-1), name="prev_day")
            later = self.button(lambda: flow.other_day(1), name="next_day")
            earlier.setText(self.t("halls.prev_day"))
            earlier.setEnabled(flow.can_go_earlier)
            later.setText(self.t("halls.next_day"))
            label = self.label("big")
            label.setText(day_text(flow.slots_day, lang))
            day.addWidget(earlier)
            day.addWidget(label, 1, Qt.AlignmentFlag.AlignCenter)
            day.addWidget(later)
            self.body.addLayout(day)
        self.body.addWidget(slot_buttons(flow.slots, language=lang, theme=self.theme,
                                         choose=flow.choose_slot, parent=self.content))
        self._action("other_halls", "halls.other_halls", flow.other_halls)

    def _confirm(self) -> None:
        flow, lang = self.flow, self.flow.language
        assert flow.hall is not None and flow.slot is not None and flow.item is not None
        self._line("big", self.t("halls.confirm_title"))
        self._line("", self.t("halls.item", item=flow.item.name.get(lang)))
        self._line("", self.t("halls.hall", hall=flow.hall.name.get(lang)))
        self._line("muted", self.t("halls.address", address=flow.hall.address.get(lang)))
        self._line("", when_text(flow.slot.start, flow.slot.end, lang))
        row = QHBoxLayout()
        other = self.button(flow.other_times, name="other_times")
        other.setText(self.t("halls.other_time"))
        confirm = self.button(flow.confirm_booking, primary=True, name="confirm_booking")
        confirm.setText(self.t("halls.confirm"))
        row.addWidget(other)
        row.addWidget(confirm)
        row.addStretch(1)
        self.body.addLayout(row)

    def _booked(self) -> None:
        flow, lang = self.flow, self.flow.language
        assert flow.appointment is not None and flow.item is not None
        self._line("good", self.t("halls.existing_title" if flow.appointment_existing
                                  else "halls.booked_title"))
        for role, text in appointment_lines(flow.appointment, flow.hall,
                                            flow.item.name.get(lang), lang):
            self._line(role, text)
        state = flow.slip_state
        if state is PrintState.PRINTING:
            self._line("notice", self.t("halls.printing"))
        elif state is PrintState.PRINTED:
            self._line("good", self.t("halls.printed"))
        elif state is PrintState.FAILED:
            reason = flow.slip_message.get(lang) if flow.slip_message else ""
            self._line("error", self.t("halls.print_failed", reason=reason.rstrip("。.")))
            self._action("reprint_slip", "halls.reprint", flow.print_slip)
        self._action("cancel_booking", "halls.cancel", flow.cancel_appointment, danger=True)

    def leave(self) -> None:
        self._focus_pending = False
        super().leave()

    def clear(self) -> None:
        self._focus_pending = False
        clear_layout(self.body)
        self.preview.clear_image()
        self.item_name.clear()
