"""Receipt printers (ESC/POS): document model, encoder, transports, status and an emulator.

``ReceiptPrinter(lambda: transport_for(url), get_profile("generic-80"))`` prints a
:class:`Receipt`; see ``docs/printing.md``.
"""

from __future__ import annotations

from devices.printer.elements import (
    Align,
    Barcode128,
    Feed,
    Paragraph,
    QrCode,
    Raster,
    Receipt,
    Row,
    Separator,
)
from devices.printer.encoder import Encoder, encode
from devices.printer.errors import (
    PrinterError,
    PrinterNotReady,
    PrinterUnavailable,
    PrinterUrlError,
    PrintJobFailed,
)
from devices.printer.printer import JobResult, ReceiptPrinter
from devices.printer.profiles import PrinterProfile, get_profile, profile_names
from devices.printer.status import PrinterState, PrinterStatus
from devices.printer.url import transport_for

__all__ = [
    "Align",
    "Barcode128",
    "Encoder",
    "Feed",
    "JobResult",
    "Paragraph",
    "PrintJobFailed",
    "PrinterError",
    "PrinterNotReady",
    "PrinterProfile",
    "PrinterState",
    "PrinterStatus",
    "PrinterUnavailable",
    "PrinterUrlError",
    "QrCode",
    "Raster",
    "Receipt",
    "ReceiptPrinter",
    "Row",
    "Separator",
    "encode",
    "get_profile",
    "profile_names",
    "transport_for",
]
