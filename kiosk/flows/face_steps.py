"""The face-check part of the session: after consent, for an item whose catalog entry says
``identity_assurance = "face"``, and again before Submit when the check is over 15 minutes
old.

The screen captures the best frame after a head-turn challenge and hands it here
(:meth:`FaceSteps.face_captured`); the flow decides where it is compared
(:class:`~kiosk.flows.face_check.FaceRoute`) and what the answer means: a match records the
session's ``identity_check`` and goes on; "no face" and "too small" are requests to look at
the camera or come closer, never failures; three faces that do not match end in a refusal
that says where a person can help; a route that cannot compare now (the platform out of
reach or without a reference photo) falls back to the card's photo, or to "not here".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.flows.core import guarded, log
from kiosk.flows.face_check import (
    FACE_CHECK_VALID_S,
    MAX_FAILED_MATCHES,
    FaceCapture,
    FaceComparison,
    FaceOutcome,
    FacePhase,
    FaceRoute,
    RefusalReason,
)
from kiosk.flows.form import FormSteps
from kiosk.flows.messages import MESSAGES
from kiosk.flows.states import PrefillState, Step, Topic
from kiosk.lazy import lazy

# The session module is imported before the first frame (kiosk.app.citizen); the catalog's
# vocabulary and the Submission's shape are needed only once a card is read (kiosk.lazy).
if TYPE_CHECKING:
    from civic import submission as wire
    from civic.submission import IdentityCheck
    from civic.text import Text
else:
    wire = lazy("civic.submission")

#: what the screen says after an answer that is not a failure (messages.py keys)
_REQUESTS = {FaceOutcome.NO_FACE: "face.look", FaceOutcome.TOO_SMALL: "face.closer",
             FaceOutcome.SEVERAL_FACES: "face.one_person", FaceOutcome.ERROR: "face.again"}


class FaceSteps(FormSteps):
    # What a session holds of the check; all of it is dropped by _clear.
    identity_check: IdentityCheck | None
    _face_checked_at: float                    # the flow's clock when it was made
    face_phase: FacePhase
    face_failures: int
    face_refusal: RefusalReason | None
    last_face: FaceComparison | None
    _face_return: Step
    _routes_down: set[FaceRoute]               # routes that answered "cannot compare"
    face_prompt_key: str | None                # what the screen asks now (messages.py key)

    def _clear(self) -> None:
        super()._clear()
        self.identity_check = None
        self._face_checked_at = 0.0
        self.face_phase = FacePhase.READY
        self.face_failures = 0
        self.face_refusal = None
        self.last_face = None
        self._face_return = Step.FORM
        self._routes_down = set()
        self.face_prompt_key = None

    # -- when -----------------------------------------------------------------------------
    @property
    def needs_face(self) -> bool:
        """Whether the chosen item needs the person checked against the card."""
        # here, not at the top: civic.catalog's package loads the whole catalog builder,
        # which the first screen does not need (a card and an item come first)
        from civic.catalog.vocab import IdentityAssurance

        return self.item is not None and \
            self.item.identity_assurance is IdentityAssurance.FACE

    @property
    def face_check_fresh(self) -> bool:
        """A check was made in this session, less than 15 minutes ago (the flow's clock)."""
        return self.identity_check is not None \
            and self.clock() - self._face_checked_at <= FACE_CHECK_VALID_S

    def _after_consent(self) -> Step:
        if self.needs_face and not self.face_check_fresh:
            self._begin_face_check(Step.FORM, announce=False)
            return Step.FACE_CHECK
        return Step.FORM

    def _begin_face_check(self, then: Step, *, announce: bool = True) -> None:
        self._face_return = then
        self.face_phase = FacePhase.READY
        self.face_refusal = None
        self.last_face = None
        if announce:
            self._go(Step.FACE_CHECK)

    def _face_due_before_submit(self) -> bool:
        """At Submit: a face item whose check is missing or too old is checked again first
        (the citizen then signs again)."""
        if self.step is Step.SIGN and self.needs_face and not self.face_check_fresh:
            log.info("face.repeat", extra={"ctx": {"item": self.item.code if self.item
                                                   else None}})
            self._begin_face_check(Step.SIGN)
            return True
        return False

    @guarded
    def sign(self, png: bytes) -> None:
        if self._face_due_before_submit():
            return
        super().sign(png)

    @guarded
    def confirm_by_keypad(self) -> None:
        if self._face_due_before_submit():
            return
        super().confirm_by_keypad()

    @guarded
    def start_item(self) -> None:
        super().start_item()
        if self.needs_face and self.faces is not None:
            self.faces.prepare()        # the engine loads while the citizen reads consent

    def face_prompt(self, key: str) -> None:
        """The screen asks something else now (look straight, turn left...): announced, so
        the narrator says it."""
        if key != self.face_prompt_key:
            self.face_prompt_key = key
            self._changed(Topic.FACE)

    # -- where ----------------------------------------------------------------------------
    @property
    def face_route(self) -> FaceRoute:
        """Where a face captured now would be compared (see kiosk.flows.face_check)."""
        if self.settings.channel == "agent":
            return FaceRoute.AGENT
        if self.consent is not True:      # declined: no session, no use of the card photo
            return FaceRoute.NOT_HERE
        if self._card_session_id is not None and FaceRoute.PLATFORM not in self._routes_down:
            return FaceRoute.PLATFORM
        if self._card_session_id is None and self.prefill_state is PrefillState.LOADING:
            return FaceRoute.PENDING       # the session is being opened
        if self.faces is not None and self.faces.card_photo_available \
                and self.identity is not None and self.identity.photo \
                and FaceRoute.CARD_PHOTO not in self._routes_down:
            return FaceRoute.CARD_PHOTO
        return FaceRoute.NOT_HERE

    @property
    def face_request(self) -> Text | None:
        """What the screen asks after an answer that was not a failure (look, come closer)."""
        last = self.last_face
        return MESSAGES[_REQUESTS[last.outcome]] if last and last.outcome in _REQUESTS \
            else None

    @property
    def face_tries_left(self) -> int:
        return max(0, MAX_FAILED_MATCHES - self.face_failures)

    # -- the citizen's answers ----------------------------------------------------------------
    @guarded
    def face_captured(self, capture: FaceCapture) -> None:
        """The screen captured the best frame after the challenge: compare it."""
        self._need("face_captured", Step.FACE_CHECK)
        if self.face_phase not in (FacePhase.READY, FacePhase.RETRY):
            return
        self.idle.activity()
        route = self.face_route
        session = self._session
        if route is FaceRoute.PLATFORM:
            self._face_comparing()
            self._compare_on_platform(session, capture, retried=False)
        elif route is FaceRoute.CARD_PHOTO:
            assert self.faces is not None and self.identity is not None
            self._face_comparing()
            self.faces.compare_with_card_photo(
                capture, self.identity.photo,
                lambda answer: self._face_compared(session, route, answer))
        else:                  # nothing can compare it (the screen says why): drop it
            log.info("face.not_compared", extra={"ctx": {"route": str(route)}})

    def _compare_on_platform(self, session: int, capture: FaceCapture, *,
                             retried: bool) -> None:
        assert self.faces is not None and self._card_session_id is not None
        self.faces.compare_on_platform(
            capture, self._card_session_id,
            lambda answer: self._platform_compared(session, capture, retried, answer))

    @guarded
    def _platform_compared(self, session: int, capture: FaceCapture, retried: bool,
                           answer: FaceComparison) -> None:
        """The platform's answer; a lost card session is opened again once while the card
        is here and the same capture compared in it (as prefill and the record do), else
        the check falls back as for a platform that cannot compare."""
        if answer.outcome is FaceOutcome.NO_SESSION and self._current(session) \
                and self.step is Step.FACE_CHECK:
            unavailable = FaceComparison(FaceOutcome.UNAVAILABLE)
            self._card_session_lost(
                session, retried=retried,
                wanted=lambda: self.step is Step.FACE_CHECK
                and self.face_phase is FacePhase.COMPARING,
                retry=lambda: self._compare_on_platform(session, capture, retried=True),
                give_up=lambda _why: self._face_compared(session, FaceRoute.PLATFORM,
                                                         unavailable))
            return
        self._face_compared(session, FaceRoute.PLATFORM, answer)

    def _face_comparing(self) -> None:
        self.face_phase = FacePhase.COMPARING
        self.last_face = None
        self._changed(Topic.FACE)

    @guarded
    def _face_compared(self, session: int, route: FaceRoute, answer: FaceComparison) -> None:
        if not self._current(session) or self.step is not Step.FACE_CHECK:
            return                          # the citizen left: nothing of it is kept
        log.info("face.compared", extra={"ctx": {"route": str(route),
                                                  "outcome": str(answer.outcome)}})
        self.last_face = answer
        if answer.outcome is FaceOutcome.MATCH:
            method = wire.IdentityMethod.PLATFORM_FACE if route is FaceRoute.PLATFORM \
                else wire.IdentityMethod.CARD_PHOTO_FACE
            self.identity_check = wire.IdentityCheck(method, self.now(), answer.check_id,
                                                answer.score)
            self._face_checked_at = self.clock()
            self.face_failures = 0
            self._go(self._face_return)
            return
        if answer.outcome is FaceOutcome.NO_MATCH:
            self.face_failures += 1
            if self.face_failures >= MAX_FAILED_MATCHES:
                self._refuse_face(RefusalReason.FAILED_MATCHES)
                return
            self.face_phase = FacePhase.RETRY
        else:
            if answer.outcome in (FaceOutcome.UNAVAILABLE, FaceOutcome.NO_SESSION):
                self._routes_down.add(route)     # the next route (card photo, not here)
            self.face_phase = FacePhase.READY
        self._changed(Topic.FACE)

    @guarded
    def face_retry(self) -> None:
        """"Try again" after a face that did not match: a new capture."""
        self._need("face_retry", Step.FACE_CHECK)
        if self.face_phase is FacePhase.RETRY:
            self.idle.activity()
            self.face_phase = FacePhase.READY
            self.last_face = None
            self._changed(Topic.FACE)

    def _refuse_face(self, reason: RefusalReason) -> None:
        self.face_phase = FacePhase.REFUSED
        self.face_refusal = reason
        self._changed(Topic.FACE)

    @guarded
    def face_cannot(self) -> None:
        """"I cannot do this": the check ends here, and the screen says where to get help."""
        self._need("face_cannot", Step.FACE_CHECK)
        self.idle.activity()
        self._refuse_face(RefusalReason.CANNOT)

    @guarded
    def attest_identity(self) -> None:
        """The agent confirms seeing the person and their ID card (agent channel only)."""
        self._need("attest_identity", Step.FACE_CHECK)
        if self.face_route is not FaceRoute.AGENT:
            raise RuntimeError("only an agent attests the person")
        self.idle.activity()
        self.identity_check = wire.IdentityCheck(wire.IdentityMethod.AGENT_ATTESTED,
                                                 self.now())
        self._face_checked_at = self.clock()
        self._go(self._face_return)

    def submission_identity_check(self) -> IdentityCheck | None:
        """The Submission's ``identity_check``, for a face item (None otherwise)."""
        return self.identity_check if self.needs_face else None
