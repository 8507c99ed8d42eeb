"""The citizen flow's own screens inside agent mode: item, consent, form, review, signature,
receipt — the very classes the kiosk shows (``kiosk.ui.screens``), built on first use.

The host follows ``flow.step`` like the kiosk's main window does, with one bar above the
screens: what the agent is doing (an application, or the correction of a returned one)
and a way back to the resident without submitting.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.agent.page import Page
from kiosk.ui.main_window import SCREENS
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import theme_for
from kiosk.ui.widgets import CurrentPageStack

TEXTS = {
    "cancel": ("返回居民页（不提交）", "Back to the resident (not submitted)"),
    "applying": ("代办申请 · 由代办员协助居民填写，居民本人确认并签名",
                 "Application by the agent · the resident confirms and signs"),
    "correcting": ("更正被退回的申请 · 提交后将替换原申请",
                   "Correcting a returned application · it replaces the returned one"),
}

#: steps whose screen the agent never needs here (the visit handles cards and endings)
_NOT_HOSTED = (Step.ATTRACT, Step.IDENTIFY, Step.GOODBYE)


class FormsHost(Page):
    texts = TEXTS
    name = "forms"

    def __init__(self, flow: CitizenFlow, on_cancel: Callable[[], None],
                 correcting: Callable[[], bool],
                 camera: Callable[[], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(lambda: flow.language, parent)
        self.flow = flow
        self._correcting, self._camera = correcting, camera
        self.root.setContentsMargins(0, 0, 0, 0)
        self.banner: QLabel = self.label("notice")
        self.cancel = self.button(on_cancel, name="cancel_application")
        bar = self.row(self.banner, self.cancel)
        bar.setStretch(0, 1)
        bar.setContentsMargins(24, 8, 24, 0)
        self.root.addLayout(bar)
        # The kiosk's screens are laid out for 800 pixels and more; a laptop's 768 (less
        # the agent's bars) scrolls instead of squeezing them.
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = CurrentPageStack(self.scroller)
        self.scroller.setWidget(self.stack)
        self.root.addWidget(self.scroller, 1)
        self.screens: dict[Step, Screen] = {}
        self._current: Screen | None = None
        self._unsubscribe: Callable[[], None] | None = None

    # -- life cycle (shown while the visit's page is FORMS) ------------------------------
    def enter(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.flow.subscribe(self._on_topic)
        self.show_step()

    def leave(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._current is not None:
            self._current.leave()
            self._current = None

    def _on_topic(self, topic: str) -> None:
        if topic == "step":
            self.show_step()
        elif topic in ("prefs", "wiped"):
            self.apply_theme()

    def screen_for(self, step: Step) -> Screen:
        """The screen of ``step``, built on first use (not ``screen``: QWidget.screen)."""
        if step not in self.screens:
            module, name = SCREENS[step].split(":")
            cls = getattr(importlib.import_module(f"kiosk.ui.screens.{module}"), name)
            screen = cls(self.flow, self.stack)
            screen.theme = theme_for(self.flow.elder)
            if step is Step.FORM and self._camera is not None:
                camera = self._camera
                screen.take_photo = lambda done: camera().open_camera(done)  # type: ignore[attr-defined]
            self.screens[step] = screen
            self.stack.addWidget(screen)
        return self.screens[step]

    def show_step(self) -> None:
        step = self.flow.step
        if step in _NOT_HOSTED:
            return                              # the visit takes the agent elsewhere
        screen = self.screen_for(step)
        if self._current is not screen:
            if self._current is not None:
                self._current.leave()
            self._current = screen
            self.stack.setCurrentWidget(screen)
        screen.enter()
        self.refresh()

    def current(self) -> Screen | None:
        return self._current

    def apply_theme(self) -> None:
        theme = theme_for(self.flow.elder)
        for screen in self.screens.values():
            screen.theme = theme
        if self._current is not None:
            self._current.refresh()
        self.refresh()

    def refresh(self) -> None:
        self.banner.setText(self.t("correcting" if self._correcting() else "applying"))
        self.cancel.setText(self.t("cancel"))
        # Once queued, the application is the resident's: leaving is the receipt's "done".
        self.cancel.setVisible(self.flow.step not in (Step.SUBMIT, Step.RECEIPT))

    def clear(self) -> None:
        for screen in self.screens.values():
            screen.clear()

    def close_screens(self) -> None:
        self.leave()
        for screen in self.screens.values():
            screen.leave()
