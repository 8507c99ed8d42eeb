"""The "For you" part of the session (少操心): what this resident can apply for now.

The platform decides eligibility from shared data, so the list is read only inside the
resident's card session, and only after the citizen agreed (:meth:`ForYouSteps.show_for_you`,
the choose screen's "Agree and show"): before that nothing is asked of the platform and
nothing is shown. The answer is kept for this session alone (``_clear`` drops it with
everything else); an answer that arrives after the session ended is dropped. Offline, the
list says that it needs the network; the rest of the kiosk works as ever.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.flows.core import FlowCore, guarded, log
from kiosk.flows.messages import MESSAGES, tr
from kiosk.flows.states import PrefillOutcome, Step, Topic
from kiosk.lazy import lazy

# loaded before the first frame (kiosk.flows.session); the service's types at the first read
if TYPE_CHECKING:
    from kiosk.flows import ahead_service as svc
else:
    svc = lazy("kiosk.flows.ahead_service")

if TYPE_CHECKING:
    from civic.ahead import Eligible, EligibleItem
    from civic.text import Text
    from kiosk.flows.ahead_service import AheadResult


class ForYouState(StrEnum):
    """Where "For you" is in this session (``CitizenFlow.for_you_state``)."""

    ASK = "ask"                  # nothing read: the screen asks for consent
    LOADING = "loading"          # agreed; the card session or the list is on its way
    READY = "ready"              # the list is here (it may be empty)
    OFFLINE = "offline"          # it needs the network (or the terminal is not enrolled)
    UNAVAILABLE = "unavailable"  # refused, no session, or an answer we could not read


#: what the choose screen says in each state but READY (messages.py keys)
FOR_YOU_NOTICES = {ForYouState.LOADING: "foryou.loading",
                   ForYouState.OFFLINE: "foryou.offline",
                   ForYouState.UNAVAILABLE: "foryou.unavailable"}


class ForYouSteps(FlowCore):
    # What a session holds of "For you"; all of it is dropped by _clear.
    for_you_state: ForYouState
    for_you: tuple[EligibleItem, ...]

    def _clear(self) -> None:
        super()._clear()
        self.for_you_state = ForYouState.ASK
        self.for_you = ()

    @property
    def offers_for_you(self) -> bool:
        """Whether this terminal offers "For you" at all (it has the platform service)."""
        return self.ahead is not None

    @guarded
    def show_for_you(self) -> None:
        """The citizen agreed to let the terminal read what they can apply for: open the
        card session (if this visit has none yet) and read the list in it."""
        self._need("show_for_you", Step.CHOOSE)
        self.idle.activity()
        if self.ahead is None or self.for_you_state in (ForYouState.LOADING,
                                                        ForYouState.READY):
            return
        self.for_you_state = ForYouState.LOADING
        self._changed(Topic.AHEAD)
        session = self._session
        if self._card_session_id is not None:
            self._read_for_you(session, retried=False)
            return
        self._open_card_session(session, wanted=self._awaiting_for_you,
                                then=lambda: self._read_for_you(session, retried=False),
                                otherwise=self._for_you_failed)

    def _awaiting_for_you(self) -> bool:
        return self.for_you_state is ForYouState.LOADING

    def _read_for_you(self, session: int, *, retried: bool) -> None:
        assert self.ahead is not None and self.identity is not None
        assert self._card_session_id is not None
        self.ahead.eligible(self.identity.id_number, self._card_session_id,
                            lambda result: self._for_you_read(session, result, retried))

    def _for_you_failed(self, outcome: PrefillOutcome) -> None:
        self.for_you_state = ForYouState.OFFLINE if outcome is PrefillOutcome.OFFLINE \
            else ForYouState.UNAVAILABLE
        self._changed(Topic.AHEAD)

    @guarded
    def _for_you_read(self, session: int, result: AheadResult[Eligible], retried: bool
                      ) -> None:
        if not self._current(session) or not self._awaiting_for_you():
            return                          # a previous citizen's answer: never shown
        if result.outcome is svc.AheadOutcome.NO_SESSION:
            self._card_session_lost(session, retried=retried, wanted=self._awaiting_for_you,
                                    retry=lambda: self._read_for_you(session, retried=True),
                                    give_up=self._for_you_failed)
            return
        if not result.ok or result.value is None:
            self._for_you_failed(PrefillOutcome.OFFLINE if result.outcome
                                 is svc.AheadOutcome.OFFLINE else PrefillOutcome.ERROR)
            return
        # the platform's order (most pressing first); an item this terminal's catalog does
        # not hold (a newer catalog on the platform) cannot be opened here, so is left out
        self.for_you = tuple(i for i in result.value.items if i.item_code in self.catalog)
        self.for_you_state = ForYouState.READY
        log.info("for_you.read", extra={"ctx": {"items": len(self.for_you)}})
        self._changed(Topic.AHEAD)

    @property
    def for_you_notice(self) -> Text | None:
        """What the list says instead of items (loading, offline...), None when READY."""
        key = FOR_YOU_NOTICES.get(self.for_you_state)
        if self.for_you_state is ForYouState.READY and not self.for_you:
            key = "foryou.none"
        return MESSAGES[key] if key else None

    def for_you_spoken(self) -> list[str]:
        """What elder mode reads out when the list arrives: each item's name, its reason and
        its date (catalog and platform texts: no name or ID number is ever among them)."""
        lang = self.language
        if self.for_you_state is not ForYouState.READY:
            notice = self.for_you_notice
            return [notice.get(lang)] if notice else []
        if not self.for_you:
            return [tr("foryou.none", lang)]
        said = [tr("foryou.intro", lang)]
        for entry in self.for_you:
            said.append(self.catalog.get(entry.item_code).name.get(lang))
            said.append(entry.reason.get(lang))
            if entry.due_by is not None:
                said.append(tr("foryou.due", lang, date=entry.due_by.isoformat()))
        return said
