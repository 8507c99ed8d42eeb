"""Serial device URLs: ``serial:///dev/ttyUSB0?baud=115200`` or a bare path.

Shared by every serial device (ID-card readers, serial receipt printers). Only the
``serial`` scheme and bare paths are handled here; other schemes (``tcp://``, ``file://``)
belong to the devices that support them, so :func:`is_serial_url` lets a caller decide
before parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qsl, unquote, urlsplit

SCHEME = "serial"
_BAUD_KEYS = ("baud", "baudrate")


@dataclass(frozen=True)
class SerialUrl:
    """A serial port: its device path, the speed if one was given, and any other options."""

    path: str
    baudrate: int | None = None
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __str__(self) -> str:
        query = f"?baud={self.baudrate}" if self.baudrate else ""
        extra = "&".join(f"{k}={v}" for k, v in self.options.items())
        if extra:
            query = f"{query}&{extra}" if query else f"?{extra}"
        return f"{SCHEME}://{self.path}{query}"


def is_serial_url(url: str) -> bool:
    """True for ``serial://...`` and for a bare path (no scheme)."""
    scheme = urlsplit(url).scheme
    return scheme in ("", SCHEME) or url.startswith("/")


def parse_serial_url(url: str) -> SerialUrl:
    """Parse ``serial:///dev/ttyUSB0?baud=115200`` or ``/dev/ttyUSB0``.

    Raises ValueError naming the problem (not a serial URL, no path, bad speed).
    """
    url = url.strip()
    if not url:
        raise ValueError("empty serial port URL")
    if not urlsplit(url).scheme or url.startswith("/"):
        return SerialUrl(path=url)
    parts = urlsplit(url)
    if parts.scheme != SCHEME:
        raise ValueError(f"{url!r} is not a serial port: expected serial:///dev/... "
                         "or a device path")
    # serial:///dev/ttyUSB0 has an empty host; serial://dev/ttyUSB0 is a common slip.
    path = unquote(parts.path if not parts.netloc else f"/{parts.netloc}{parts.path}")
    if not path or path == "/":
        raise ValueError(f"{url!r} names no device path")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    baudrate = None
    for key in _BAUD_KEYS:
        if key in query:
            raw = query.pop(key)
            if not raw.isdigit() or int(raw) <= 0:
                raise ValueError(f"{url!r}: the speed must be a positive whole number, "
                                 f"got {raw!r}")
            baudrate = int(raw)
    return SerialUrl(path=path, baudrate=baudrate, options=MappingProxyType(query))
