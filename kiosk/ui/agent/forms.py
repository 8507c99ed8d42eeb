"""The citizen flow's own screens inside agent mode: item, consent, form, review, signature,
receipt — the very classes the kiosk shows (``kiosk.ui.screens``), built on first use.

The page follows ``flow.step`` through the kiosk's own host (``kiosk.ui.step_screens``),
with one bar above the screens: what the agent is doing (an application, or the
correction of a returned one) and a way back to the resident without submitting.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.flows.states import Topic
from kiosk.ui.agent.page import PageWidget
from kiosk.ui.screens.base import Screen
from kiosk.ui.step_screens import StepScreens
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


class FormsHost(PageWidget):
    texts = TEXTS
    name = "forms"

    def __init__(self, flow: CitizenFlow, on_cancel: Callable[[], None],
                 correcting: Callable[[], bool],
                 camera: Callable[[], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(lambda: flow.language, parent)
        self.flow = flow
        self._correcting = correcting
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
        take_photo = None if camera is None else \
            (lambda done: camera().open_camera(done))  # type: ignore[attr-defined]
        self.host = StepScreens(flow, self.stack, take_photo=take_photo)
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def screens(self) -> dict[Step, Screen]:
        return self.host.screens

    # -- life cycle (shown while the visit's page is FORMS) ------------------------------
    def enter(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.flow.subscribe(self._on_topic)
        self.show_step()

    def leave(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.host.leave_current()

    def _on_topic(self, topic: Topic) -> None:
        if topic is Topic.STEP:
            self.show_step()
        elif topic in (Topic.PREFS, Topic.WIPED):
            self.apply_theme()

    def show_step(self) -> None:
        step = self.flow.step
        if step in _NOT_HOSTED:
            return                              # the visit takes the agent elsewhere
        self.host.show(step)
        self.refresh()

    def current(self) -> Screen | None:
        return self.host.current

    def apply_theme(self) -> None:
        self.host.apply_theme()
        self.refresh()

    def refresh(self) -> None:
        self.banner.setText(self.t("correcting" if self._correcting() else "applying"))
        self.cancel.setText(self.t("cancel"))
        # Once queued, the application is the resident's: leaving is the receipt's "done".
        self.cancel.setVisible(self.flow.step not in (Step.SUBMIT, Step.RECEIPT))

    def clear(self) -> None:
        self.host.clear()

    def close_screens(self) -> None:
        self.leave()
        self.host.leave_all()
