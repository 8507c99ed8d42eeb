"""Byte transports to a receipt printer: serial, TCP 9100, file (the USB printer class is
:mod:`devices.printer.usblp`).

Each is a tiny core (``_write``, ``_read``) under one interface; the protocol (status
queries, jobs) lives once in :mod:`devices.printer.printer`. This module is the single
boundary where ``OSError``, ``socket`` errors and ``serial.SerialException`` become
:mod:`devices.printer.errors`. Open one per job and close it afterwards: printers on TCP
serve one connection at a time, and no handle is ever kept across a failure.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from types import TracebackType

import serial

from devices.printer.errors import PrinterUnavailable
from devices.printer.status import PrinterState, PrinterStatus

FLOW_CONTROLS = ("none", "rtscts", "xonxoff")


class Transport(ABC):
    """A connection to one printer. ``duplex`` is False when replies cannot be read."""

    duplex: bool = True

    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _write(self, data: bytes, timeout: float) -> None: ...

    @abstractmethod
    def _read(self, timeout: float) -> bytes:
        """Whatever arrives within ``timeout`` (at least one byte, or b'' on time-out)."""

    def seconds_to_send(self, size: int) -> float:
        """How long ``size`` bytes take on the wire (0 when the link is not the bottleneck)."""
        return 0.0

    def lp_status(self) -> int | None:
        """The IEEE-1284 status byte, where the transport has one (USB printer class)."""
        return None

    def reset_input(self) -> None:
        """Drop stale bytes (old replies, ASB) so they are not taken for answers."""
        while self.duplex and self._read(0.0):
            pass

    def write(self, data: bytes, timeout: float = 10.0) -> None:
        self._write(data, timeout)

    def read_byte(self, deadline: float, accept: Callable[[int], bool]) -> int | None:
        """The first byte that ``accept`` matches before ``deadline``; others are skipped."""
        if not self.duplex:
            return None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            for byte in self._read(remaining):
                if accept(byte):
                    return byte

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _unavailable(self, what: str, exc: BaseException) -> PrinterUnavailable:
        return PrinterUnavailable(f"printer {self.name}: {what}: {exc}",
                                  f"打印机无法连接（{what}）", device=self.name,
                                  status=PrinterStatus(PrinterState.OFFLINE, f"{what}: {exc}"))


class SerialTransport(Transport):
    """RS-232 or USB-serial (pyserial). ``port`` is a device path or a pyserial URL.

    ``flow``: "rtscts" when printer-DTR is wired to host-CTS (Linux has no DSR/DTR
    handshake), "xonxoff" when the printer is set to it, else "none" (printing.md §1.9).
    """

    def __init__(self, port: str, baudrate: int = 9600, flow: str = "none",
                 name: str | None = None) -> None:
        super().__init__(name or port)
        if flow not in FLOW_CONTROLS:
            raise ValueError(f"flow control is one of {FLOW_CONTROLS}")
        self.port, self.baudrate, self.flow = port, baudrate, flow
        self._serial: serial.SerialBase | None = None

    def open(self) -> None:
        try:
            self._serial = serial.serial_for_url(
                self.port, baudrate=self.baudrate, bytesize=8, parity="N", stopbits=1,
                rtscts=self.flow == "rtscts", xonxoff=self.flow == "xonxoff", dsrdtr=False,
                timeout=0, write_timeout=10.0, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise self._unavailable("cannot open the serial port", exc) from exc

    def close(self) -> None:
        if self._serial is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                self._serial.close()
            self._serial = None

    def _port(self) -> serial.SerialBase:
        if self._serial is None:
            raise RuntimeError("transport is not open")
        return self._serial

    def seconds_to_send(self, size: int) -> float:
        return size * 10 / self.baudrate            # 8N1: ten bits a byte

    def reset_input(self) -> None:
        try:
            self._port().reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise self._unavailable("the serial port failed", exc) from exc

    def _write(self, data: bytes, timeout: float) -> None:
        port = self._port()
        try:
            port.write_timeout = timeout
            port.write(data)
        except serial.SerialTimeoutException as exc:
            raise self._unavailable("the printer stopped accepting data", exc) from exc
        except (serial.SerialException, OSError) as exc:
            raise self._unavailable("writing to the serial port failed", exc) from exc

    def _read(self, timeout: float) -> bytes:
        port = self._port()
        try:
            port.timeout = timeout
            first = bytes(port.read(1))
            if first and port.in_waiting:
                first += bytes(port.read(port.in_waiting))
            return first
        except (serial.SerialException, OSError) as exc:
            raise self._unavailable("reading from the serial port failed", exc) from exc


class TcpTransport(Transport):
    """A network printer on TCP 9100: connect per job, time-outs on everything."""

    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0,
                 name: str | None = None) -> None:
        super().__init__(name or f"tcp://{host}:{port}")
        self.host, self.port, self.connect_timeout = host, port, connect_timeout
        self._sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), self.connect_timeout)
        except OSError as exc:
            raise self._unavailable("cannot connect", exc) from exc

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise RuntimeError("transport is not open")
        return self._sock

    def seconds_to_send(self, size: int) -> float:
        return size / 1_000_000

    def _write(self, data: bytes, timeout: float) -> None:
        sock = self._socket()
        try:
            sock.settimeout(timeout)
            sock.sendall(data)
        except OSError as exc:
            raise self._unavailable("sending to the printer failed", exc) from exc

    def _read(self, timeout: float) -> bytes:
        sock = self._socket()
        try:
            ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
            if not ready:
                return b""
            data = sock.recv(256)
        except OSError as exc:
            raise self._unavailable("reading from the printer failed", exc) from exc
        if not data:
            raise self._unavailable("the printer closed the connection",
                                    ConnectionResetError("EOF"))
        return data


class FileTransport(Transport):
    """Appends the job to a file: a recording, or a device that needs no handshake."""

    duplex = False

    def __init__(self, path: str, name: str | None = None) -> None:
        super().__init__(name or f"file://{path}")
        self.path = path
        self._fd: int | None = None

    def open(self) -> None:
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise self._unavailable("cannot open the file", exc) from exc

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _write(self, data: bytes, timeout: float) -> None:
        if self._fd is None:
            raise RuntimeError("transport is not open")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view):]
        except OSError as exc:
            raise self._unavailable("writing the file failed", exc) from exc

    def _read(self, timeout: float) -> bytes:
        return b""
