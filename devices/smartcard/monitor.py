"""Readers added/removed and cards inserted/removed, reported to observers.

pyscard's own ``ReaderMonitor`` and ``CardMonitor`` are process-wide singletons with
daemon threads that cannot be joined; this monitor is built explicitly, owns one thread
(``pcsc-monitor``) that blocks in ``SCardGetStatusChange`` (woken by ``SCardCancel`` on
stop), and is started and stopped by whoever builds it. Observers are called on that
thread and must hand events over to their own (the Qt side queues a signal); an observer
that raises is logged and does not stop the monitor. If pcscd goes away, every reader is
reported removed and the monitor reconnects when it comes back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from smartcard import scard as sc

from devices.smartcard.pcsc import is_virtual_reader

log = logging.getLogger(__name__)

_PNP = "\\\\?PnP?\\Notification"
_GONE = frozenset({sc.SCARD_E_NO_SERVICE, sc.SCARD_E_SERVICE_STOPPED,
                   sc.SCARD_E_INVALID_HANDLE})


@dataclass(frozen=True)
class CardPresence:
    reader: str
    atr: bytes

    def __repr__(self) -> str:
        return f"CardPresence({self.reader!r}, atr={self.atr.hex(' ').upper()})"


class PcscObserver(Protocol):
    def readers_changed(self, added: Sequence[str], removed: Sequence[str]) -> None: ...

    def cards_changed(self, inserted: Sequence[CardPresence],
                      removed: Sequence[CardPresence]) -> None: ...


class PcscMonitor:
    """Watches pcscd. Observers added after start() first get the current state as added."""

    def __init__(self, *, allow_virtual: bool = False, poll_ms: int = 500,
                 retry_s: float = 1.0) -> None:
        self.allow_virtual = allow_virtual
        self._poll_ms = poll_ms
        self._retry_s = retry_s
        self._lock = threading.Lock()
        self._observers: list[PcscObserver] = []
        self._newcomers: list[PcscObserver] = []
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._context: Any = None
        # owned by the monitor thread
        self._readers: dict[str, int] = {}
        self._cards: dict[str, CardPresence] = {}
        self._pnp_state = 0

    def add_observer(self, observer: PcscObserver) -> None:
        with self._lock:
            self._newcomers.append(observer)

    def remove_observer(self, observer: PcscObserver) -> None:
        with self._lock:
            for group in (self._observers, self._newcomers):
                if observer in group:
                    group.remove(observer)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the monitor is already running")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="pcsc-monitor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        with self._lock:
            if self._context is not None:
                sc.SCardCancel(self._context)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError("the pcsc-monitor thread did not stop")

    def __enter__(self) -> PcscMonitor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the monitor thread ----------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._welcome_newcomers()
                if self._context is None and not self._connect():
                    self._stopping.wait(self._retry_s)
                    continue
                self._step()
        finally:
            self._disconnect()

    def _connect(self) -> bool:
        hresult, context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
        if hresult != sc.SCARD_S_SUCCESS:
            return False
        with self._lock:
            self._context = context
        self._pnp_state = 0
        log.info("smartcard.monitor.connected")
        return True

    def _disconnect(self) -> None:
        with self._lock:
            context, self._context = self._context, None
        if context is not None:
            sc.SCardReleaseContext(context)

    def _lost_service(self) -> None:
        log.warning("smartcard.monitor.service_lost")
        self._disconnect()
        self._update_readers([])

    def _step(self) -> None:
        hresult, names = sc.SCardListReaders(self._context, [])
        if hresult in _GONE:
            self._lost_service()
            return
        names = [] if hresult != sc.SCARD_S_SUCCESS else [
            str(n) for n in names if self.allow_virtual or not is_virtual_reader(str(n))]
        self._update_readers(names)
        states = [(n, self._readers[n]) for n in names] + [(_PNP, self._pnp_state)]
        hresult, new_states = sc.SCardGetStatusChange(self._context, self._poll_ms, states)
        if hresult in _GONE:
            self._lost_service()
            return
        if hresult != sc.SCARD_S_SUCCESS:
            return  # time-out, cancelled, or a reader vanished: list again
        inserted, removed = [], []
        for name, event, atr in new_states:
            state = int(event) & ~sc.SCARD_STATE_CHANGED
            if name == _PNP:
                self._pnp_state = state
                continue
            self._readers[name] = state
            present = bool(state & sc.SCARD_STATE_PRESENT)
            old = self._cards.get(name)
            now = CardPresence(name, bytes(atr)) if present else None
            if old is not None and old != now:
                removed.append(self._cards.pop(name))
            if now is not None and old != now:
                self._cards[name] = now
                inserted.append(now)
        if inserted or removed:
            self._notify("cards_changed", inserted, removed)

    def _update_readers(self, names: list[str]) -> None:
        added = [n for n in names if n not in self._readers]
        gone = [n for n in self._readers if n not in names]
        for name in added:
            self._readers[name] = sc.SCARD_STATE_UNAWARE
        cards_gone = [self._cards.pop(n) for n in gone if n in self._cards]
        for name in gone:
            del self._readers[name]
        if cards_gone:
            self._notify("cards_changed", [], cards_gone)
        if added or gone:
            self._notify("readers_changed", added, gone)

    def _welcome_newcomers(self) -> None:
        with self._lock:
            newcomers, self._newcomers = self._newcomers, []
            self._observers.extend(newcomers)
        for observer in newcomers:
            if self._readers:
                self._call(observer, "readers_changed", list(self._readers), [])
            if self._cards:
                self._call(observer, "cards_changed", list(self._cards.values()), [])

    def _notify(self, method: str, added: list[Any], removed: list[Any]) -> None:
        with self._lock:
            observers = list(self._observers)
        for observer in observers:
            self._call(observer, method, added, removed)

    @staticmethod
    def _call(observer: PcscObserver, method: str, added: list[Any],
              removed: list[Any]) -> None:
        try:
            getattr(observer, method)(list(added), list(removed))
        except Exception:
            # An observer's bug must not blind the kiosk to cards; keep the traceback.
            log.exception("smartcard.monitor.observer_failed",
                          extra={"ctx": {"observer": type(observer).__name__}})
