"""Printer status: the states of printing.md §1.9 and how DLE EOT replies map to them.

``PrinterState`` is the value the CLI prints and the screens show. ``interpret`` is a pure
function of the four DLE EOT replies (``None`` where a query was not needed or not
answered); ``query_status`` runs the §1.9 sequence over a transport.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from civic.devices import PrinterState as PrinterState  # the API's words, re-exported
from devices.printer.commands import status_query


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state.value, "detail": self.detail}


# Masks of printing.md §1.8 for telling replies apart from one another.
def is_rt_status(b: int) -> bool:
    """A DLE EOT reply: 0xx1xx10."""
    return (b & 0x93) == 0x12


def is_gs_r_reply(b: int) -> bool:
    """A GS r reply: 0xx0xxxx."""
    return (b & 0x90) == 0


def interpret(n1: int | None, n2: int | None = None, n3: int | None = None,
              n4: int | None = None) -> PrinterStatus:
    """The state that DLE EOT 1-4 replies describe (§1.7, §1.9)."""
    if n1 is None:
        return PrinterStatus(PrinterState.OFFLINE, "no answer to a status query: check power, "
                             "cable, port and baud rate")
    if n1 & 0x08:
        if n2 is not None:
            if n2 & 0x04:
                return PrinterStatus(PrinterState.COVER_OPEN, "the printer cover is open")
            if n2 & 0x20:
                return PrinterStatus(PrinterState.PAPER_OUT, "the paper roll is empty")
            if n2 & 0x40:
                return PrinterStatus(PrinterState.ERROR, _error_detail(n3))
        if n4 is not None and (n4 & 0x60) == 0x60:
            return PrinterStatus(PrinterState.PAPER_OUT, "the paper roll is empty")
        return PrinterStatus(PrinterState.OFFLINE, "the printer reports itself offline")
    if n4 is not None and (n4 & 0x60) == 0x60:
        return PrinterStatus(PrinterState.PAPER_OUT, "the paper roll is empty")
    if n4 is not None and (n4 & 0x0C) == 0x0C:
        return PrinterStatus(PrinterState.PAPER_NEAR_END, "the paper roll is nearly empty")
    return PrinterStatus(PrinterState.OK, "")


def _error_detail(n3: int | None) -> str:
    if n3 is None:
        return "the printer reports an error (cause not reported)"
    if n3 & 0x08:
        return "auto-cutter error (paper jammed in the cutter)"
    if n3 & 0x20:
        return "unrecoverable error: power-cycle the printer or call for service"
    if n3 & 0x40:
        return "auto-recoverable error (e.g. print head overheated): wait and retry"
    if n3 & 0x04:
        return "mechanical error"
    return "the printer reports an error (unknown cause)"


def lp_status(byte: int) -> PrinterStatus:
    """The IEEE-1284 status byte of LPGETSTATUS (one-way USB printers)."""
    if byte & 0x20:
        return PrinterStatus(PrinterState.PAPER_OUT, "the paper roll is empty (1284 status)")
    if not byte & 0x10:
        return PrinterStatus(PrinterState.OFFLINE, "the printer is not selected (1284 status)")
    if not byte & 0x08:
        return PrinterStatus(PrinterState.ERROR, "the printer reports an error (1284 status)")
    return PrinterStatus(PrinterState.OK, "status from the 1284 port (no paper-level sensor)")


class Duplex(Protocol):
    def reset_input(self) -> None: ...
    def write(self, data: bytes) -> None: ...
    def read_byte(self, deadline: float, accept: Callable[[int], bool]) -> int | None: ...


def query_status(port: Duplex, timeout: float = 0.5) -> PrinterStatus:
    """Run §1.9 "before the job": DLE EOT 1, then 2 (and 3) if offline, then 4."""
    def ask(n: int) -> int | None:
        port.write(status_query(n))
        return port.read_byte(time.monotonic() + timeout, is_rt_status)

    port.reset_input()
    n1 = ask(1)
    if n1 is None:
        return interpret(None)
    n2 = n3 = None
    if n1 & 0x08:
        n2 = ask(2)
        if n2 is not None and n2 & 0x40 and not n2 & 0x24:
            n3 = ask(3)
    n4 = ask(4)
    return interpret(n1, n2, n3, n4)
