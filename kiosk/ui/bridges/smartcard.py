"""The PC/SC monitor's card events as signals; a placed card is read on the ``pcsc-read``
worker (never on the GUI thread nor on the monitor's own thread, which must keep watching)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QObject, Signal

from devices.readers import ReaderHealth
from devices.smartcard.errors import SmartCardError
from devices.smartcard.monitor import CardPresence, PcscMonitor
from devices.smartcard.pcsc import PcscContext
from devices.smartcard.service import read_card
from kiosk.ui.bridges.invoker import GuiInvoker, Worker


class SmartCardBridge(QObject):
    reading = Signal()
    placed = Signal(object)          # SocialSecurityCard
    removed = Signal()
    failed = Signal(object)          # SmartCardError (zh/en user_message)
    pcsc_state = Signal(object)      # devices.readers.ReaderHealth: OK (a PC/SC reader is
                                     # attached) | ABSENT

    def __init__(self, monitor: PcscMonitor, invoker: GuiInvoker, *,
                 allow_virtual: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self._allow_virtual = allow_virtual
        self._worker = Worker("pcsc-read", invoker)
        self._readers: set[str] = set()      # touched on the pcsc-monitor thread only
        monitor.add_observer(self)

    # PcscObserver, called on the pcsc-monitor thread
    def readers_changed(self, added: Sequence[str], removed: Sequence[str]) -> None:
        self._readers = (self._readers | set(added)) - set(removed)
        self.pcsc_state.emit(ReaderHealth.OK if self._readers else ReaderHealth.ABSENT)

    def cards_changed(self, inserted: Sequence[CardPresence],
                      removed: Sequence[CardPresence]) -> None:
        if removed:
            self.removed.emit()
        for presence in inserted:
            self.reading.emit()
            self._worker.submit(partial(self._read, presence.reader), self._deliver)

    def _read(self, reader: str) -> object:
        try:
            with PcscContext(allow_virtual=self._allow_virtual) as context:
                return read_card(context, reader, timeout=3.0)
        except SmartCardError as exc:
            return exc

    def _deliver(self, result: object) -> None:
        if isinstance(result, SmartCardError):
            self.failed.emit(result)
        else:
            self.placed.emit(result)

    def start(self) -> None:
        self.monitor.start()

    def stop(self) -> None:
        self.monitor.stop()
        self._worker.close()
