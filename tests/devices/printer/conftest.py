"""Fixtures for the receipt-printer tests: a real emulator on a pty and on TCP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.printer import PrinterProfile, ReceiptPrinter, get_profile, transport_for
from devices.printer.emulator.server import PrinterEmulator


@pytest.fixture
def emulator() -> Iterator[PrinterEmulator]:
    with PrinterEmulator() as emu:
        yield emu


@pytest.fixture
def profile80() -> PrinterProfile:
    return get_profile("generic-80")


def printer_at(url: str, profile: PrinterProfile, job_timeout: float = 1.0) -> ReceiptPrinter:
    """A driver for ``url`` with short time-outs, as the tests want them."""
    return ReceiptPrinter(lambda: transport_for(url), profile, status_timeout=0.3,
                          job_timeout=job_timeout)


def wait_until(predicate, timeout: float = 3.0) -> bool:
    """Poll ``predicate`` until it holds or the deadline passes (the emulator is a thread)."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
