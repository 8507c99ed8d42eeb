"""Video help in a window: the top bar's "video help" button, the call panel docked beside
the screens, and what ties a call to the citizen's session.

The button shows from the moment a card is read until the session ends (the refusal
screens included: a citizen refused is the one most in need of a person), when the
platform offers video help: pressable while a clerk is on duty, else showing the hours.
Whether a clerk is on duty is asked when a session begins and once a minute during it.
A session that ends (card out, idle, wipe) ends the call; the idle timer is paused while a
call is on (:class:`~kiosk.flows.assist.AssistDesk`). When the terminal speaks (elder
mode, the keypad), the call's changes and the clerk's messages are read out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from kiosk.flows.assist import AssistDesk, CallStage, DeskTopic, Dialler
from kiosk.flows.messages import tr
from kiosk.flows.states import SESSION_STEPS, Topic
from kiosk.ui.accessible import keyboard_reachable, label_controls

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton, QWidget

    from civic.text import Text
    from kiosk.flows import CitizenFlow
    from kiosk.ui.bridges.assist import CallMedia
    from kiosk.ui.call_panel import CallPanel
    from kiosk.ui.speech import Speaker

#: how often a session asks again whether a clerk is on duty
REFRESH_MS = 60_000


class CallDock:
    """``CallDock(flow, dialler, media, speaker, add_button=..., dock=..., take_picture=...)``:
    ``add_button`` puts the button in the bar, ``dock`` puts the panel beside the screens,
    ``take_picture(done)`` opens the document camera."""

    def __init__(self, flow: CitizenFlow, dialler: Dialler, media: CallMedia,
                 speaker: Speaker, *, add_button: Callable[[QAbstractButton], None],
                 dock: Callable[[QWidget], None],
                 take_picture: Callable[[Callable[[bytes], None]], None]) -> None:
        self.flow, self._media, self._speaker = flow, media, speaker
        self._dock, self._take_picture = dock, take_picture
        self.desk = AssistDesk(
            dialler, language=lambda: flow.language, pause_idle=flow.pause_idle,
            open_item=lambda code: bool(flow.open_suggested(code)), item_name=self._item_name,
            form_in_progress=flow.form_in_progress,
            item_code=lambda: flow.item.code if flow.item is not None else None,
            session_id=lambda: flow.card_session_id)
        self.button = QPushButton()
        self.button.setProperty("role", "assist")
        keyboard_reachable(self.button)
        self.button.clicked.connect(lambda _c=False: self.desk.call())
        add_button(self.button)
        self.panel: CallPanel | None = None       # built at the first call
        self._in_session = False
        self._timer = QTimer()
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.desk.refresh)
        self._unsubscribe = (flow.subscribe(self._on_flow), self.desk.subscribe(self._on_desk))
        self.redraw_button()

    def _item_name(self, code: str) -> Text | None:
        catalog = self.flow.catalog
        return catalog.get(code).name if code in catalog else None

    # -- the session ---------------------------------------------------------------------------
    def _on_flow(self, topic: Topic) -> None:
        if topic is Topic.WIPED:
            self.desk.session_ended()
        if topic in (Topic.STEP, Topic.WIPED):
            in_session = self.flow.step in SESSION_STEPS
            if in_session and not self._in_session:
                self.desk.refresh()                # a new citizen: is anyone on duty?
                self._timer.start()
            elif not in_session and self._in_session:
                self._timer.stop()
                self.desk.session_ended()          # (a session may end without a wipe)
            self._in_session = in_session
        if topic in (Topic.STEP, Topic.PREFS, Topic.WIPED):
            self.redraw_button()
            if self.panel is not None:
                self.panel.redraw()

    # -- the call ------------------------------------------------------------------------------
    def _on_desk(self, topic: DeskTopic) -> None:
        desk = self.desk
        if topic is DeskTopic.STAGE and desk.stage is CallStage.CONFIRM and self.panel is None:
            self._build_panel()
        self.redraw_button()
        self._speak(topic)

    def _build_panel(self) -> None:
        from kiosk.ui.call_panel import CallPanel

        self.panel = CallPanel(self.desk, lambda: self.flow.language, self._take_picture)
        self._media.remote.connect(self.panel.show_remote)
        self._media.own.connect(self.panel.show_own)
        self._dock(self.panel)
        self.panel.redraw()             # shown only once it has its place (a parentless
                                        # widget shown would be a window of its own)

    def redraw_button(self) -> None:
        desk, lang = self.desk, self.flow.language
        shown = self.flow.step in SESSION_STEPS and desk.offered \
            and desk.stage in (CallStage.IDLE, CallStage.ENDED)
        self.button.setVisible(shown)
        self.button.setEnabled(desk.available)
        if desk.available:
            waiting = desk.config.waiting if desk.config is not None else 0
            self.button.setText(tr("assist.call_waiting", lang, count=waiting) if waiting
                                else tr("assist.call", lang))
        else:
            hours = desk.hours
            self.button.setText(tr("assist.off_duty", lang,
                                   hours=hours.get(lang) if hours is not None else ""))
        parent = self.button.parentWidget()
        if parent is not None:
            label_controls(parent, lang)

    def _speak(self, topic: DeskTopic) -> None:
        if not self.flow.prefs.speaks or self.panel is None:
            return
        lang, desk = self.flow.language, self.desk
        said = ""
        if topic in (DeskTopic.STAGE, DeskTopic.QUEUE):
            said = self.panel.status_words(lang)
        elif topic is DeskTopic.CHAT and desk.chat and desk.chat[-1].from_clerk:
            said = tr("assist.from_clerk", lang, text=desk.chat[-1].text)
        elif topic is DeskTopic.ASK:
            asked = self.panel.ask_words(lang)
            said = asked[0] if asked is not None else ""
        if said:
            self._speaker.stop()
            self._speaker.say(said, lang)

    def close(self) -> None:
        self._timer.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self.desk.session_ended()
        if self.panel is not None:
            self.panel.close()
