"""What one delivery run reports, and the two ways a request (set) ends early.

``_Transient``: the request failed in a way worth retrying (the API spec's transient table);
``_Stop``: the whole run ends now (paused on 401, throttled by Retry-After, offline);
``_SenderRefused``: the platform refused the sender's session (403 ``agent_token_invalid``
...): that sender's items are held, the run goes on with the others. All carry the
outcomes the platform had already given, so nothing it answered is forgotten.
They never leave the sync engine: ``sync_once`` turns them into a :class:`SyncReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from offline_queue.events import RunState
from offline_queue.outcomes import Claimed, DeliveryOutcome


@dataclass
class SyncReport:
    sent: int = 0
    retry: int = 0
    dead: int = 0
    #: of ``dead``: items that could not be read back on this terminal (never sent)
    damaged: int = 0
    #: why the run stopped before the queue was empty: paused, throttled, offline, busy, or
    #: fault (the queue's own storage failed, e.g. a full disk: nothing is lost, see errors)
    stopped: RunState | None = None
    #: items not sent because their sender had no headers (an agent not signed in online)
    held: int = 0
    errors: list[str] = field(default_factory=list)


class _Stop(Exception):
    """The run ends now (paused, throttled, offline); ``answered`` as in :class:`_Transient`."""

    def __init__(self, reason: RunState, error: str) -> None:
        super().__init__(error)
        self.reason, self.error = reason, error
        self.answered: list[DeliveryOutcome] = []


class _SenderRefused(Exception):
    """403 with one of ``senders.REFUSED_SENDER_CODES``: the session, not the content."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.answered: list[DeliveryOutcome] = []


class _Transient(Exception):
    """A request failed in a way worth retrying; nothing in it is known to be done.

    When items of one claimed batch go one by one (no batch endpoint), ``answered`` holds the
    outcomes of those sent before the failure and ``untried`` those not sent at all.
    """

    def __init__(self, error: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(error)
        self.error, self.status, self.retry_after = error, status, retry_after
        self.answered: list[DeliveryOutcome] = []
        self.untried: list[Claimed] = []
