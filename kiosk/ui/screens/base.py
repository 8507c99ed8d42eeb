"""What every screen shares: flow subscription, translation, theme, widget helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.flows.messages import tr
from kiosk.flows.prefs import Prefs
from kiosk.flows.states import Topic
from kiosk.ui.accessible import label_controls
from kiosk.ui.theme import NORMAL, Theme
from kiosk.ui.widgets import text_label, touch_button

if TYPE_CHECKING:
    # not at run time: the attract screen is built before Qt's enums are (kiosk.ui.qt_names)
    from PySide6.QtCore import Qt


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget, spacer and sub-layout of ``layout``.

    ``takeAt`` hands the layout item to the caller, and PySide6 does not delete it with its
    Python wrapper: each item must be deleted here (C++'s ``delete item``), or every
    redrawn row leaks ~100 bytes of native memory for good (bench/soak.py found it).
    """
    while layout.count():
        entry = layout.takeAt(0)
        assert entry is not None                # count() said there is one
        widget = entry.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif (sub := entry.layout()) is not None:
            clear_layout(sub)
        shiboken6.delete(entry)            # the item (or the emptied sub-layout) itself


class Screen(QWidget):
    step: Step = Step.ATTRACT
    #: topics (besides PREFS) that make this screen redraw while shown
    topics: frozenset[Topic] = frozenset()

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        self._set_up(flow.prefs, flow.subscribe, parent)
        self.flow = flow

    def _set_up(self, prefs: Prefs,
                subscribe: Callable[[Callable[[Topic], None]], Callable[[], None]],
                parent: QWidget | None) -> None:
        """What every screen is before it knows a session: a look (``prefs``) and what it
        listens to while shown (the attract screen is built before the flow exists)."""
        QWidget.__init__(self, parent)
        self.prefs, self._subscribe = prefs, subscribe
        self.theme: Theme = NORMAL
        self._unsubscribe: Callable[[], None] | None = None
        self.setObjectName(f"screen_{self.step}")
        self.root = QVBoxLayout(self)
        self.root.setContentsMargins(40, 24, 40, 24)
        self.root.setSpacing(16)

    # -- life cycle -------------------------------------------------------------------------
    def enter(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self._subscribe(self._on_topic)
        self.redraw()

    def leave(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.leave()
        super().closeEvent(event)

    def _on_topic(self, topic: Topic) -> None:
        if topic is Topic.PREFS or topic in self.topics:
            self.redraw()

    def redraw(self) -> None:
        """:meth:`refresh`, then every control named and described again for assistive
        technology in the language it was just drawn in."""
        self.refresh()
        label_controls(self, self.prefs.language, str(self.step))

    # -- to implement -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw every text from the flow's state in the flow's language."""

    def clear(self) -> None:
        """Empty every widget that may show personal data."""

    # -- helpers ----------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return tr(key, self.prefs.language, **values)

    def label(self, role: str = "", *, wrap: bool = True,
              align: Qt.AlignmentFlag | None = None) -> QLabel:
        return text_label(self, role, wrap=wrap, align=align)

    def button(self, on_click: Callable[[], None], *, primary: bool = False,
               name: str = "") -> QPushButton:
        return touch_button(self, on_click, primary=primary, name=name)

    def row(self, *widgets: QWidget, stretch_first: bool = False) -> QHBoxLayout:
        layout = QHBoxLayout()
        layout.setSpacing(self.theme.gap_px)
        if stretch_first:
            layout.addStretch(1)
        for widget in widgets:
            layout.addWidget(widget)
        return layout
