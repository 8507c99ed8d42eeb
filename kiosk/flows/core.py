"""What every part of the citizen session shares: its state, its subscribers, its steps.

:class:`FlowCore` holds the session's data (one place says what a session holds and what a
wipe drops), announces changes, moves between steps and ends sessions. The parts that
act on it are mixins over it, one per responsibility (:mod:`.cards`, :mod:`.form`,
:mod:`.printing`); :class:`~kiosk.flows.session.CitizenFlow` puts them together.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from civic.text import Text
from kiosk.flows.errors import StepError
from kiosk.flows.idle import IdlePhase, IdleStatus, IdleTracker
from kiosk.flows.prefs import Prefs
from kiosk.flows.states import PrefillOutcome, PrefillState, PrintState, Step, Topic

if TYPE_CHECKING:
    from civic.catalog.model import Catalog, Item
    from civic.identity import Identity
    from kiosk.flows.ahead_service import AheadService
    from kiosk.flows.face_check import FaceService
    from kiosk.flows.services import (
        PrefillClient,
        PrinterService,
        SessionResult,
        SubmissionQueue,
    )
    from kiosk.flows.submission import Attachment

# The catalog, identity, receipt, services and outbox modules are imported where they are
# first needed (a card, a form, a submit): the first screen must not wait for them.
APPLY, QUERY_PRINT, AGENT_ONLY = "apply", "query_print", "agent_only"
SIGNATURE, FILE = "signature", "file"

log = logging.getLogger("kiosk.flows.session")   # one logger for the whole session
P = ParamSpec("P")
R = TypeVar("R")
Listener = Callable[[Topic], None]


@dataclass(frozen=True)
class FlowSettings:
    site_name: str = ""
    terminal_id: str = ""
    tracking_url_template: str = "http://127.0.0.1:8765/v1/track/{submission_id}"
    language: str = "zh"                # language each session starts in
    volume: int = 70                    # speech volume each session starts with (0..100)
    idle_warning_s: float = 60.0
    idle_countdown_s: float = 20.0
    online_wait_s: float = 5.0          # how long Submit waits for the case number
    goodbye_s: float = 12.0             # "take your card" before the next citizen
    channel: str = "kiosk"


def guarded(method: Callable[P, R]) -> Callable[P, R | None]:
    """A bug inside a transition ends the session on the error screen, with a traceback."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except Exception:
            flow = args[0]
            assert isinstance(flow, FlowCore)
            log.exception("flow.bug", extra={"ctx": {"action": method.__name__,
                                                      "step": str(flow.step)}})
            flow._fail()
            return None
    return wrapper


class FlowCore:
    # What one session holds; all of it is set (and dropped) by _clear.
    step: Step
    identity: Identity | None
    refusal: Text | None
    notice: Text | None
    item: Item | None
    consent: bool | None
    values: dict[str, Any]
    prefilled: dict[str, str]                 # field key -> "card" | "shared"
    prefill_state: PrefillState
    prefill_outcome: PrefillOutcome | None      # why there is no shared data, when FAILED
    _card_session_id: str | None              # the platform's card session, while open
    exempt_codes: tuple[str, ...]
    _shared_fields: dict[str, Any]
    _touched: set[str]
    errors: dict[str, dict[str, str]]
    files: dict[str, Attachment]
    signature: bytes
    submission_id: str | None
    submitted_at: dt.datetime | None
    case_number: str | None
    local_receipt: str | None
    print_state: PrintState
    print_message: Text | None
    preview: bytes
    proof_pages: list[bytes]
    card_present: bool
    _deadline: float | None
    _entered_at: float

    def __init__(self, catalog: Catalog, outbox: SubmissionQueue, prefill: PrefillClient,
                 printer: PrinterService, *, settings: FlowSettings | None = None,
                 prefs: Prefs | None = None, faces: FaceService | None = None,
                 ahead: AheadService | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()
                 ) -> None:
        # Every service is required: a mode builds the flow once they are open (citizen
        # mode shows its attract screen from ``prefs`` meanwhile, kiosk.app.citizen).
        self.catalog, self.outbox = catalog, outbox
        self.prefill_client, self.printer = prefill, printer
        # compares faces for items that need the person checked (None: no face engine
        # and no platform comparison here, so such items cannot be completed)
        self.faces = faces
        # "For you", halls and booking (None: this terminal does not offer them)
        self.ahead = ahead
        self.settings = settings or FlowSettings()
        self.prefs = prefs or Prefs(self.settings.language, self.settings.volume)
        self.clock, self.now = clock, now
        self.idle = IdleTracker(self.settings.idle_warning_s, self.settings.idle_countdown_s,
                                clock)
        self._listeners: list[Listener] = []
        self._session = 0
        # the preferences' own announcements reach the flow's subscribers (the screens)
        self._unsubscribe_prefs = self.prefs.subscribe(self._changed)
        self._card_session_id = None
        self._clear()

    # -- observing ---------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)
        return unsubscribe

    def _changed(self, topic: Topic) -> None:
        for listener in list(self._listeners):
            listener(topic)

    def _go(self, step: Step) -> None:
        log.info("flow.step", extra={"ctx": {"from": str(self.step), "to": str(step),
                                             "item": self.item.code if self.item else None}})
        self.step = step
        self.notice = None
        self._entered_at = self.clock()
        self._changed(Topic.STEP)

    def _need(self, action: str, *steps: Step) -> None:
        if self.step not in steps:
            raise StepError(action, str(self.step))

    # -- session data ---------------------------------------------------------------------
    def _end_card_session(self) -> None:
        """Close the platform's card session, if one is open, and forget its id (the close
        runs in the background: the screen never waits for it)."""
        session_id, self._card_session_id = self._card_session_id, None
        if session_id is not None:
            self.prefill_client.close_session(session_id)

    def _open_card_session(self, session: int, *, wanted: Callable[[], bool],
                           then: Callable[[], None],
                           otherwise: Callable[[PrefillOutcome], None]) -> None:
        """Open the platform's card session for the citizen whose card was read (the card
        agreed to share, platform-api.md), then ``then()`` in it; ``otherwise(outcome)``
        when none opens. An answer arriving when it is no longer ``wanted()`` (the citizen
        left, withdrew consent, went back) closes the new session at once."""
        from kiosk.flows.services import SessionRequest

        assert self.identity is not None
        request = SessionRequest(self.identity.id_number, self.identity.identified_by,
                                 self.identity.card_digest or None)
        self.prefill_client.open_session(
            request, lambda result: self._card_session_opened(session, result, wanted, then,
                                                              otherwise))

    @guarded
    def _card_session_opened(self, session: int, result: SessionResult,
                             wanted: Callable[[], bool], then: Callable[[], None],
                             otherwise: Callable[[PrefillOutcome], None]) -> None:
        if not self._current(session) or not wanted():
            if result.session_id is not None:      # keep nothing of a visit that ended
                self.prefill_client.close_session(result.session_id)
            return
        if result.outcome is not PrefillOutcome.OK or result.session_id is None:
            otherwise(result.outcome)
            return
        self._card_session_id = result.session_id
        then()

    def _card_session_lost(self, session: int, *, retried: bool, wanted: Callable[[], bool],
                           retry: Callable[[], None],
                           give_up: Callable[[PrefillOutcome], None]) -> None:
        """A read in the card session answered ``403 no_session``: the platform has it no
        longer. While the card is still on the reader a new one is opened, once, and the
        read ``retry()``-ed in it (platform-api.md, "Access to shared data"); otherwise, or
        when that fails, ``give_up(outcome)``. Prefill, the certified record and the face
        check all come through here, so "once" means the same for each."""
        self._card_session_id = None
        if not self.card_present or retried:
            give_up(PrefillOutcome.NO_SESSION)
            return
        log.info("session.reopen", extra={"ctx": {"step": str(self.step)}})
        self._open_card_session(session, wanted=wanted, then=retry, otherwise=give_up)

    def _clear(self) -> None:
        """Drop everything the session held (the flow's half of the wipe)."""
        self._end_card_session()
        self.step = Step.ATTRACT
        self.identity = None
        self.refusal = None
        self.notice = None
        self.item = None
        self.consent = None
        self.values = {}
        self.prefilled = {}
        self.prefill_state = PrefillState.IDLE
        self.prefill_outcome = None
        self.exempt_codes = ()
        self._shared_fields = {}
        self._touched = set()
        self.errors = {}
        self.files = {}
        self.signature = b""
        self.submission_id = None
        self.submitted_at = None
        self.case_number = None
        self.local_receipt = None
        self.print_state = PrintState.IDLE
        self.print_message = None
        self.preview = b""
        self.proof_pages = []
        self.card_present = False
        self._deadline = None
        self._entered_at = self.clock()

    @property
    def session(self) -> int:
        return self._session

    def _current(self, session: int) -> bool:
        return session == self._session

    @guarded
    def wipe(self, reason: str = "end") -> None:
        """End the session: every personal value dropped, preferences back to defaults."""
        log.info("flow.wipe", extra={"ctx": {"reason": reason, "step": str(self.step)}})
        self._session += 1
        self._clear()
        self.prefs.reset()
        self.idle.reset()
        self._changed(Topic.WIPED)
        self._changed(Topic.STEP)

    def restart(self) -> None:
        self.wipe("restart")

    def _fail(self) -> None:
        self._session += 1
        self._clear()
        self.step = Step.ERROR
        self._changed(Topic.STEP)

    # -- preferences and activity --------------------------------------------------------
    @property
    def language(self) -> str:
        return self.prefs.language

    @property
    def elder(self) -> bool:
        return self.prefs.elder

    @property
    def volume(self) -> int:
        return self.prefs.volume

    def set_language(self, language: str) -> None:
        self.idle.activity()
        self.prefs.set_language(language)

    def set_elder(self, on: bool) -> None:
        self.idle.activity()
        self.prefs.set_elder(on)

    def activity(self) -> None:
        self.idle.activity()

    def extend(self) -> None:
        """"Continue" on the idle warning."""
        self.idle.extend()
        self._changed(Topic.IDLE)

    def pause_idle(self, paused: bool) -> None:
        """Hold the idle timer (a video call with a clerk is on), or count again from now."""
        if paused:
            self.idle.pause()
        else:
            self.idle.resume()
            self._changed(Topic.IDLE)

    @property
    def card_session_id(self) -> str | None:
        """The platform's card session for this citizen, while one is open."""
        return self._card_session_id

    def idle_status(self) -> IdleStatus:
        if self.step in (Step.ATTRACT, Step.IDENTIFY, Step.SUBMIT):
            return IdleStatus(IdlePhase.ACTIVE)
        return self.idle.poll()
