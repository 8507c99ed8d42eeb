"""The one host of the citizen flow's screens: each step's screen in a stack, built on first
use, the current one entered and the previous one left.

The kiosk's main window and the agent's forms page both show the flow through it; they
differ only in which steps they host (the agent's visit handles cards and endings itself)
and in what a form's "take a photo" opens. The screens' classes are named here, in one
table a reader (and an editor's "find usages") can follow; this module is imported once
the first screen is up, since the screens import the catalog's and the form's modules.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QStackedWidget

from kiosk.flows import CitizenFlow, Step
from kiosk.ui.screens.agent_only import AgentOnlyScreen
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.choose import ChooseScreen
from kiosk.ui.screens.consent import ConsentScreen
from kiosk.ui.screens.error import ErrorScreen
from kiosk.ui.screens.face_check import FaceCheckScreen, PipelineFactory
from kiosk.ui.screens.form import FormScreen, PhotoTaker
from kiosk.ui.screens.goodbye import GoodbyeScreen
from kiosk.ui.screens.halls import HallsScreen
from kiosk.ui.screens.identify import IdentifyScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.proof import ProofScreen
from kiosk.ui.screens.receipt import ReceiptScreen
from kiosk.ui.screens.refused import RefusedScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.sign import SignScreen
from kiosk.ui.screens.submit import SubmitScreen
from kiosk.ui.theme import theme_for

#: the screen of each step but the attract screen (built before any session can exist)
SCREENS: dict[Step, type[Screen]] = {
    Step.IDENTIFY: IdentifyScreen, Step.REFUSED: RefusedScreen, Step.CHOOSE: ChooseScreen,
    Step.ITEM: ItemScreen, Step.AGENT_ONLY: AgentOnlyScreen, Step.HALLS: HallsScreen,
    Step.CONSENT: ConsentScreen,
    Step.FACE_CHECK: FaceCheckScreen,
    Step.FORM: FormScreen, Step.REVIEW: ReviewScreen, Step.SIGN: SignScreen,
    Step.SUBMIT: SubmitScreen, Step.RECEIPT: ReceiptScreen, Step.PROOF: ProofScreen,
    Step.GOODBYE: GoodbyeScreen, Step.ERROR: ErrorScreen}


class StepScreens:
    """``StepScreens(flow, stack)``: :meth:`show` the flow's step; the owner decides when
    (it follows the flow's ``Topic.STEP``)."""

    def __init__(self, flow: CitizenFlow, stack: QStackedWidget, *,
                 built: Iterable[Screen] = (), take_photo: PhotoTaker | None = None,
                 face_pipeline: PipelineFactory | None = None) -> None:
        self.flow, self.stack, self._take_photo = flow, stack, take_photo
        self._face_pipeline = face_pipeline
        #: every screen built so far, by step (``built``: screens the owner made already)
        self.screens: dict[Step, Screen] = {screen.step: screen for screen in built}
        self.current: Screen | None = None

    def screen_for(self, step: Step) -> Screen:
        """The screen of ``step``, built on first use."""
        if step not in self.screens:
            screen = SCREENS[step](self.flow, self.stack)
            screen.theme = theme_for(self.flow.elder)
            if isinstance(screen, FormScreen):
                screen.take_photo = self._take_photo
            if isinstance(screen, FaceCheckScreen):
                screen.make_pipeline = self._face_pipeline
            self.screens[step] = screen
            self.stack.addWidget(screen)
        return self.screens[step]

    def show(self, step: Step) -> Screen:
        """Make ``step``'s screen the current one and enter it (again, if it already was)."""
        screen = self.screen_for(step)
        if self.current is not screen:
            self.leave_current()
            self.current = screen
            self.stack.setCurrentWidget(screen)
        screen.enter()
        return screen

    def leave_current(self) -> None:
        if self.current is not None:
            self.current.leave()
            self.current = None

    def apply_theme(self) -> None:
        """The flow's elder mode on every screen built, and the current one redrawn."""
        theme = theme_for(self.flow.elder)
        for screen in self.screens.values():
            screen.theme = theme
        if self.current is not None:
            self.current.redraw()

    def clear(self) -> None:
        """The wipe: every screen drops what it shows of the citizen."""
        for screen in self.screens.values():
            screen.clear()

    def leave_all(self) -> None:
        self.current = None
        for screen in self.screens.values():
            screen.leave()

