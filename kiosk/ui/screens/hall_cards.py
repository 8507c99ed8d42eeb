"""The parts the halls screen is made of: a hall's card (name, open or closed now, people
waiting and the average wait, the figures' age when older than five minutes, hours,
address, "Book"), a day's slot buttons, and the appointment's details.

Plain widgets over the flow's values (``civic.ahead`` types); every text in the session's
language (``kiosk.flows.messages``). Times are the halls' own (``civic.ahead.hall_time``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from civic.ahead import hall_time
from kiosk.flows.halls import when_words
from kiosk.flows.messages import tr
from kiosk.flows.messages_ahead import WEEKDAYS
from kiosk.ui.widgets import ChoiceButton, text_label, touch_button

if TYPE_CHECKING:
    from civic.ahead import Appointment, Hall, Slot
    from kiosk.ui.theme import Theme


def keep_height(widget: QWidget) -> None:
    """A widget in a scrolling column keeps the height its text needs (the column scrolls
    instead): wrapped labels would otherwise be squeezed to overlapping lines."""
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    for label in widget.findChildren(QLabel):
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)


def day_text(day: dt.date, language: str) -> str:
    return tr("halls.day", language, date=day.isoformat(),
              weekday=WEEKDAYS[language][day.weekday()])


def when_text(start: dt.datetime, end: dt.datetime, language: str) -> str:
    return when_words(start, end, language)


def stale_text(hall: Hall, now: dt.datetime, language: str) -> str:
    """How old the hall's figures are, said with the time they are from."""
    minutes = int(hall.age(now).total_seconds() // 60)
    return tr("halls.stale", language, minutes=minutes,
              time=f"{hall_time(hall.updated_at):%H:%M}")


class HallCard(QFrame):
    """One hall in the list; ``stale`` marks figures older than five minutes."""

    def __init__(self, hall: Hall, *, language: str, stale: str, book: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.hall_id = hall.hall_id
        keep_height(self)          # in a scrolling list: never squeezed below its text
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        text = QVBoxLayout()
        # one line each: a wrapped label nested in a row gets a height for the wrong width
        name = text_label(self, "big", wrap=False)
        name.setText(hall.name.get(language))
        status = text_label(self, "good" if hall.open_now else "muted", wrap=False)
        open_word = tr("halls.open" if hall.open_now else "halls.closed", language)
        status.setText(f"{open_word} · " + tr("halls.queue", language, waiting=hall.waiting,
                                               minutes=hall.average_wait_min))
        text.addWidget(name)
        text.addWidget(status)
        self.stale = text_label(self, "notice", wrap=False)
        self.stale.setText(stale)
        self.stale.setVisible(bool(stale))
        text.addWidget(self.stale)
        for key, value in (("halls.hours", {"hours": hall.hours.get(language)}),
                           ("halls.address", {"address": hall.address.get(language)})):
            line = text_label(self, "muted")
            line.setText(tr(key, language, **value))
            text.addWidget(line)
        layout.addLayout(text, 1)
        self.book = touch_button(self, book, primary=hall.open_now, name="hall_book")
        self.book.setText(tr("halls.book", language))
        self.book.setProperty("key", hall.hall_id)
        layout.addWidget(self.book)
        keep_height(self)


def slot_buttons(slots: tuple[Slot, ...], *, language: str, theme: Theme,
                 choose: Callable[[dt.datetime], None], parent: QWidget) -> QWidget:
    """The day's slots as buttons, a full one shown but not pressable."""
    box = QWidget(parent)
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(theme.gap_px)
    columns = 1 if theme.elder else 3
    for i, slot in enumerate(slots):
        start, end = hall_time(slot.start), hall_time(slot.end)
        key = "halls.slot" if slot.free else "halls.slot_taken"
        caption = tr(key, language, start=f"{start:%H:%M}", end=f"{end:%H:%M}",
                     free=slot.free)
        button = ChoiceButton(caption, partial(choose, slot.start), key=slot.start_text,
                              min_height=theme.target_px, parent=box)
        button.setProperty("role", "slot")
        button.setEnabled(slot.free > 0)
        grid.addWidget(button, i // columns, i % columns)
    return box


def appointment_lines(appointment: Appointment, hall: Hall | None, item_name: str,
                      language: str) -> list[tuple[str, str]]:
    """(role, text) of each line that says what was booked: ticket first."""
    start, end = appointment.slot_start, appointment.slot_end
    lines = [("big", tr("halls.ticket", language, ticket=appointment.ticket)),
             ("", tr("halls.item", language, item=item_name)),
             ("", when_text(start, end, language))]
    if hall is not None:
        lines += [("", tr("halls.hall", language, hall=hall.name.get(language))),
                  ("muted", tr("halls.address", language,
                               address=hall.address.get(language)))]
    return lines
