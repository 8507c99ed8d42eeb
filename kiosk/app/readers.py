"""The terminal's card readers as one part: the ID-card reader on its serial port and the
PC/SC readers, each watched by its monitor thread and moved to the GUI thread by a bridge.

With no ID-card port configured the reader is auto-detected: the monitor's opener
(:class:`devices.idcard.AutoDetect`) searches the serial ports on the monitor's thread, at
once and then every ``rescan_s`` seconds until a reader answers, never on the receipt
printer's port. Until then the reader is reported lost to the mode and ``absent`` to the
fleet (``error`` once a reader was found and has gone). The bridge exists from the start,
so a mode that takes it at build time (agent mode) gets the cards of a reader found later.

A mode connects its slots once (:meth:`CardReaders.connect`); the readers can then be
paused while a technician tests them (a port has one owner at a time) and resumed with the
settings the technician saved, the bridges rebuilt and the same slots connected again.
Reader states are reported into the fleet's :class:`~kiosk.fleet.DeviceStates`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from devices.idcard.autodetect import RESCAN_INTERVAL
from devices.readers import ReaderHealth, ReaderState

if TYPE_CHECKING:
    from devices.idcard import AutoDetect
    from devices.idcard.portscan import PortLister
    from kiosk.fleet import DeviceStates
    from kiosk.ui.bridges.idcard import IdCardBridge
    from kiosk.ui.bridges.invoker import GuiInvoker
    from kiosk.ui.bridges.smartcard import SmartCardBridge

log = logging.getLogger(__name__)
Bridge = TypeVar("Bridge")

class ReaderSignal(StrEnum):
    """What a mode may connect to; each bridge has those it has (the value is the Qt
    signal's name on the bridges)."""

    PLACED = "placed"                # a card was read: its model
    REMOVED = "removed"              # the card was taken away
    FAILED = "failed"                # a card could not be read: the error
    READING = "reading"              # a card is being read (the PC/SC reader says so)
    READER_STATE = "reader_state"    # the ID-card reader answers or not: a ReaderState


class CardReaders:
    def __init__(self, invoker: GuiInvoker, states: DeviceStates, *, use_pcsc: bool,
                 allow_virtual: bool, scan: PortLister | None = None,
                 rescan_s: float = RESCAN_INTERVAL) -> None:
        """``scan`` lists the ports auto-detection probes (default: the system's serial
        ports); ``rescan_s`` is the time between two searches."""
        self._invoker, self._states = invoker, states
        self._use_pcsc, self._allow_virtual = use_pcsc, allow_virtual
        self._scan, self._rescan_s = scan, rescan_s
        self.idcard: IdCardBridge | None = None
        self.smartcard: SmartCardBridge | None = None
        self._idcard_url = ""
        self._finder: AutoDetect | None = None
        self._slots: list[tuple[ReaderSignal, Callable[..., Any]]] = []

    def connect(self, signal: ReaderSignal, slot: Callable[..., Any]) -> None:
        """``slot`` receives ``signal`` from every reader that has it, now and after a
        resume."""
        self._slots.append((signal, slot))
        for bridge in self._bridges():
            self._attach(bridge, signal, slot)

    def build(self, idcard_url: str, *, skip_ports: Collection[str] = ()) -> None:
        """The bridges (not started): the ID-card reader at ``idcard_url``, or auto-detected
        when it is empty (never probing ``skip_ports``: pass the receipt printer's URL),
        and the PC/SC readers when pyscard and its library are there."""
        self._idcard_url = idcard_url
        self.idcard = self._idcard_bridge(idcard_url, skip_ports)
        if self._use_pcsc:
            self.smartcard = self._smartcard_bridge()

    def start(self) -> None:
        for bridge in self._bridges():
            bridge.start()

    def stop(self) -> None:
        if self._finder is not None:
            self._finder.cancel()          # a search in progress would delay the join
        for bridge in self._bridges():
            bridge.stop()

    def resume(self, idcard_url: str, *, skip_ports: Collection[str] = ()) -> None:
        """Start again after :meth:`stop`, at ``idcard_url`` (the technician may have
        changed it). The bridges are new: a stopped bridge's read worker is gone."""
        if idcard_url != self._idcard_url:
            log.info("readers.idcard_changed", extra={"ctx": {"configured": bool(idcard_url)}})
        self.idcard = self.smartcard = None
        self.build(idcard_url, skip_ports=skip_ports)
        self.start()

    # -- building ------------------------------------------------------------------------
    def _bridges(self) -> list[Any]:
        return [b for b in (self.idcard, self.smartcard) if b is not None]

    def _attach(self, bridge: Any, signal: ReaderSignal, slot: Callable[..., Any]) -> None:
        if hasattr(bridge, signal):
            getattr(bridge, signal).connect(slot)

    def _wire(self, bridge: Bridge) -> Bridge:
        for signal, slot in self._slots:
            self._attach(bridge, signal, slot)
        return bridge

    def _idcard_bridge(self, url: str, skip_ports: Collection[str]) -> IdCardBridge:
        from devices.idcard import AutoDetect, ReaderMonitor, connect
        from devices.idcard.portscan import system_ports
        from kiosk.ui.bridges.idcard import IdCardBridge

        finder = None if url else AutoDetect(self._scan or system_ports, skip=skip_ports,
                                             rescan_interval=self._rescan_s)
        self._finder = finder
        if finder is not None:
            self._states.report_idcard(ReaderHealth.ABSENT)
        bridge = IdCardBridge(ReaderMonitor(
            finder if finder is not None else (lambda: connect(url))))
        states = self._states

        def report(state: ReaderState) -> None:
            # the fleet's words: a configured (or once found) reader that does not answer
            # is an error; no reader found yet is "absent"
            gone = ReaderHealth.ERROR if finder is None or finder.port is not None \
                else ReaderHealth.ABSENT
            states.report_idcard(ReaderHealth.OK if state is ReaderState.OK else gone)
        bridge.reader_state.connect(report)
        return self._wire(bridge)

    def _smartcard_bridge(self) -> SmartCardBridge | None:
        try:
            from devices.smartcard.monitor import PcscMonitor
            from kiosk.ui.bridges.smartcard import SmartCardBridge
        except ImportError:                    # pyscard without a PC/SC library
            return None
        allow = self._allow_virtual
        bridge = SmartCardBridge(PcscMonitor(allow_virtual=allow), self._invoker,
                                 allow_virtual=allow)
        bridge.pcsc_state.connect(self._states.report_smartcard)
        return self._wire(bridge)
