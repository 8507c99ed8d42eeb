"""Video help from a clerk, as the citizen (or the agent) goes through it: one call at a time.

::

    IDLE ──call──▶ CONFIRM ──start──▶ STARTING ──▶ WAITING (queue position) ──▶ CONNECTED
      ▲              │ cancel                            │ the clerk answers       │
      │              ▼                                   ▼                         ▼
      └──dismiss── ENDED (why, in words) ◀── hang up, the clerk hangs up, network lost, …

The camera and the microphone start only after the citizen confirms (CONFIRM), because a
call shows their face to a stranger. While connected the clerk may ask to see a document
(the citizen decides whether to show one, and a picture leaves the terminal only when they
tap Send) or suggest an item (opened only if the citizen agrees). The session's idle timer
is paused from STARTING until the call ends; a session that ends (card out, idle, wipe)
ends the call.

Pure logic: the media and the platform are behind :class:`Dialler`, which the Qt side
implements over ``assist.engine.CallEngine``; its events reach :meth:`AssistDesk.event` on
the GUI thread. Nothing of a call is written anywhere: chat lines live in this object and
are dropped when the call ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from civic.assist import (
    AssistConfig,
    Bye,
    CallMessage,
    Chat,
    EndReason,
    OpenItem,
    Snapshot,
    SnapshotRequest,
)
from civic.text import Text
from kiosk.flows.messages import MESSAGES

if TYPE_CHECKING:
    from assist.events import CallEvent

log = logging.getLogger(__name__)


class CallStage(StrEnum):
    IDLE = "idle"              # no call: the "call a clerk" button
    CONFIRM = "confirm"        # "camera and microphone will start": start or cancel
    STARTING = "starting"      # camera on, the offer being made and placed
    WAITING = "waiting"        # in the clerks' queue
    CONNECTED = "connected"    # the clerk answered; media flowing (or about to)
    ENDED = "ended"            # why, in words, until the citizen goes back


class Ask(StrEnum):
    """What the clerk asked that waits for the citizen's decision."""

    NONE = "none"
    DOCUMENT = "document"      # show a document: the document camera, then Send
    SEND = "send"              # a picture taken, waiting for Send or Don't send
    ITEM = "item"              # open the suggested item, or not


class DeskTopic(StrEnum):
    """What changed, as the desk announces it (the panel redraws that part)."""

    AVAILABILITY = "availability"
    STAGE = "stage"
    QUEUE = "queue"
    CHAT = "chat"
    ASK = "ask"


@dataclass(frozen=True)
class ChatLine:
    from_clerk: bool
    text: str

    def __repr__(self) -> str:          # what a citizen typed may be personal
        return f"ChatLine(from_clerk={self.from_clerk}, {len(self.text)} chars)"


@dataclass(frozen=True)
class CallRequest:
    language: str
    item_code: str | None
    session_id: str | None


class CallHandle(Protocol):
    """One call placed by the :class:`Dialler`; every method returns at once."""

    def send(self, message: CallMessage) -> None: ...

    def hang_up(self) -> None: ...


class Dialler(Protocol):
    """The media and the platform (``kiosk.ui.bridges.assist``)."""

    def check(self, done: Callable[[AssistConfig | None], None]) -> None:
        """``GET /v1/assist/config`` in the background; ``done(None)`` when the platform
        cannot be asked (offline, not enrolled, no ``assist`` extension)."""

    def dial(self, request: CallRequest, on_event: Callable[[CallEvent], None]) -> CallHandle:
        """Start the camera and microphone and place the call; events come to ``on_event``
        on the GUI thread, the last one always ``Ended``."""


#: what the citizen reads when a call ended, by reason (message keys)
END_WORDS: dict[EndReason, str] = {
    EndReason.HUNG_UP: "assist.ended",
    EndReason.CLERK_HUNG_UP: "assist.ended_by_clerk",
    EndReason.REPLACED: "assist.ended",
    EndReason.TIMEOUT: "assist.ended",
    EndReason.NO_ANSWER: "assist.no_answer",
    EndReason.NO_CLERKS: "assist.no_clerks",
    EndReason.NETWORK_LOST: "assist.network_lost",
    EndReason.MEDIA_FAILED: "assist.media_failed",
    EndReason.PLATFORM_FAILED: "assist.platform_failed",
    EndReason.SESSION_ENDED: "assist.ended",
}


class AssistDesk:
    """The "call a clerk" state of one window. ``pause_idle(True/False)`` holds the
    session's idle timer; ``open_item(code)`` opens a suggested item the citizen agreed to;
    ``session_id()`` is the card session in progress, if any (sent with the call so the
    clerk's platform can tie the call to it, never shown to the clerk); ``item_name`` and
    ``form_in_progress`` word the clerk's suggestion of an item."""

    def __init__(self, dialler: Dialler, *, language: Callable[[], str],
                 pause_idle: Callable[[bool], None],
                 open_item: Callable[[str], bool],
                 item_name: Callable[[str], Text | None] = lambda _code: None,
                 form_in_progress: Callable[[], bool] = lambda: False,
                 item_code: Callable[[], str | None] = lambda: None,
                 session_id: Callable[[], str | None] = lambda: None) -> None:
        self._dialler = dialler
        self._language, self._pause_idle, self._open_item = language, pause_idle, open_item
        #: the name of an item by code (None: not in this terminal's catalog)
        self.item_name = item_name
        #: whether opening another item would drop what the citizen is filling in
        self.form_in_progress = form_in_progress
        self._item_code, self._session_id = item_code, session_id
        self._listeners: list[Callable[[DeskTopic], None]] = []
        self.config: AssistConfig | None = None
        self._call: CallHandle | None = None
        self._generation = 0            # events of an earlier call are dropped
        self._reset()

    def _reset(self) -> None:
        self.stage = CallStage.IDLE
        self.queue_position: int | None = None
        self.clerk_name = ""
        self.chat: list[ChatLine] = []
        self.ask = Ask.NONE
        self.suggested: str | None = None
        self.picture: Snapshot | None = None
        self.end_reason: EndReason | None = None

    # -- observing --------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[DeskTopic], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners \
            else None

    def _changed(self, topic: DeskTopic) -> None:
        for listener in list(self._listeners):
            listener(topic)

    def _stage(self, stage: CallStage) -> None:
        log.info("assist.stage", extra={"ctx": {"from": str(self.stage), "to": str(stage)}})
        self.stage = stage
        self._changed(DeskTopic.STAGE)

    # -- whether a clerk can be called -------------------------------------------------------
    def refresh(self) -> None:
        """Ask whether a clerk is on duty (a session began, or once a minute)."""
        self._dialler.check(self._checked)

    def _checked(self, config: AssistConfig | None) -> None:
        if config != self.config:
            self.config = config
            self._changed(DeskTopic.AVAILABILITY)

    @property
    def offered(self) -> bool:
        """The platform offers video help at all (the button is shown)."""
        return self.config is not None

    @property
    def available(self) -> bool:
        """A clerk is on duty now (the button can be pressed)."""
        return self.config is not None and self.config.available

    @property
    def hours(self) -> Text | None:
        return self.config.hours if self.config is not None else None

    @property
    def in_call(self) -> bool:
        return self.stage in (CallStage.STARTING, CallStage.WAITING, CallStage.CONNECTED)

    # -- the citizen's actions -----------------------------------------------------------------
    def call(self) -> None:
        """"Call a clerk": ask before the camera and microphone start."""
        if self.stage in (CallStage.IDLE, CallStage.ENDED) and self.available:
            self._reset()
            self._stage(CallStage.CONFIRM)

    def cancel(self) -> None:
        if self.stage is CallStage.CONFIRM:
            self._stage(CallStage.IDLE)

    def start(self) -> None:
        """The citizen agreed: camera, microphone, the call placed."""
        if self.stage is not CallStage.CONFIRM:
            return
        self._generation += 1
        generation = self._generation
        self._pause_idle(True)
        self._stage(CallStage.STARTING)
        request = CallRequest(self._language(), self._item_code(), self._session_id())
        self._call = self._dialler.dial(request, lambda e: self.event(e, generation))

    def say(self, text: str) -> None:
        text = text.strip()
        if text and self.stage is CallStage.CONNECTED and self._call is not None:
            chat = Chat(text)
            self._call.send(chat)
            self.chat.append(ChatLine(False, chat.text))
            self._changed(DeskTopic.CHAT)

    def show_document(self) -> bool:
        """The citizen will show a document: True while the request stands (the screen opens
        the document camera)."""
        return self.ask is Ask.DOCUMENT and self.stage is CallStage.CONNECTED

    def picture_taken(self, picture: Snapshot) -> None:
        """The document camera's picture, fitted to one message; waits for Send."""
        if self.ask is Ask.DOCUMENT and self.stage is CallStage.CONNECTED:
            self.picture = picture
            self._ask(Ask.SEND)

    def send_picture(self) -> None:
        """Send: the only way a picture leaves the terminal."""
        if self.ask is Ask.SEND and self.picture is not None and self._call is not None:
            self._call.send(self.picture)
            log.info("assist.snapshot_sent", extra={"ctx": {"bytes": len(self.picture.data)}})
        self.picture = None
        self._ask(Ask.NONE)

    def decline(self) -> None:
        """"No" to whatever the clerk asked (a document, a picture, an item)."""
        self.picture = None
        self.suggested = None
        self._ask(Ask.NONE)

    def accept_item(self) -> None:
        """Open the suggested item (the call goes on beside it)."""
        code, self.suggested = self.suggested, None
        self._ask(Ask.NONE)
        if code is not None and not self._open_item(code):
            log.info("assist.item_not_opened", extra={"ctx": {"item": code}})

    def hang_up(self) -> None:
        if self._call is not None:
            self._call.hang_up()         # Ended(HUNG_UP) follows from the engine
        elif self.stage is CallStage.CONFIRM:
            self._stage(CallStage.IDLE)

    def session_ended(self) -> None:
        """The citizen's session ended: the call with it, and nothing of it is kept."""
        call, self._call = self._call, None
        self._generation += 1            # no event of that call reaches the next citizen
        if call is not None:
            call.hang_up()
            self._pause_idle(False)
        was = self.stage
        self._reset()
        if was is not CallStage.IDLE:
            self._changed(DeskTopic.STAGE)

    def dismiss(self) -> None:
        """Back to where the citizen was, after reading why the call ended."""
        if self.stage is CallStage.ENDED:
            self._reset()
            self._changed(DeskTopic.STAGE)

    def end_words(self) -> Text | None:
        """Why the call ended, for the citizen (with the hours when nobody was on duty)."""
        if self.end_reason is None:
            return None
        words = MESSAGES[END_WORDS[self.end_reason]]
        if self.end_reason is EndReason.NO_CLERKS:
            hours = self.hours or Text("", "")
            return Text(words.zh.format(hours=hours.zh), words.en.format(hours=hours.en))
        return words

    def item_suggested(self) -> str | None:
        return self.suggested if self.ask is Ask.ITEM else None

    def _ask(self, ask: Ask) -> None:
        self.ask = ask
        self._changed(DeskTopic.ASK)

    # -- the engine's events (GUI thread) ---------------------------------------------------
    def event(self, event: CallEvent, generation: int | None = None) -> None:
        from assist.events import Answered, Connected, Ended, Received, Waiting

        if generation is not None and generation != self._generation:
            return
        if isinstance(event, Waiting):
            self.queue_position = event.queue_position
            if self.stage is CallStage.STARTING:
                self._stage(CallStage.WAITING)
            self._changed(DeskTopic.QUEUE)
        elif isinstance(event, Answered):
            self.clerk_name = event.clerk_name
            self._stage(CallStage.CONNECTED)
        elif isinstance(event, Connected):
            if self.stage is not CallStage.CONNECTED:
                self._stage(CallStage.CONNECTED)
        elif isinstance(event, Received):
            self._received(event.message)
        elif isinstance(event, Ended):
            self._ended(event.reason)

    def _received(self, message: CallMessage) -> None:
        if self.stage is not CallStage.CONNECTED:
            return
        if isinstance(message, Chat):
            self.chat.append(ChatLine(True, message.text))
            self._changed(DeskTopic.CHAT)
        elif isinstance(message, SnapshotRequest):
            self.picture = None
            self._ask(Ask.DOCUMENT)
        elif isinstance(message, OpenItem):
            self.suggested = message.item_code
            self._ask(Ask.ITEM)
        elif isinstance(message, Bye):
            pass                          # the engine ends the call and reports Ended
        # a Snapshot from the clerk's side is not part of the API: ignored

    def _ended(self, reason: EndReason) -> None:
        self._call = None
        self._pause_idle(False)
        self.chat, self.picture, self.suggested, self.ask = [], None, None, Ask.NONE
        self.end_reason = reason
        self.queue_position = None
        self._stage(CallStage.ENDED)
