"""The terminal's card readers as one part: the ID-card reader on its serial port and the
PC/SC readers, each watched by its monitor thread and moved to the GUI thread by a bridge.

A mode connects its slots once (:meth:`CardReaders.connect`); the readers can then be
paused while a technician tests them (a port has one owner at a time) and resumed with the
settings the technician saved, the bridges rebuilt and the same slots connected again.
Reader states are reported into the fleet's :class:`~kiosk.fleet.DeviceStates`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.fleet import DeviceStates
    from kiosk.ui.bridges.idcard import IdCardBridge
    from kiosk.ui.bridges.invoker import GuiInvoker
    from kiosk.ui.bridges.smartcard import SmartCardBridge

log = logging.getLogger(__name__)

#: the signals a mode may connect to; each bridge has those it has (``reader_state`` is
#: the ID-card reader's "ok" | "lost", ``reading`` the PC/SC reader's)
SIGNALS = ("placed", "removed", "failed", "reading", "reader_state")


class CardReaders:
    def __init__(self, invoker: GuiInvoker, states: DeviceStates, *, use_pcsc: bool,
                 allow_virtual: bool) -> None:
        self._invoker, self._states = invoker, states
        self._use_pcsc, self._allow_virtual = use_pcsc, allow_virtual
        self.idcard: IdCardBridge | None = None
        self.smartcard: SmartCardBridge | None = None
        self._idcard_url = ""
        self._slots: list[tuple[str, Callable[..., Any]]] = []

    def connect(self, signal: str, slot: Callable[..., Any]) -> None:
        """``slot`` receives ``signal`` from every reader that has it, now and after a
        resume."""
        if signal not in SIGNALS:
            raise ValueError(f"no reader signal {signal!r}; one of {SIGNALS}")
        self._slots.append((signal, slot))
        for bridge in self._bridges():
            self._attach(bridge, signal, slot)

    def build(self, idcard_url: str) -> None:
        """The bridges (not started): the ID-card reader at ``idcard_url`` if set, and the
        PC/SC readers when pyscard and its library are there."""
        self._idcard_url = idcard_url
        if idcard_url:
            self.idcard = self._idcard_bridge(idcard_url)
        else:
            self._states.report_idcard("absent")
        if self._use_pcsc:
            self.smartcard = self._smartcard_bridge()

    def start(self) -> None:
        for bridge in self._bridges():
            bridge.start()

    def stop(self) -> None:
        for bridge in self._bridges():
            bridge.stop()

    def resume(self, idcard_url: str) -> None:
        """Start again after :meth:`stop`, at ``idcard_url`` (the technician may have
        changed it). The bridges are new: a stopped bridge's read worker is gone."""
        if idcard_url != self._idcard_url:
            log.info("readers.idcard_changed", extra={"ctx": {"configured": bool(idcard_url)}})
        self.idcard = self.smartcard = None
        self.build(idcard_url)
        self.start()

    # -- building ------------------------------------------------------------------------
    def _bridges(self) -> list[Any]:
        return [b for b in (self.idcard, self.smartcard) if b is not None]

    def _attach(self, bridge: Any, signal: str, slot: Callable[..., Any]) -> None:
        if hasattr(bridge, signal):
            getattr(bridge, signal).connect(slot)

    def _wire(self, bridge: Any) -> Any:
        for signal, slot in self._slots:
            self._attach(bridge, signal, slot)
        return bridge

    def _idcard_bridge(self, url: str) -> IdCardBridge:
        from devices.idcard import ReaderMonitor, connect
        from kiosk.ui.bridges.idcard import IdCardBridge

        bridge = IdCardBridge(ReaderMonitor(lambda: connect(url)))
        states = self._states
        # the fleet's words: a configured reader that does not answer is an error
        bridge.reader_state.connect(
            lambda state: states.report_idcard("ok" if state == "ok" else "error"))
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
