"""Finding the reader behind a port: open it, detect its speed, check its SAM.

The port is looked up by its path every time (after a replug a USB adapter may come back
under the same stable path, e.g. a udev symlink, but it is a new device), and each speed is
tried on a freshly opened port, in the order vendor SDKs use (spec id-cards.md 1.1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from devices.idcard import commands as C
from devices.idcard.driver import IdCardReader
from devices.idcard.errors import ProtocolError, ReaderTimeout
from devices.idcard.transport import ReaderTransport, SerialReaderTransport
from devices.serialurl import SerialUrl, parse_serial_url

log = logging.getLogger(__name__)

TransportFactory = Callable[[str, int], ReaderTransport]


def connect(url: str | SerialUrl, *, timeouts: C.Timeouts | None = None,
            baudrates: Sequence[int] = C.BAUD_RATES,
            transport_factory: TransportFactory = SerialReaderTransport,
            max_rf_bytes: int | None = None) -> IdCardReader:
    """An open reader on ``url`` whose SAM answered "ready".

    A speed in the URL (``?baud=115200``) is the only one tried; otherwise each of
    ``baudrates`` in turn, and the first that gets a well-formed answer wins. Raises
    PortError (cannot open), ReaderTimeout (nothing answers at any speed), SamFaultError
    (the reader answers but its SAM is faulty). ValueError for a malformed URL.
    """
    target = url if isinstance(url, SerialUrl) else parse_serial_url(url)
    timeouts = timeouts or C.Timeouts()
    speeds = (target.baudrate,) if target.baudrate else tuple(baudrates)
    for speed in speeds:
        reader = IdCardReader(transport_factory(target.path, speed), timeouts=timeouts)
        reader.open()
        try:
            reader.sam_status(timeout=timeouts.probe, retries=0)
        except (ReaderTimeout, ProtocolError):
            reader.close()
            continue
        except BaseException:
            reader.close()
            raise
        try:
            _identify(reader, max_rf_bytes)
        except BaseException:
            reader.close()
            raise
        return reader
    tried = ", ".join(str(s) for s in speeds)
    raise ReaderTimeout(
        f"No ID-card reader answers on {target.path} (tried {tried} bit/s); check that the "
        "reader is powered and connected to this port.",
        f"端口 {target.path} 上没有身份证阅读器应答（已尝试 {tried} bit/s），"
        "请检查阅读器电源和连接的端口。", device=target.path)


def _identify(reader: IdCardReader, max_rf_bytes: int | None) -> None:
    try:
        reader.sam_identity = reader.sam_id()
    except ProtocolError:
        reader.sam_identity = None  # some modules do not answer it; not needed to read cards
    if max_rf_bytes is not None:
        reader.set_max_rf_bytes(max_rf_bytes)
    log.info("idcard.connected", extra={"ctx": {
        "device": reader.device, "baudrate": reader.baudrate,
        "sam_id": str(reader.sam_identity) if reader.sam_identity else None}})
