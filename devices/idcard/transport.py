"""Byte transports below the ID-card protocol: the one boundary where OS errors come in.

A transport moves bytes and nothing else; the protocol lives once in
:class:`~devices.idcard.driver.IdCardReader`. :class:`SerialReaderTransport` drives a serial port
through pyserial (RS-232, USB virtual COM ports, and the emulator's pseudo-terminal) and
translates ``serial.SerialException``, ``OSError`` and ``termios.error`` into the driver's
errors, closing the port first: a handle is never kept across a failure.
"""

from __future__ import annotations

import contextlib
import errno
import termios
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import serial

from devices.idcard.errors import PortError, ReaderDisconnected

DEFAULT_BAUDRATE = 115200


class ReaderTransport(Protocol):
    """What the protocol needs from a link to the reader."""

    @property
    def name(self) -> str: ...

    @property
    def baudrate(self) -> int: ...

    @property
    def is_open(self) -> bool: ...

    def open(self) -> None: ...

    def close(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def read(self, timeout: float) -> bytes:
        """Whatever arrives within ``timeout`` seconds (returns early once bytes came)."""
        ...

    def reset_input(self) -> None:
        """Discard bytes received and not yet read."""
        ...

    def set_baudrate(self, baudrate: int) -> None: ...


def _open_hint(exc: BaseException) -> tuple[str, str]:
    code = getattr(exc, "errno", None)
    if code == errno.ENOENT:
        return ("the device does not exist: check the cable and the port name",
                "设备不存在：请检查连接线和端口名称")
    if code in (errno.EACCES, errno.EPERM):
        return ("permission denied: the service user needs the 'dialout' group",
                "没有权限：运行账户需要加入 dialout 组")
    if code in (errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK):
        return ("the port is in use by another program", "端口正被其他程序占用")
    return (f"{exc}", f"{exc}")


class SerialReaderTransport:
    """A serial port at 8N1, no flow control, opened exclusively."""

    def __init__(self, path: str, baudrate: int = DEFAULT_BAUDRATE) -> None:
        self._path = path
        self._baudrate = baudrate
        self._port: serial.Serial | None = None

    @property
    def name(self) -> str:
        return self._path

    @property
    def baudrate(self) -> int:
        return self._baudrate

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def open(self) -> None:
        if self._port is not None:
            return
        port = serial.Serial(baudrate=self._baudrate, bytesize=serial.EIGHTBITS,
                             parity=serial.PARITY_NONE, stopbits=serial.STOPBITS_ONE,
                             xonxoff=False, rtscts=False, dsrdtr=False, timeout=0,
                             exclusive=True)
        port.port = self._path
        try:
            port.open()
        except (serial.SerialException, OSError, termios.error) as exc:
            en, zh = _open_hint(exc)
            raise PortError(f"Cannot open the ID-card reader port {self._path}: {en}.",
                            f"无法打开身份证阅读器端口 {self._path}：{zh}。",
                            device=self._path) from exc
        self._port = port

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            # The device may already be gone; there is nothing left to release then.
            with contextlib.suppress(serial.SerialException, OSError, termios.error):
                port.close()

    @contextmanager
    def _io(self) -> Iterator[serial.Serial]:
        if self._port is None:
            raise ReaderDisconnected(f"The ID-card reader port {self._path} is not open.",
                                     f"身份证阅读器端口 {self._path} 未打开。", device=self._path)
        try:
            yield self._port
        except (serial.SerialException, OSError, termios.error) as exc:
            self.close()
            raise ReaderDisconnected(
                f"The ID-card reader on {self._path} stopped responding to the system "
                "(unplugged or powered off?); check its cable and power.",
                f"身份证阅读器（{self._path}）已断开（拔出或断电？），请检查连接线和电源。",
                device=self._path) from exc

    def write(self, data: bytes) -> None:
        with self._io() as port:
            port.write(data)
            port.flush()

    def read(self, timeout: float) -> bytes:
        with self._io() as port:
            port.timeout = max(0.0, timeout)
            first = bytes(port.read(1))
            if not first:
                return b""
            waiting = port.in_waiting
            return first + (bytes(port.read(waiting)) if waiting else b"")

    def reset_input(self) -> None:
        with self._io() as port:
            port.reset_input_buffer()

    def set_baudrate(self, baudrate: int) -> None:
        self._baudrate = baudrate
        if self._port is not None:
            with self._io() as port:
                port.baudrate = baudrate
