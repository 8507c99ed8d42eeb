"""What a delivery run records of each answer: the outcome in the store, an event for the
listeners, a count in the run's :class:`~offline_queue.delivery.SyncReport`, a log line
for what needs a person (dead, damaged, a refused session).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from offline_queue.delivery import SyncReport, _SenderRefused
from offline_queue.events import ItemChanged, OutboxEvent, SenderRefused
from offline_queue.outcomes import Claimed, DeliveryOutcome
from offline_queue.senders import Sender
from offline_queue.states import State
from offline_queue.store import DAMAGED_CODE, Store

log = logging.getLogger("offline_queue.sync")      # the engine's logger: one story per run


def unsent(batch: list[Claimed], answered: set[str], error: str | None = None,
           status: int | None = None) -> list[DeliveryOutcome]:
    """Items of a request set that were not answered: back to pending, no attempt."""
    return [DeliveryOutcome(c.id, State.PENDING, status, error, count_attempt=False)
            for c in batch if c.id not in answered]


class RunRecorder:
    def __init__(self, store: Store, notify: Callable[[OutboxEvent], None],
                 clock: Callable[[], float]) -> None:
        self.store, self.notify, self.clock = store, notify, clock

    def record(self, outcomes: list[DeliveryOutcome], report: SyncReport) -> None:
        self.store.record(outcomes, self.clock())
        for o in outcomes:
            if o.state == State.SENT:
                report.sent += 1
            elif o.state == State.DEAD:
                report.dead += 1
                log.warning("outbox.dead", extra={"ctx": {"submission_id": o.id,
                                                          "http_status": o.http_status}})
            elif o.state == State.RETRY_WAIT:
                report.retry += 1
            if o.state != State.PENDING:
                self.notify(ItemChanged(o.id, o.state, o.error))

    def damaged(self, ids: list[str], report: SyncReport) -> None:
        """Items found unreadable (already dead in the store): counted, logged, told."""
        for sid in ids:
            report.dead += 1
            report.damaged += 1
            log.error("outbox.damaged", extra={"ctx": {"submission_id": sid}})
            self.notify(ItemChanged(sid, State.DEAD, DAMAGED_CODE))

    def refused(self, sender: Sender, batch: list[Claimed], refused: _SenderRefused,
                 report: SyncReport) -> None:
        """The platform refused the sender's session: its items wait for a new one."""
        error = f"403 {refused.code}: waiting for the sender to sign in again"
        self.record([*refused.answered,
                      *unsent(batch, {o.id for o in refused.answered}, error, 403)],
                     report)
        log.warning("outbox.sender_refused", extra={"ctx": {
            "channel": sender.channel, "agent_id": sender.agent_id, "code": refused.code}})
        self.notify(SenderRefused(sender, refused.code))
