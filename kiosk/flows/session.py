"""The citizen session: one state machine from the card on the reader to the receipt.

The screens read the public attributes and call the methods; nothing else changes the
state. Every change is announced to subscribers with a short topic (``"step"``,
``"values"``, ``"print"``...), so a screen redraws what concerns it. Callbacks from services
carry the session they were started in: an answer that arrives after the session ended
(a late prefill, a print job finishing after a wipe) is dropped, never shown to the next
citizen.

:class:`CitizenFlow` is put together from one part per responsibility, each a mixin over
:class:`~kiosk.flows.core.FlowCore` (the session's state, subscribers, steps and wipe):

* :mod:`.cards` — a card read, refused or taken away;
* :mod:`.for_you` — "For you": what this resident can apply for now, read after consent;
* :mod:`.halls` — where to go for an item that needs a visit, booking a slot, its slip;
* :mod:`.face_steps` — the face check of items that need one (after consent, again before
  Submit); built on
* :mod:`.form` — choosing an item, consent and prefill, the form and its checks; built on
* :mod:`.printing` — submit and receipt, the query_print proof, printing, finish (the
  form's end: what the form calls there is an ordinary method of its base).

Only :meth:`CitizenFlow.tick`, which serves all of them, lives here.
"""

from __future__ import annotations

from kiosk.flows.cards import CardSteps
from kiosk.flows.core import FlowSettings, guarded
from kiosk.flows.face_steps import FaceSteps
from kiosk.flows.for_you import ForYouSteps
from kiosk.flows.halls import HallSteps
from kiosk.flows.idle import IdlePhase
from kiosk.flows.states import Step, Topic

__all__ = ["CitizenFlow", "FlowSettings"]


class CitizenFlow(CardSteps, ForYouSteps, HallSteps, FaceSteps):
    @guarded
    def tick(self) -> None:
        """About once a second: idle expiry, the wait for a case number, goodbye."""
        status = self.idle_status()
        if status.phase is IdlePhase.EXPIRED:
            self.wipe("idle")
            return
        if status.phase is IdlePhase.WARNING:
            self._changed(Topic.IDLE)
        if self.step is Step.SUBMIT and self._deadline is not None \
                and self.clock() >= self._deadline:
            self._to_receipt()
        elif self.step is Step.GOODBYE and self.clock() - self._entered_at >= \
                self.settings.goodbye_s:
            self.wipe("goodbye")

    def __repr__(self) -> str:
        return f"CitizenFlow(step={self.step}, identity={self.identity!r})"
