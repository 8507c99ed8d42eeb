"""The platform side: prefill requests on the ``platform`` worker, outbox events as signals.

The outbox's listeners run on the ``outbox-sync`` thread (and on the GUI thread for an
enqueue); :class:`OutboxBridge` re-emits each event as a queued signal, and keeps the small
connectivity/queue summary the status bar shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from PySide6.QtCore import QObject, Signal

from kiosk.flows.services import PrefillResult, fetch_prefill
from kiosk.pii import Personal
from kiosk.ui.bridges.invoker import GuiInvoker, Worker
from offline_queue import Outbox


class PrefillBridge:
    """Implements ``kiosk.flows.services.PrefillClient`` over the platform's HTTP API."""

    def __init__(self, invoker: GuiInvoker, client: httpx.Client | None) -> None:
        self._client = client
        self._worker = Worker("platform", invoker)

    def fetch(self, id_number: Personal, item_code: str,
              done: Callable[[PrefillResult], None]) -> None:
        client = self._client
        if client is None:                   # not enrolled: nothing can be fetched
            self._worker.submit(lambda: PrefillResult(outcome="offline"), done)
            return
        self._worker.submit(lambda: fetch_prefill(client, id_number, item_code), done)

    def close(self) -> None:
        self._worker.close()
        if self._client is not None:
            self._client.close()


class OutboxBridge(QObject):
    _raw = Signal(object)                   # from the listener, any thread
    event = Signal(object)                  # every outbox event, on the GUI thread
    summary = Signal(object)                # {"online": bool, "waiting": int, ...}

    def __init__(self, outbox: Outbox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.online = True
        self._closed = False
        self._remove = outbox.add_listener(self._raw.emit)
        self._raw.connect(self._on_event)

    def _on_event(self, event: dict[str, Any]) -> None:
        # The outbox says nothing about "the network" as such: a transient failure of a
        # delivery (retry_wait) or a run stopped as offline means down; a delivery means up.
        if self._closed:                    # queued before close, delivered after
            return
        self.event.emit(event)
        kind, state = event.get("kind"), event.get("state")
        if (kind == "progress" and state == "offline") or (kind == "state"
                                                           and state == "retry_wait"):
            self.online = False
        elif kind == "state" and state == "sent":
            self.online = True
        self.publish(event)

    def set_online(self, online: bool) -> None:
        self.online = online
        self.publish()

    def publish(self, event: dict[str, Any] | None = None) -> None:
        if self._closed:
            return
        stats = self.outbox.stats()
        waiting = sum(int(stats.get(s, 0) or 0) for s in ("pending", "in_flight",
                                                          "retry_wait"))
        info = {"online": self.online, "waiting": waiting}
        if event and event.get("kind") == "progress" and event.get("state") == "syncing":
            info["syncing"] = (event.get("done", 0), event.get("total", 0))
        self.summary.emit(info)

    def close(self) -> None:
        self._closed = True
        self._remove()
