"""The reader monitor: one thread that owns the reader, polls it and reports what changes.

About twice a second it asks "find card"; a newly found card is selected and read at once,
and observers hear CARD_PLACED with the card. When the reader stops finding it, CARD_REMOVED.
When the port fails (unplugged, powered off, not answering) the port is closed, observers
hear READER_LOST, and the monitor opens the reader again by its path every
``reopen_interval`` seconds until it answers (READER_BACK). A card that is found but
cannot be read gives one CARD_ERROR per placement (its message tells the citizen what to do).

Readers that need a read card lifted before they find it again (``lift_required``) answer
"no card" right after a read while the card still lies there, so removal cannot be seen:
with that option the monitor does not report the removal until the next card is found, and
then reports CARD_REMOVED just before the new CARD_PLACED.

Observers are plain callables run on the monitor thread; the application moves what they
receive onto its own threads. An observer that raises is a bug: it is logged, and the
monitor carries on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType, TracebackType
from typing import Final

from devices.idcard.card import IdCard
from devices.idcard.driver import IdCardReader
from devices.idcard.errors import CardError, IdCardError, ReaderError
from devices.readers import ReaderState

log = logging.getLogger(__name__)

THREAD_NAME = "idcard-monitor"


class EventKind(StrEnum):
    READER_READY = "reader_ready"      # connected, and no loss was reported before
    READER_LOST = "reader_lost"        # the port failed or nothing answers; ``error`` says why
    READER_BACK = "reader_back"        # answering again after READER_LOST
    CARD_PLACED = "card_placed"        # a new card was read; ``card`` holds it
    CARD_REMOVED = "card_removed"
    CARD_ERROR = "card_error"          # a card is there but could not be read


#: the reader's state after each reader event (a card event leaves it as it was)
READER_STATES: Final[Mapping[EventKind, ReaderState]] = MappingProxyType({
    EventKind.READER_READY: ReaderState.OK, EventKind.READER_BACK: ReaderState.OK,
    EventKind.READER_LOST: ReaderState.LOST})


@dataclass(frozen=True)
class ReaderEvent:
    """What happened, with the card or the error, and when (``time.monotonic()``).

    For CARD_PLACED, ``found_at`` is when the poll that first found the card was sent.
    """

    kind: EventKind
    card: IdCard | None = None
    error: IdCardError | None = None
    at: float = field(default_factory=time.monotonic)
    found_at: float | None = None


Observer = Callable[[ReaderEvent], None]
ReaderOpener = Callable[[], IdCardReader]


class ReaderMonitor:
    """Owns one reader on its own thread; explicit :meth:`start` and :meth:`stop`."""

    def __init__(self, open_reader: ReaderOpener, *, poll_interval: float = 0.5,
                 reopen_interval: float = 1.0, lift_required: bool = False,
                 fingerprint: bool = False, appended_address: bool = True) -> None:
        self._open_reader = open_reader
        self._poll_interval = poll_interval
        self._reopen_interval = reopen_interval
        self._lift_required = lift_required
        self._fingerprint = fingerprint
        self._appended_address = appended_address
        self._observers: list[Observer] = []
        self._observers_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._card: IdCard | None = None
        self._error_reported = False
        self._reader_ok = False
        self._lost_reported = False

    # -- observers -----------------------------------------------------------------------
    def add_observer(self, observer: Observer) -> None:
        with self._observers_lock:
            self._observers.append(observer)

    def remove_observer(self, observer: Observer) -> None:
        with self._observers_lock:
            if observer in self._observers:
                self._observers.remove(observer)

    def _emit(self, event: ReaderEvent) -> None:
        log.info("idcard.event", extra={"ctx": {
            "event": event.kind.value,
            "card_type": event.card.card_type.value if event.card else None,
            "error": type(event.error).__name__ if event.error else None}})
        with self._observers_lock:
            observers = list(self._observers)
        for observer in observers:
            try:
                observer(event)
            except Exception:
                log.exception("idcard.observer_failed")

    # -- state seen from other threads ---------------------------------------------------
    @property
    def current_card(self) -> IdCard | None:
        """The card on the reader as last reported (None when none)."""
        return self._card

    @property
    def reader_ok(self) -> bool:
        return self._reader_ok

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the monitor is already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish (after the command in progress) and wait for it."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.error("idcard.monitor_stuck", extra={"ctx": {"timeout_s": timeout}})

    def __enter__(self) -> ReaderMonitor:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        reader: IdCardReader | None = None
        ever_connected = False
        try:
            while not self._stop.is_set():
                if reader is None:
                    reader = self._connect()
                    if reader is None:
                        self._stop.wait(self._reopen_interval)
                        continue
                    recovered = ever_connected or self._lost_reported
                    kind = EventKind.READER_BACK if recovered else EventKind.READER_READY
                    self._reader_ok, self._lost_reported, ever_connected = True, False, True
                    self._emit(ReaderEvent(kind))
                started = time.monotonic()
                try:
                    self._poll(reader, started)
                except ReaderError as exc:
                    reader.close()
                    reader = None
                    self._lose(exc)
                    continue
                self._stop.wait(max(0.0, self._poll_interval - (time.monotonic() - started)))
        finally:
            if reader is not None:
                reader.close()

    def _connect(self) -> IdCardReader | None:
        try:
            return self._open_reader()
        except IdCardError as exc:
            self._lose(exc)
            return None

    def _lose(self, exc: IdCardError) -> None:
        self._reader_ok = False
        if self._card is not None:
            self._card = None
            self._emit(ReaderEvent(EventKind.CARD_REMOVED))
        if not self._lost_reported:
            self._lost_reported = True
            log.warning("idcard.reader_lost", extra={"ctx": {"reason": type(exc).__name__}})
            self._emit(ReaderEvent(EventKind.READER_LOST, error=exc))

    def _poll(self, reader: IdCardReader, started: float) -> None:
        present = reader.find_card()
        if not present:
            self._error_reported = False
            if self._card is not None and not self._lift_required:
                self._card = None
                self._emit(ReaderEvent(EventKind.CARD_REMOVED))
            return
        if self._card is not None and not self._lift_required:
            return  # the same card is still lying there
        try:
            card = reader.read_found_card(fingerprint=self._fingerprint,
                                          appended_address=self._appended_address)
        except CardError as exc:
            if not self._error_reported:
                self._error_reported = True
                self._emit(ReaderEvent(EventKind.CARD_ERROR, error=exc))
            return
        self._error_reported = False
        if self._card is not None:
            # A lift-required reader found a card again: the earlier one was lifted.
            self._emit(ReaderEvent(EventKind.CARD_REMOVED))
        self._card = card
        self._emit(ReaderEvent(EventKind.CARD_PLACED, card=card, found_at=started))
