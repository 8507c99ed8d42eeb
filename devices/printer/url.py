"""Printer URLs (docs: ../shared/specs/cli.md) → transports.

``serial:///dev/ttyUSB0?baud=115200&flow=rtscts`` serial (a bare path means this too);
``tcp://192.0.2.10:9100?connect_timeout=3`` network printer; ``file:///dev/usb/lp0`` or
``usb:///dev/usb/lp0`` USB printer class (a character device); ``file:///tmp/job.bin`` any
other path is a recording: the job is appended to it and there is no status channel.
Serial URLs are parsed by :mod:`devices.serialurl`, shared with the ID-card readers.
"""

from __future__ import annotations

import os
import stat
from urllib.parse import parse_qs, unquote, urlsplit

from devices.printer.errors import PrinterUrlError
from devices.printer.transports import (
    FLOW_CONTROLS,
    FileTransport,
    SerialTransport,
    TcpTransport,
    Transport,
)
from devices.printer.usblp import UsbLpTransport
from devices.serialurl import is_serial_url, parse_serial_url

DEFAULT_BAUD = 9600
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)


def _query(url: str, query: str, allowed: set[str]) -> dict[str, str]:
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    unknown = set(params) - allowed
    if unknown:
        raise PrinterUrlError(url, f"unknown option(s) {', '.join(sorted(unknown))}; "
                              f"allowed: {', '.join(sorted(allowed)) or 'none'}")
    return params


def transport_for(url: str) -> Transport:
    """The transport a printer URL names; :class:`PrinterUrlError` says what is wrong."""
    if not url:
        raise PrinterUrlError(url, "no printer configured")
    if is_serial_url(url):
        try:
            serial_url = parse_serial_url(url)
        except ValueError as exc:
            raise PrinterUrlError(url, str(exc)) from exc
        unknown = set(serial_url.options) - {"flow"}
        if unknown:
            raise PrinterUrlError(url, f"unknown option(s) {', '.join(sorted(unknown))}; "
                                  "allowed: baud, flow")
        baud = serial_url.baudrate or DEFAULT_BAUD
        if baud not in BAUD_RATES:
            raise PrinterUrlError(url, f"baud must be one of {BAUD_RATES}")
        flow = serial_url.options.get("flow", "none")
        if flow not in FLOW_CONTROLS:
            raise PrinterUrlError(url, f"flow must be one of {FLOW_CONTROLS}")
        return SerialTransport(serial_url.path, baud, flow, name=url)
    parts = urlsplit(url)
    if parts.scheme == "tcp":
        params = _query(url, parts.query, {"connect_timeout"})
        try:
            host, port = parts.hostname, parts.port or 9100
            timeout = float(params.get("connect_timeout", 3.0))
        except ValueError as exc:
            raise PrinterUrlError(url, str(exc)) from exc
        if not host or not 0 < timeout <= 60:
            raise PrinterUrlError(url, "expected tcp://HOST[:PORT], connect_timeout 0-60 s")
        return TcpTransport(host, port, timeout, name=url)
    if parts.scheme in ("file", "usb"):
        _query(url, parts.query, set())
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/"):
            raise PrinterUrlError(url, f"expected {parts.scheme}:///absolute/path")
        try:
            is_device = stat.S_ISCHR(os.stat(path).st_mode)
        except OSError:
            is_device = False
        if parts.scheme == "usb" or is_device:
            return UsbLpTransport(path, name=url)
        return FileTransport(path, name=url)
    raise PrinterUrlError(url, "use serial://, tcp://HOST:9100, file:// or a device path")
