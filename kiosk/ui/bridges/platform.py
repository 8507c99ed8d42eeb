"""The platform side: card sessions and prefill on the ``platform`` worker, outbox events
as signals.

The outbox's listeners run on the ``outbox-sync`` thread (and on the GUI thread for an
enqueue); :class:`OutboxBridge` re-emits each event as a queued signal, and folds them into
the line/queue status the status bar shows (:mod:`kiosk.flows.line`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from civic.pii import Personal
from kiosk.flows.line import Line, LineStatus, follow
from kiosk.flows.services import (
    PrefillResult,
    SessionRequest,
    SessionResult,
    close_card_session,
    fetch_prefill,
    open_card_session,
)
from kiosk.flows.states import PrefillOutcome
from kiosk.ui.bridges.invoker import GuiInvoker, Worker
from offline_queue import Outbox
from offline_queue.events import OutboxEvent
from offline_queue.platform import PlatformClient

if TYPE_CHECKING:
    from kiosk.flows.certify import KeyRing, RecordResult

T = TypeVar("T")


class PrefillBridge:
    """Implements ``kiosk.flows.services.PrefillClient`` over the platform client, on the
    ``platform`` worker: card sessions opened and closed, and prefill read in them. The one
    worker runs them in order, so a close queued after a read never overtakes it, and a
    close never waits on the GUI thread. ``client``: the platform client, or None when the
    terminal is not enrolled; ``agent_token``: the signed-in agent's token (agent mode)."""

    def __init__(self, invoker: GuiInvoker, client: PlatformClient | None, *,
                 agent_token: Callable[[], str | None] | None = None) -> None:
        self._client = client
        self._agent_token = agent_token or (lambda: None)
        self._worker = Worker("platform", invoker)
        # the platform's public record-signing keys, for the terminal's life (not personal);
        # made at the first record, so that start-up does not load the crypto library
        self._keys: KeyRing | None = None

    def open_session(self, request: SessionRequest,
                     done: Callable[[SessionResult], None]) -> None:
        client = self._client
        if client is None:                   # not enrolled: no session can be opened
            self._worker.submit(lambda: SessionResult(PrefillOutcome.OFFLINE), done)
            return
        self._worker.submit(
            lambda: open_card_session(client, request, self._agent_token()), done)

    def fetch(self, id_number: Personal, item_code: str, session_id: str,
              done: Callable[[PrefillResult], None]) -> None:
        client = self._client
        if client is None:                   # not enrolled: nothing can be fetched
            self._worker.submit(lambda: PrefillResult(outcome=PrefillOutcome.OFFLINE), done)
            return
        self._worker.submit(lambda: fetch_prefill(client, id_number, item_code, session_id,
                                                  self._agent_token()), done)

    def fetch_record(self, id_number: Personal, item_code: str, session_id: str,
                     done: Callable[[RecordResult], None]) -> None:
        from kiosk.flows.certify import (
            KeyRing,
            RecordOutcome,
            RecordResult,
            fetch_certified_record,
        )

        client = self._client
        if client is None:                   # not enrolled: nothing can be certified
            self._worker.submit(lambda: RecordResult(RecordOutcome.OFFLINE), done)
            return
        keys = self._keys = self._keys or KeyRing()
        self._worker.submit(lambda: fetch_certified_record(
            client, keys, id_number, item_code, session_id,
            agent_token=self._agent_token()), done)

    def call(self, job: Callable[[PlatformClient], T], done: Callable[[T], None],
             offline: T) -> None:
        """Another call of the card session (a face check) on the same worker, so it runs in
        order with the session's opening and closing; ``offline`` is the answer when the
        terminal is not enrolled."""
        client = self._client
        if client is None:
            self._worker.submit(lambda: offline, done)
            return
        self._worker.submit(lambda: job(client), done)

    def close_session(self, session_id: str) -> None:
        client = self._client
        if client is not None:
            self._worker.submit(
                lambda: close_card_session(client, session_id, self._agent_token()),
                lambda _: None)

    def close(self) -> None:
        self._worker.close()
        if self._client is not None:
            self._client.close()


class OutboxBridge(QObject):
    _raw = Signal(object)                   # from the listener, any thread
    # every outbox event, on the GUI thread (not "event": QObject.event is Qt's event hook)
    outbox_event = Signal(object)
    summary = Signal(object)                # kiosk.flows.line.LineStatus for the status bar

    def __init__(self, outbox: Outbox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.status = LineStatus()
        self._closed = False
        self._remove = outbox.add_listener(self._raw.emit)
        self._raw.connect(self._on_event)

    @property
    def online(self) -> bool:
        return self.status.online

    def _on_event(self, event: OutboxEvent) -> None:
        if self._closed:                    # queued before close, delivered after
            return
        self.outbox_event.emit(event)
        self.status = follow(self.status, event, self._waiting())
        self.summary.emit(self.status)

    def not_enrolled(self) -> None:
        """No credentials, so no sync worker: say so instead of waiting for news."""
        self.status = LineStatus(Line.NOT_ENROLLED, self._waiting())
        self.publish()

    def publish(self) -> None:
        if not self._closed:
            self.status = replace(self.status, waiting=self._waiting())
            self.summary.emit(self.status)

    def _waiting(self) -> int:
        stats = self.outbox.stats()
        return sum(int(stats.get(s, 0) or 0) for s in ("pending", "in_flight", "retry_wait"))

    def close(self) -> None:
        self._closed = True
        self._remove()
