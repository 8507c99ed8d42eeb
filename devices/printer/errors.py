"""Errors of the receipt-printer driver.

DeviceError (devices.errors)
└── PrinterError                 a receipt printer cannot do what was asked
    ├── PrinterUrlError          the printer URL cannot be used (names the URL and why)
    ├── PrinterUnavailable       state ``offline``: no answer, unplugged, wrong port or baud
    ├── PrinterNotReady          state ``paper_out``, ``cover_open`` or ``error``: refused
    │                            before sending anything, so nothing is half printed
    └── PrintJobFailed           the job was sent but did not complete; the rest of it was
                                 discarded at the printer; reprint the whole slip later

Every error carries the :class:`~devices.printer.status.PrinterStatus` that explains it
(``status``) when one is known. ``OSError``, ``serial.SerialException`` and socket errors
are translated into these in :mod:`devices.printer.transports` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.errors import DeviceError

if TYPE_CHECKING:
    from devices.printer.status import PrinterStatus

_CALL_STAFF_ZH = "暂停服务，请联系工作人员"


class PrinterError(DeviceError):
    """A receipt printer failed in a way a person can act on."""

    def __init__(self, en: str, zh: str = "", *, device: str = "",
                 status: PrinterStatus | None = None) -> None:
        super().__init__(en, zh, device=device)
        self.status = status


class PrinterUrlError(PrinterError):
    """The printer URL is malformed or names an unsupported transport."""

    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"printer URL {url!r} cannot be used: {why}",
                         f"打印机地址 {url!r} 无效：{why}", device=url)


class PrinterUnavailable(PrinterError):
    """The printer does not answer (unpowered, unplugged, wrong port, baud or address)."""


class PrinterNotReady(PrinterError):
    """The printer answered but cannot print now; the job was not sent."""


class PrintJobFailed(PrinterError):
    """A job was sent but did not complete; what the printer still held was discarded."""


def call_staff_zh(what: str) -> str:
    """The Chinese message for a citizen: what happened, then who can fix it."""
    return f"{what}，{_CALL_STAFF_ZH}"
