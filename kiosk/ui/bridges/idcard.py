"""The ID-card reader monitor's events, moved onto the GUI thread as signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from devices.idcard import EventKind, ReaderEvent, ReaderMonitor
from devices.idcard.monitor import READER_STATES


class IdCardBridge(QObject):
    placed = Signal(object)          # IdCard
    removed = Signal()
    failed = Signal(object)          # IdCardError (zh/en user_message)
    reader_state = Signal(object)    # devices.readers.ReaderState: OK | LOST

    def __init__(self, monitor: ReaderMonitor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        monitor.add_observer(self._on_event)   # runs on the idcard-monitor thread

    def _on_event(self, event: ReaderEvent) -> None:
        # Signals emitted here are queued to the GUI thread (the receivers live there).
        if event.kind is EventKind.CARD_PLACED:
            self.placed.emit(event.card)
        elif event.kind is EventKind.CARD_REMOVED:
            self.removed.emit()
        elif event.kind is EventKind.CARD_ERROR:
            self.failed.emit(event.error)
        elif event.kind in READER_STATES:
            self.reader_state.emit(READER_STATES[event.kind])

    def start(self) -> None:
        self.monitor.start()

    def stop(self) -> None:
        self.monitor.stop()
