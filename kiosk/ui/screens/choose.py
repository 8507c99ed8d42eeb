"""Choosing the matter: common items, by department, by life event, "one thing", search.

Elder mode shows one column and four choices at a time; normal mode a 3×3 grid. Search
takes Chinese, full pinyin or initials (``catalog.search``) from the on-screen keyboard.
Where the terminal offers it, the screen opens on "For you" (``for_you_panel``): the
consent first, then what this resident can apply for now.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QPushButton, QScrollArea, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.flows.states import Topic
from kiosk.ui.accessible import describe
from kiosk.ui.accessible_texts import description
from kiosk.ui.screens.base import Screen, clear_layout
from kiosk.ui.screens.for_you_panel import ForYouPanel
from kiosk.ui.widgets import ChoiceButton

if TYPE_CHECKING:
    from civic.catalog.model import Bundle, Department, LifeEvent

MODES = ("for_you", "popular", "departments", "life_events", "bundles")
SENSITIVE = Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText


class ChooseScreen(Screen):
    step = Step.CHOOSE
    topics = frozenset({Topic.AHEAD})          # "For you" arrived (or will not)

    def __init__(self, flow: CitizenFlow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        self.mode = self.first_mode()
        self.group: str | None = None          # the department / life event / bundle open
        self.page = 0
        self.hits: list[str] | None = None     # item codes found by the last search
        self.greeting = self.label("title")
        self.mode_buttons: dict[str, QPushButton] = {}
        for mode in MODES:
            if mode == "for_you" and not flow.offers_for_you:
                continue
            button = self.button(partial(self.set_mode, mode), name=f"mode_{mode}")
            button.setCheckable(True)
            self.mode_buttons[mode] = button
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        # What someone searched for is not learned for the next citizen.
        self.search.setInputMethodHints(SENSITIVE)
        self.search.returnPressed.connect(self.run_search)
        self.search_button = self.button(self.run_search, primary=True, name="search")
        # The choices scroll rather than set the screen's minimum height: four elder-sized
        # buttons whose captions wrap at the window's minimum width would otherwise make
        # the window taller than a 1080-line panel (and leave no room for the keyboard).
        self.choices = QWidget(self)
        self.choices.setObjectName("choices")
        self.grid = QGridLayout(self.choices)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(12)
        self.scroll_area = QScrollArea(self)    # (QWidget.scroll is a method)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.choices)
        self.empty = self.label("notice")
        self.for_you = ForYouPanel(flow, self)
        self.for_you.hide()        # until refresh decides: shown unsized, it grows the window
        self.prev = self.button(lambda: self.turn(-1), name="prev")
        self.next = self.button(lambda: self.turn(1), name="next")
        self.up = self.button(self.close_group, name="up")
        self.root.addWidget(self.greeting)
        self.root.addLayout(self.row(*self.mode_buttons.values()))
        # back and the page turners share the search row: one row less of chrome leaves
        # the choices their full elder size on a 1080-line panel
        search_row = self.row(self.up, self.search, self.search_button, self.prev, self.next)
        search_row.setStretch(1, 1)
        self.root.addLayout(search_row)
        self.root.addWidget(self.empty)
        self.root.addWidget(self.scroll_area, 1)
        self.root.addWidget(self.for_you, 1)

    def first_mode(self) -> str:
        """What a new session opens on: "For you" where it is offered."""
        return "for_you" if self.flow.offers_for_you else "popular"

    @property
    def showing_for_you(self) -> bool:
        return self.mode == "for_you" and self.hits is None

    # -- actions -----------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        self.flow.activity()
        self.mode, self.group, self.page, self.hits = mode, None, 0, None
        self.redraw()

    def open_group(self, key: str) -> None:
        self.flow.activity()
        self.group, self.page = key, 0
        self.redraw()

    def close_group(self) -> None:
        self.group, self.page, self.hits = None, 0, None
        self.redraw()

    def turn(self, delta: int) -> None:
        self.flow.activity()
        self.page = max(0, self.page + delta)
        self.redraw()

    def run_search(self) -> None:
        self.flow.activity()
        query = self.search.text().strip()
        assert self.flow.catalog is not None    # a session is here: its card was read
        self.hits = [hit.item.code for hit in self.flow.catalog.search(query, limit=40)] \
            if query else None
        self.page = 0
        self.redraw()

    # -- drawing -----------------------------------------------------------------------------
    def entries(self) -> list[tuple[str, str, bool]]:
        """(key, caption, is_item) of what the grid shows now."""
        lang, catalog = self.flow.language, self.flow.catalog
        assert catalog is not None              # a session is here: its card was read
        if self.hits is not None:
            return [(c, catalog.get(c).name.get(lang), True) for c in self.hits]
        if self.mode == "for_you":             # the panel shows it, not the grid
            return []
        if self.mode == "popular":
            items = catalog.popular(24)
        elif self.group is None:
            by_mode: dict[str, Mapping[str, Department | LifeEvent | Bundle]] = {
                "departments": catalog.departments, "life_events": catalog.life_events,
                "bundles": catalog.bundles}
            groups = by_mode[self.mode]
            return [(key, g.name.get(lang), False) for key, g in groups.items()]
        elif self.mode == "departments":
            items = catalog.by_department(self.group)
        elif self.mode == "life_events":
            items = catalog.by_life_event(self.group)
        else:
            items = catalog.bundle_items(self.group)
        return [(i.code, i.name.get(lang), True) for i in items]

    def refresh(self) -> None:
        identity = self.flow.identity
        name = identity.name.masked() if identity else ""
        self.greeting.setText(self.t("choose.title", name=name))
        for mode, button in self.mode_buttons.items():
            button.setText(self.t(f"choose.{mode}"))
            button.setChecked(mode == self.mode and self.hits is None)
        self.search.setPlaceholderText(self.t("choose.search"))
        describe(self.search, self.t("choose.search"),
                 description("search_field", self.flow.language))
        self.search_button.setText(self.t("choose.search_button"))
        self.prev.setText("◀")
        self.next.setText("▶")
        self.up.setText(self.t("nav.back"))
        entries = self.entries()
        per_page = self.theme.per_page
        pages = max(1, -(-len(entries) // per_page))
        self.page = min(self.page, pages - 1)
        shown = entries[self.page * per_page:(self.page + 1) * per_page]
        clear_layout(self.grid)
        columns = self.theme.columns
        for i, (key, caption, is_item) in enumerate(shown):
            action = (lambda k=key: self.flow.choose(k)) if is_item else \
                (lambda k=key: self.open_group(k))
            button = ChoiceButton(caption, action, key=key, min_height=self.theme.target_px,
                                  parent=self.choices)
            button.setProperty("role", "item" if is_item else "group")
            self.grid.addWidget(button, i // columns, i % columns)
            button.show()
        self.scroll_area.verticalScrollBar().setValue(0)
        for_you = self.showing_for_you
        self.for_you.setVisible(for_you)
        self.scroll_area.setVisible(not for_you)
        if for_you:
            self.for_you.refresh(self.theme)
        self.empty.setText(self.t("choose.no_hits"))
        self.empty.setVisible(self.hits is not None and not entries)
        self.prev.setEnabled(self.page > 0 and not for_you)
        self.next.setEnabled(self.page < pages - 1 and not for_you)
        self.up.setVisible(self.group is not None or self.hits is not None)

    def item_buttons(self) -> list[ChoiceButton]:
        return self.findChildren(ChoiceButton)

    def clear(self) -> None:
        self.greeting.clear()
        self.search.clear()
        self.mode, self.group, self.page, self.hits = self.first_mode(), None, 0, None
        clear_layout(self.grid)
        self.for_you.clear()
