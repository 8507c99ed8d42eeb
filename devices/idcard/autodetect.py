"""The reader on whichever serial port it is plugged into, when no port is configured.

:class:`AutoDetect` is a :data:`~devices.idcard.monitor.ReaderOpener`: the monitor calls it
on its own thread whenever it (re)connects, so detection never runs on a caller's thread
and a reader that comes later is picked up by the same retries that bring back an
unplugged one. It opens the port where it last found a reader; when it has none, or that
port no longer answers, it probes the serial ports (:func:`~.portscan.find_reader`) and
opens the first one with a reader. A search writes to every port, so it runs at most once
every ``rescan_interval`` seconds; in between the opener fails at once with
:class:`ReaderNotFound` and the monitor goes on reporting the reader lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection

from devices.idcard.commands import Timeouts
from devices.idcard.connect import connect
from devices.idcard.driver import IdCardReader
from devices.idcard.errors import IdCardError, ReaderNotFound
from devices.idcard.portscan import MAX_WORKERS, PortLister, find_reader, system_ports
from devices.serialurl import SerialUrl, is_serial_url, parse_serial_url

log = logging.getLogger(__name__)

#: seconds between two searches of all the serial ports
RESCAN_INTERVAL = 30.0


class AutoDetect:
    """Opens the ID-card reader on the first of ``ports()`` where one answers.

    ``skip`` names devices never to write to (the receipt printer's port), as paths or
    serial URLs; other URLs (``tcp://``) are not serial ports and are ignored.
    """

    def __init__(self, ports: PortLister = system_ports, *, skip: Collection[str] = (),
                 rescan_interval: float = RESCAN_INTERVAL, timeouts: Timeouts | None = None,
                 workers: int = MAX_WORKERS, clock: Callable[[], float] = time.monotonic,
                 ) -> None:
        self._ports = ports
        self._skip = [parse_serial_url(url).path for url in skip
                      if url and is_serial_url(url)]
        self._rescan_interval = rescan_interval
        self._timeouts = timeouts
        self._workers = workers
        self._clock = clock
        self._cancel = threading.Event()
        self._next_search: float | None = None       # None: search at the next call
        self._port: str | None = None

    @property
    def port(self) -> str | None:
        """Where a reader was last found (None before the first find)."""
        return self._port

    def cancel(self) -> None:
        """Stop a search in progress (ports not yet probed are left alone) and any later
        one: call before stopping the monitor, so that it does not wait for a whole scan."""
        self._cancel.set()

    def __call__(self) -> IdCardReader:
        if self._port is not None:
            try:
                return connect(self._port, timeouts=self._timeouts)
            except IdCardError:
                if not self._search_due():
                    raise
        elif not self._search_due():
            raise self._not_found()
        return self._search()

    def _search_due(self) -> bool:
        return not self._cancel.is_set() and (
            self._next_search is None or self._clock() >= self._next_search)

    def _search(self) -> IdCardReader:
        self._next_search = self._clock() + self._rescan_interval
        found = find_reader(self._ports(), skip=self._skip, timeouts=self._timeouts,
                            workers=self._workers, cancel=self._cancel)
        if found is None:
            raise self._not_found()
        log.info("idcard.autodetected", extra={"ctx": {
            "device": found.port, "baudrate": found.baudrate,
            "sam_id": str(found.sam_id) if found.sam_id else None}})
        self._port = found.port
        return connect(SerialUrl(found.port, found.baudrate), timeouts=self._timeouts)

    def _not_found(self) -> ReaderNotFound:
        every = f"{self._rescan_interval:g}"
        return ReaderNotFound(
            f"No ID-card reader answers on any serial port (searched every {every} s); "
            "check the reader's cable and power, or configure its port.",
            f"所有串口上都没有身份证阅读器应答（每 {every} 秒查找一次），"
            "请检查阅读器的连接线和电源，或配置其端口。")
