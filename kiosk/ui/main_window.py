"""The top-level window: top bar, a stack of screens, status bar, overlays. Nothing else.

It is built with the terminal's preferences and the attract screen only, so that citizen
mode paints it before the outbox, the catalog and the devices are open; :meth:`bind` hands
it the session's flow once they are. From then on the window follows the flow: on every
step change it shows that step's screen (:class:`~kiosk.ui.step_screens.StepScreens`),
and once a second it ticks the flow (idle, the wait for a case number, goodbye) and shows
the idle warning while it counts down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.flows import IdlePhase, Step
from kiosk.flows.messages import tr
from kiosk.flows.prefs import Prefs
from kiosk.flows.states import Topic
from kiosk.ui import chrome
from kiosk.ui.accessible import focus_first, keyboard_reachable, label_controls, move_focus
from kiosk.ui.qt_names import set_by_name
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.base import Screen
from kiosk.ui.statusbar import StatusBar
from kiosk.ui.theme import stylesheet, theme_for
from kiosk.ui.widgets import CurrentPageStack

if TYPE_CHECKING:
    from kiosk.flows import CitizenFlow
    from kiosk.ui.camera import CameraOverlay
    from kiosk.ui.keyboard import VirtualKeyboard
    from kiosk.ui.keypad import KeypadNavigation
    from kiosk.ui.overlays import IdleWarning, Overlay
    from kiosk.ui.screens.face_check import PipelineFactory
    from kiosk.ui.step_screens import StepScreens

#: taps on the hidden corner, within this many seconds, that open technician mode's gate
GESTURE_TAPS, GESTURE_WINDOW_S = 5, 3.0

#: builds technician mode's widget for this window, or None when it cannot be built yet;
#: its argument returns to the citizen screens (kiosk.app.citizen builds it)
TechnicianFactory = Callable[[Callable[[], None]], "QWidget | None"]


class MainWindow(QMainWindow):
    def __init__(self, prefs: Prefs, *, technician: TechnicianFactory | None = None,
                 tick_ms: int = 1000, has_camera: Callable[[], bool] | None = None,
                 document_camera: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        #: the session's flow, from :meth:`bind` on
        self.flow: CitizenFlow | None = None
        self.host: StepScreens | None = None
        self.setWindowTitle(tr("app.title", "zh"))
        # enums by name until the first frame is up (kiosk.ui.qt_names)
        set_by_name(self, "contextMenuPolicy", "NoContextMenu")
        central = QWidget(self)
        self.setCentralWidget(central)
        self._central = central                 # (centralWidget() may be None to mypy)
        layout = chrome.column(central)
        layout.addWidget(self._top_bar(central))
        self.stack = CurrentPageStack(central)
        self.attract = AttractScreen(prefs, self.stack)
        self.stack.addWidget(self.attract)
        # the screens, and beside them what is docked (a video call with a clerk: the
        # citizen goes on with the screen while the clerk guides)
        self.content = QHBoxLayout()
        self.content.setSpacing(0)
        self.content.addWidget(self.stack, 1)
        layout.addLayout(self.content, 1)
        self.status = StatusBar(central)
        layout.addWidget(self.status)
        #: a slot at the bottom for the on-screen keyboard (kiosk.ui.keyboard)
        self.keyboard_slot = QVBoxLayout()
        layout.addLayout(self.keyboard_slot)
        self._technician_factory, self._has_camera = technician, has_camera
        self._document_camera = document_camera          # devices.document_camera
        self._tick_ms = tick_ms
        # Overlays and technician mode are built on first use: none of them can be
        # needed before the first screen is up (start-up time, bench/startup.py).
        self._overlays: dict[str, Overlay] = {}
        self._technician: QWidget | None = None
        self._keyboard: VirtualKeyboard | None = None
        self._taps: list[float] = []
        self._unsubscribe = prefs.subscribe(self._on_topic)
        self.timer: QTimer | None = None
        #: the keypad's way through the window, from :meth:`bind` on
        self.keypad: KeypadNavigation | None = None
        self.apply_prefs()
        self.attract.enter()
        self.resize(1280, 800)

    def bind(self, flow: CitizenFlow, *, face_pipeline: PipelineFactory | None = None
             ) -> None:
        """From now on, show ``flow``: its steps' screens, its idle warning, its ticks (the
        flow announces the preferences' changes too, so the window listens to it alone)."""
        from kiosk.ui.keypad import KeypadNavigation
        from kiosk.ui.step_screens import StepScreens

        assert self.flow is None and flow.prefs is self.prefs
        self._unsubscribe()
        self.flow = flow
        self.host = StepScreens(flow, self.stack, built=(self.attract,),
                                take_photo=lambda done: self.camera.open_camera(done),
                                face_pipeline=face_pipeline)
        self._unsubscribe = flow.subscribe(self._on_topic)
        self.keypad = KeypadNavigation(self, self.focus_scope, self._key_pressed)
        self.timer = QTimer(self)
        self.timer.setInterval(self._tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.show_step()

    @property
    def screens(self) -> dict[Step, Screen]:
        """Every screen built so far, by step."""
        return self.host.screens if self.host is not None else {Step.ATTRACT: self.attract}

    def _top_bar(self, parent: QWidget) -> QWidget:
        bar, row, self.title = chrome.top_bar(parent)
        # the hidden technician gesture: 5 taps (not "corner": QMainWindow.corner is a method);
        # a tap area, not a button, so that assistive technology lists no unnamed control
        self.corner_button = chrome.TapArea(self.corner_tapped, bar)
        self.corner_button.setFixedSize(64, 64)
        self.language_button = QPushButton(bar)
        self.language_button.setProperty("role", "language")
        self.language_button.clicked.connect(lambda _c=False: self._set_language(
            "en" if self.prefs.language == "zh" else "zh"))
        self.elder_button = QPushButton(bar)
        self.elder_button.setProperty("role", "elder")
        self.elder_button.clicked.connect(lambda _c=False: self._set_elder(
            not self.prefs.elder))
        keyboard_reachable(self.language_button, self.elder_button)
        self._bar, self._bar_row = bar, row
        row.addWidget(self.corner_button)
        row.addWidget(self.title, 1)
        chrome.add_all(row, self.elder_button, self.language_button)
        return bar

    def add_to_bar(self, button: QAbstractButton) -> None:
        """A button of the top bar's, before the elder and language buttons."""
        button.setParent(self._bar)
        self._bar_row.insertWidget(self._bar_row.indexOf(self.elder_button), button)

    def dock(self, widget: QWidget) -> None:
        """``widget`` beside the screens, to their right."""
        self.content.addWidget(widget)

    def _set_language(self, language: str) -> None:
        # through the flow once there is one: a tap there is the citizen's activity, too
        (self.flow or self.prefs).set_language(language)

    def _set_elder(self, on: bool) -> None:
        (self.flow or self.prefs).set_elder(on)

    # -- built on first use ----------------------------------------------------------------
    @property
    def idle_warning(self) -> IdleWarning:
        if "idle" not in self._overlays:
            from kiosk.ui.overlays import IdleWarning

            assert self.flow is not None        # the warning counts a session down
            self._overlays["idle"] = IdleWarning(self._central, self.flow.extend)
        return self._overlays["idle"]  # type: ignore[return-value]

    @property
    def camera(self) -> CameraOverlay:
        if "camera" not in self._overlays:
            from kiosk.ui.camera import CameraOverlay

            self._overlays["camera"] = CameraOverlay(
                self._central, lambda: self.prefs.language, self._has_camera,
                self._document_camera)
        return self._overlays["camera"]  # type: ignore[return-value]

    @property
    def technician(self) -> QWidget | None:
        """Technician mode's widget (its gate first), built on first use; None when this
        window was built without technician mode."""
        if self._technician is None and self._technician_factory is not None:
            self._technician = self._technician_factory(self._leave_technician)
            if self._technician is not None:
                self.stack.addWidget(self._technician)
        return self._technician

    def close_overlays(self) -> None:
        """Hide every overlay that exists, discarding what it held (PIN digits, a photo)."""
        for name, overlay in self._overlays.items():
            if name == "camera":
                overlay.close_camera()  # type: ignore[attr-defined]
            else:
                overlay.hide()

    def _hide_idle_warning(self) -> None:
        if "idle" in self._overlays:
            self._overlays["idle"].hide()

    # -- following the flow -----------------------------------------------------------------
    def _on_topic(self, topic: Topic) -> None:
        if topic is Topic.STEP:
            self.show_step()
        elif topic in (Topic.PREFS, Topic.WIPED):
            if topic is Topic.WIPED and self.keypad is not None:
                self.keypad.reset()              # the next citizen may use the touch screen
            self.apply_prefs()
        elif topic is Topic.IDLE and self.flow is not None \
                and self.flow.idle_status().phase is IdlePhase.ACTIVE:
            self._hide_idle_warning()

    def show_step(self) -> None:
        if self.host is not None and self.flow is not None:
            self.host.show(self.flow.step)
        self._hide_idle_warning()
        if self.keypad is not None and self.keypad.used:
            # once the screen is laid out: its reading order needs the widgets' places
            QTimer.singleShot(0, self, self._focus_screen)
        else:
            # Qt moves focus from a page it hides onto the next page's first control; a
            # touch user would see the focus ring on a button they never chose
            focus = QApplication.focusWidget()
            if isinstance(focus, QAbstractButton) and focus.window() is self:
                focus.clearFocus()

    # -- the keypad ----------------------------------------------------------------------------
    def focus_scope(self) -> QWidget:
        """Where Tab and the arrows move now: an overlay over the screen, or the window's
        controls in sight (top bar, screen, status bar)."""
        shown = [o for o in self._overlays.values() if o.isVisible()]
        return shown[-1] if shown else self._central

    def focusNextPrevChild(self, next: bool) -> bool:
        return move_focus(self.focus_scope(), next)

    def _focus_screen(self) -> None:
        """A keypad user's focus goes to the first control of the new screen (or of the
        overlay over it), so that what is spoken next is on this screen."""
        scope = self.focus_scope()
        page = self.stack.currentWidget() if scope is self._central else scope
        if page is not None and page.isVisible():
            focus_first(page)

    def _key_pressed(self) -> None:
        # a key on the attract screen: this citizen uses the keypad, and is spoken to (not
        # a technician typing into the gate shown over the attract step)
        if self.flow is not None and self.flow.step is Step.ATTRACT \
                and self.stack.currentWidget() is self.attract:
            self.prefs.set_keypad_user()

    def apply_prefs(self) -> None:
        elder, lang = self.prefs.elder, self.prefs.language
        sheet = stylesheet(theme_for(elder))
        if sheet != self.styleSheet():       # re-styling every widget costs ~40 ms
            self.setStyleSheet(sheet)
        self.title.setText(tr("app.title", lang))
        self.language_button.setText(tr("lang.switch", lang))
        self.elder_button.setText(tr("elder.off" if elder else "elder.on", lang))
        label_controls(self._bar, lang)
        self.status.set_language(lang)
        if self._keyboard is not None:
            self._keyboard.set_elder(elder)
        if self.host is not None:
            self.host.apply_theme()
        else:
            self.attract.theme = theme_for(elder)
            self.attract.redraw()

    def attach_keyboard(self, keyboard: VirtualKeyboard) -> None:
        """The on-screen keyboard's panel (once built) goes in the slot at the bottom, and its
        keys follow elder mode from now on."""
        self._keyboard = keyboard
        if keyboard.panel is not None and self.keyboard_slot.indexOf(keyboard.panel) < 0:
            self.keyboard_slot.addWidget(keyboard.panel)
        keyboard.set_elder(self.prefs.elder)

    def tick(self) -> None:
        if self.flow is None:
            return
        self.flow.tick()
        status = self.flow.idle_status()
        if status.phase is IdlePhase.WARNING:
            self.idle_warning.show_countdown(status.seconds_left, self.flow.language)
        else:
            self._hide_idle_warning()

    # -- technician mode ----------------------------------------------------------------------
    def corner_tapped(self) -> None:
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < GESTURE_WINDOW_S] + [now]
        at_attract = self.flow is None or self.flow.step is Step.ATTRACT
        if len(self._taps) >= GESTURE_TAPS and at_attract:
            self._taps = []
            self.open_technician()

    def open_technician(self) -> None:
        """Technician mode's gate (number and PIN, audited, locked after repeated failures)
        over the attract screen. A card placed meanwhile starts a citizen's session, which
        takes the screen back: the kiosk keeps serving until a technician is in."""
        page = self.technician
        if page is None:
            return
        self.close_overlays()
        if self.host is not None:
            self.host.leave_current()
        self.attract.leave()
        self.stack.setCurrentWidget(page)

    def _leave_technician(self) -> None:
        if self.host is None:
            self.stack.setCurrentWidget(self.attract)
            self.attract.enter()
        self.show_step()

    # -- Qt -----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The keypad types into the active window: ask for it, since a kiosk session
        # without a window manager (X started for the kiosk alone) gives focus to no one
        # and a keypad would do nothing until someone touched the screen.
        self.activateWindow()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in self._overlays.values():
            if overlay.isVisible():
                overlay.setGeometry(self._central.rect())

    def shutdown(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        if self.keypad is not None:
            self.keypad.close()
        self._unsubscribe()
        if self.host is not None:
            self.host.leave_all()
        self.attract.leave()
