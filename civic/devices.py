"""The words the platform API uses for a terminal's devices (``POST /v1/heartbeat``): the
fleet view's vocabulary, shared by the terminal that reports and the platform that checks.

The drivers re-export them where their own states are these (``devices.printer``,
``devices.readers``); the sandbox validates heartbeats against them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PrinterState", "ReaderHealth"]


class PrinterState(StrEnum):
    """A receipt printer's state (printing.md §1.9; the heartbeat's ``printer.state``)."""

    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"     # print, but raise a maintenance alert
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"                       # cutter jam or another fault; detail says which
    OFFLINE = "offline"                   # no answer at all

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.OK, PrinterState.PAPER_NEAR_END)


class ReaderHealth(StrEnum):
    """A card reader as the heartbeat reports it (``devices.idcard``, ``devices.smartcard``).

    The terminal decides between ``absent`` and ``error`` for a reader that does not answer:
    none was ever found, or the one that was found (or configured) has gone."""

    OK = "ok"          # a reader is there and answers
    ABSENT = "absent"  # no reader attached (or none found yet)
    ERROR = "error"    # the configured (or once found) reader does not answer
