"""Agent mode's window: top bar, the sync panel, and one page per ``AgentVisit.page``.

Nothing here decides: the visit (``kiosk.agent.visit``) holds the state, the pages draw it.
The window moves device and outbox events onto the visit and the pages (they arrive as
queued signals from the bridges), counts every touch or key as the agent's activity, and
once a second ticks the citizen flow (the wait for a case number) and checks the agent's
inactivity sign-out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from kiosk.agent.signin import SignOutReason
from kiosk.agent.visit import AgentVisit, Page, VisitTopic
from kiosk.flows import Step
from kiosk.flows.messages import card_failure
from kiosk.flows.states import Topic
from kiosk.ui import chrome
from kiosk.ui.accessible import keyboard_reachable, label_controls, move_focus
from kiosk.ui.agent.correct import CorrectPage
from kiosk.ui.agent.forms import FormsHost
from kiosk.ui.agent.page import PageWidget, translate
from kiosk.ui.agent.queue import QueuePage
from kiosk.ui.agent.resident import ResidentPage
from kiosk.ui.agent.signin import SignInPage
from kiosk.ui.agent.syncpanel import SyncPanel
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.agent.texts import TEXTS
from kiosk.ui.agent.worklist import WorklistPage
from kiosk.ui.lockdown import SessionEventFilter
from kiosk.ui.theme import stylesheet, theme_for
from kiosk.ui.wipe import wipe_application_state
from offline_queue.events import OutboxEvent, PlatformReachable, Progress, SenderRefused

if TYPE_CHECKING:
    from kiosk.ui.camera import CameraOverlay


class AgentWindow(QMainWindow):
    def __init__(self, visit: AgentVisit, tasks: Tasks, *, tick_ms: int = 1000,
                 has_camera: Callable[[], bool] | None = None, document_camera: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visit, self.tasks = visit, tasks
        self.flow, self.auth = visit.flow, visit.auth
        self.setObjectName("agent_window")
        self._has_camera = has_camera
        self._document_camera = document_camera          # devices.document_camera
        self._camera: CameraOverlay | None = None
        central = QWidget(self)
        self.setCentralWidget(central)
        self._central = central                 # (centralWidget() may be None to mypy)
        layout = chrome.column(central)
        layout.addWidget(self._top_bar(central))
        language = lambda: self.flow.language  # noqa: E731
        self.sync = SyncPanel(visit.dashboard, visit.book, visit, tasks, language, central)
        self.sync.setContentsMargins(32, 12, 32, 0)
        layout.addWidget(self.sync)
        self.stack = QStackedWidget(central)
        # the pages, and beside them a video call with a clerk when there is one
        self.content = QHBoxLayout()
        self.content.setSpacing(0)
        self.content.addWidget(self.stack, 1)
        layout.addLayout(self.content, 1)
        self.pages: dict[Page, PageWidget] = {
            Page.SIGN_IN: SignInPage(self.auth, visit, tasks, language, self.stack),
            Page.WORKLIST: WorklistPage(visit, language, self.stack),
            Page.RESIDENT: ResidentPage(visit, language, self.stack),
            Page.FORMS: FormsHost(self.flow, visit.cancel_application,
                                  lambda: visit.correcting is not None,
                                  lambda: self.camera, self.stack),
            Page.QUEUE: QueuePage(visit, visit.dashboard, language, self.stack),
            Page.CORRECT: CorrectPage(visit, language, self.stack),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self._shown: PageWidget | None = None
        self._unsubscribe = visit.subscribe(self._on_visit)
        self._unsubscribe_flow = self.flow.subscribe(self._on_flow)
        self.filter = SessionEventFilter(self._activity, lockdown=False)
        app = QApplication.instance()
        assert app is not None                  # a widget exists only in an application
        app.installEventFilter(self.filter)
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.apply_prefs()
        self.show_page()
        self.resize(1280, 800)

    def _top_bar(self, parent: QWidget) -> QWidget:
        bar, row, self.title = chrome.top_bar(parent)
        self.who = QLabel(bar)
        self.who.setObjectName("who")
        self.elder_button = QPushButton(bar)
        self.language_button = QPushButton(bar)
        self.sign_out_button = QPushButton(bar)
        self.sign_out_button.setProperty("role", "sign_out")
        self.elder_button.setProperty("role", "elder")
        self.language_button.setProperty("role", "language")
        keyboard_reachable(self.elder_button, self.language_button, self.sign_out_button)
        self._bar, self._bar_row = bar, row
        self.elder_button.clicked.connect(lambda _c=False: self.flow.set_elder(
            not self.flow.elder))
        self.language_button.clicked.connect(lambda _c=False: self.flow.set_language(
            "en" if self.flow.language == "zh" else "zh"))
        self.sign_out_button.clicked.connect(lambda _c=False: self.visit.sign_out())
        row.addWidget(self.title)
        row.addWidget(self.who, 1)
        chrome.add_all(row, self.elder_button, self.language_button, self.sign_out_button)
        return bar

    def add_to_bar(self, button: QAbstractButton) -> None:
        """A button of the top bar's, before the elder, language and sign-out buttons."""
        button.setParent(self._bar)
        self._bar_row.insertWidget(self._bar_row.indexOf(self.elder_button), button)

    def dock(self, widget: QWidget) -> None:
        """``widget`` beside the pages, to their right (the call with a clerk)."""
        self.content.addWidget(widget)

    @property
    def camera(self) -> CameraOverlay:
        """The document camera of file fields (the kiosk's overlay), built on first use."""
        if self._camera is None:
            from kiosk.ui.camera import CameraOverlay

            self._camera = CameraOverlay(self._central, lambda: self.flow.language,
                                         self._has_camera, self._document_camera)
        return self._camera

    # -- following the visit -------------------------------------------------------------
    def _on_visit(self, topic: VisitTopic) -> None:
        if topic is VisitTopic.PAGE:
            self.show_page()
        else:
            self.refresh_current()

    def _on_flow(self, topic: Topic) -> None:
        if topic is Topic.AHEAD and self.visit.page is Page.RESIDENT:
            self.page_widget().refresh()      # the platform's "For you" for the resident
        if topic is Topic.WIPED:
            self.wipe_widgets()
        if topic in (Topic.PREFS, Topic.WIPED):
            self.apply_prefs()
        if topic is Topic.WIPED and self._language != self.flow.language:
            # The flow resets the language for each citizen; the agent's choice stays.
            self.flow.set_language(self._language)

    def page_widget(self, page: Page | None = None) -> PageWidget:
        return self.pages[page or self.visit.page]

    def show_page(self) -> None:
        widget = self.page_widget()
        if self._shown is not widget:
            if isinstance(self._shown, FormsHost):
                self._shown.leave()
            for other in self.pages.values():
                if other is not widget:
                    other.clear()
            self._shown = widget
            self.stack.setCurrentWidget(widget)
        if isinstance(widget, FormsHost | SignInPage):
            widget.enter()
        else:
            widget.refresh()
        if self.visit.page is Page.SIGN_IN:
            self.sync.result = None             # the last agent's "synced" is not news
        self.sync.setVisible(self.visit.page in (Page.WORKLIST, Page.QUEUE))
        if self.sync.isVisible():
            self.sync.refresh()
        self.refresh_bar()

    def refresh_current(self) -> None:
        if self.visit.page is not Page.FORMS:
            self.page_widget().refresh()
        if self.sync.isVisible():
            self.sync.refresh()

    def apply_prefs(self) -> None:
        theme = theme_for(self.flow.elder)
        sheet = stylesheet(theme)
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)
        self._language = self.flow.language
        lang = self.flow.language
        self.title.setText(translate(TEXTS, "title", lang))
        self.language_button.setText(translate(TEXTS, "lang", lang))
        self.elder_button.setText(translate(TEXTS, "elder.off" if self.flow.elder
                                            else "elder.on", lang))
        self.sign_out_button.setText(translate(TEXTS, "sign_out", lang))
        label_controls(self._bar, lang)
        self.refresh_bar()
        if self._shown is not None and not isinstance(self._shown, FormsHost):
            self._shown.refresh()
        if self.sync.isVisible():
            self.sync.refresh()

    def refresh_bar(self) -> None:
        current, lang = self.auth.current, self.flow.language
        self.sign_out_button.setVisible(current is not None)
        if current is None:
            self.who.setText("")
            return
        profile = current.profile
        state = translate(TEXTS, "online" if current.online else "offline", lang)
        self.who.setText(translate(TEXTS, "who", lang, name=profile.display_name
                                   or profile.agent_number, area=profile.area) + "  " + state)

    def wipe_widgets(self) -> None:
        """The Qt half of the flow's wipe: the form screens emptied, a photo being taken
        discarded, then what every window's wipe does (``kiosk.ui.wipe``)."""
        forms = self.pages[Page.FORMS]
        forms.clear()
        if self._camera is not None:
            self._camera.close_camera()
        wipe_application_state()

    # -- events from the bridges (GUI thread) --------------------------------------------
    def card_placed(self, card: Any) -> None:
        self.visit.card_placed(card)

    def card_failed(self, error: Any) -> None:
        self.visit.card_failed(card_failure(error))

    def outbox_event(self, event: OutboxEvent) -> None:
        self.flow.outbox_event(event)
        self.sync.on_progress(event)
        queue = self.pages[Page.QUEUE]
        assert isinstance(queue, QueuePage)
        queue.on_outbox_event(event)
        if isinstance(event, SenderRefused | Progress):
            self.refresh_bar()
        current = self.auth.current
        if isinstance(event, PlatformReachable) and current is not None \
                and not current.online:
            # The line is back: the session held offline is renewed with the PIN in memory,
            # as the sync button would, so held applications go without waiting for a tap.
            self.sync.sync()

    def _activity(self) -> None:
        self.auth.activity()
        self.flow.activity()

    def tick(self) -> None:
        if self.visit.page is Page.FORMS or self.flow.step is Step.SUBMIT:
            self.flow.tick()
        if self.auth.check_inactivity():
            self.visit.signed_out(SignOutReason.INACTIVITY)
        self.refresh_bar()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab follows the screen's reading order (kiosk.ui.accessible), over the camera when
        it is up."""
        camera = self._camera
        return move_focus(camera if camera is not None and camera.isVisible()
                          else self._central, next)

    def shutdown(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        assert app is not None                  # a widget exists only in an application
        app.removeEventFilter(self.filter)
        self._unsubscribe()
        self._unsubscribe_flow()
        forms = self.pages[Page.FORMS]
        assert isinstance(forms, FormsHost)
        forms.close_screens()
        for page in self.pages.values():
            page.clear()
