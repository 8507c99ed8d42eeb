"""The receipt printer's byte transport over the kernel's USB printer class (usblp)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import select
import struct
import time

from devices.printer.errors import PrinterNotReady
from devices.printer.status import PrinterState, PrinterStatus
from devices.printer.transports import Transport

LPGETSTATUS, LPABORT = 0x060B, 0x0604      # linux/lp.h


class UsbLpTransport(Transport):
    """The kernel's USB printer class (``/dev/usb/lpN``, usblp.c).

    Opened non-blocking: ``write()`` would otherwise block for ever while the printer is out
    of paper. ``LPABORT`` makes the driver fail such a write with ENOSPC instead. ``read()``
    works only on bidirectional printers (EINVAL otherwise); then status comes from
    ``LPGETSTATUS``, which cheap printers may report as a constant.
    """

    def __init__(self, path: str, name: str | None = None) -> None:
        super().__init__(name or f"file://{path}")
        self.path = path
        self._fd: int | None = None
        self.duplex = True

    def open(self) -> None:
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as exc:
            raise self._unavailable("cannot open the USB printer device", exc) from exc
        with contextlib.suppress(OSError):        # not usblp (tests use a pipe or a pty)
            fcntl.ioctl(self._fd, LPABORT, 1)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _handle(self) -> int:
        if self._fd is None:
            raise RuntimeError("transport is not open")
        return self._fd

    def lp_status(self) -> int | None:
        buf = bytearray(4)
        try:
            fcntl.ioctl(self._handle(), LPGETSTATUS, buf)
        except OSError:
            return None
        return int(struct.unpack("i", bytes(buf))[0]) & 0xFF

    def _write(self, data: bytes, timeout: float) -> None:
        fd, view, deadline = self._handle(), memoryview(data), time.monotonic() + timeout
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._unavailable("the printer stopped accepting data",
                                        TimeoutError(f"{len(view)} bytes left"))
            poller.poll(remaining * 1000)
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    status = PrinterStatus(PrinterState.PAPER_OUT, "the paper roll is empty")
                    raise PrinterNotReady("printer out of paper", "打印机缺纸", device=self.name,
                                          status=status) from exc
                raise self._unavailable("writing to the USB printer failed", exc) from exc

    def _read(self, timeout: float) -> bytes:
        fd = self._handle()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        if not poller.poll(max(0.0, timeout) * 1000):
            return b""
        try:
            return os.read(fd, 256)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno == errno.EINVAL:        # a one-way printer: no status channel
                self.duplex = False
                return b""
            raise self._unavailable("reading from the USB printer failed", exc) from exc
