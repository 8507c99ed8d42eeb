"""The card part of the session: a card read, refused or taken away.

An ID card or a social-security card on the reader starts a session (or is refused, with a
reason to show); taking the card away at a sensitive step ends it, and at any step ends
the platform's card session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from civic.text import Text
from kiosk.flows.core import FlowCore, guarded, log
from kiosk.flows.states import SESSION_STEPS, TAKE_CARD_STEPS, Step

if TYPE_CHECKING:
    from devices.idcard.card import IdCard
    from devices.smartcard.model import SocialSecurityCard


class CardSteps(FlowCore):
    def card_reading(self) -> None:
        self.idle.activity()
        if self.step in (Step.ATTRACT, Step.REFUSED):
            self._go(Step.IDENTIFY)

    @guarded
    def card_placed(self, card: IdCard | SocialSecurityCard) -> None:
        self.idle.activity()
        if self.step not in (Step.ATTRACT, Step.IDENTIFY, Step.REFUSED, Step.GOODBYE):
            log.info("flow.card_ignored", extra={"ctx": {"step": str(self.step)}})
            return
        if self.step is Step.GOODBYE:
            self.wipe("next_card")
        from devices.smartcard.model import SocialSecurityCard
        from kiosk.errors import IdentityRefused
        from kiosk.identity import from_id_card, from_social_security_card

        today = self.now().date()
        try:
            if isinstance(card, SocialSecurityCard):
                identity = from_social_security_card(card, today)
            else:
                identity = from_id_card(card, today)
        except IdentityRefused as exc:
            self._session += 1
            self._clear()
            self.card_present = True
            self.refusal = Text(exc.zh, exc.en)
            self._go(Step.REFUSED)
            return
        self._session += 1
        self._clear()
        self.identity = identity
        self.card_present = True
        self.idle.reset()
        self._go(Step.CHOOSE)

    def card_failed(self, message: Text) -> None:
        """A card is there but could not be read; the message asks to place it again."""
        self.idle.activity()
        if self.step in (Step.ATTRACT, Step.IDENTIFY, Step.REFUSED):
            self.refusal = message
            self._go(Step.REFUSED)

    @guarded
    def card_removed(self) -> None:
        self.card_present = False
        # The platform lends shared data only while the card is here (platform-api.md): the
        # session ends now even where the citizen stays (taking the receipt or the proof).
        self._end_card_session()
        if self.step in (Step.IDENTIFY, Step.REFUSED, Step.ERROR):
            self.wipe("card_removed")
        elif self.step is Step.GOODBYE:
            self.wipe("card_taken")
        elif self.step in SESSION_STEPS and self.step not in TAKE_CARD_STEPS:
            self.wipe("card_removed")
