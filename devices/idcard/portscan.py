"""Which serial ports have an ID-card reader: many ports probed at once.

Probing a port is :func:`~devices.idcard.connect` without a speed: the port is opened at
each speed in turn and asked "SAM status", so a port with nothing on it costs one probe
time-out per speed. Ports do not depend on one another, so a bounded pool of threads probes
them side by side (each port has a single prober: it is opened exclusively) and a scan
takes about as long as its slowest port instead of the sum of all of them.

Probing writes the reader's frames to every port it opens: leave out (``skip``) any port
whose device would act on them; a receipt printer would print them.
"""

from __future__ import annotations

import glob
import os
import threading
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from devices.idcard.commands import Timeouts
from devices.idcard.connect import connect
from devices.idcard.driver import SamId
from devices.idcard.errors import IdCardError

#: ports probed at the same time. The probes wait on time-outs, not on the CPU; the bound
#: keeps the open file handles and threads few on a machine with many (virtual) ports.
MAX_WORKERS = 8

#: the serial ports to look at, best first
PortLister = Callable[[], list[str]]


@dataclass(frozen=True)
class PortProbe:
    """What answered on one port: a reader's speed and SAM, or why nothing usable did."""

    port: str
    baudrate: int | None = None
    sam_id: SamId | None = None
    problem: str | None = None     # English, for a technician; None when a reader answers

    @property
    def answers(self) -> bool:
        return self.problem is None


def system_ports() -> list[str]:
    """The machine's serial ports as pyserial finds them (USB adapters, ACM devices, UARTs
    with hardware behind them), sorted by path."""
    from serial.tools import list_ports

    return sorted(info.device for info in list_ports.comports())


def ports_matching(*patterns: str) -> PortLister:
    """A lister of the paths matching shell patterns (``/dev/ttyUSB*``), pattern by pattern,
    each pattern's matches sorted; a path matched twice is kept at its first place."""
    def ports() -> list[str]:
        found = (path for pattern in patterns for path in sorted(glob.glob(pattern)))
        return list(dict.fromkeys(found))
    return ports


def same_port(a: str, b: str) -> bool:
    """True when two paths name one device (a udev symlink and its ``/dev/ttyUSB0``)."""
    return a == b or os.path.realpath(a) == os.path.realpath(b)


def probe_port(port: str, *, timeouts: Timeouts | None = None) -> PortProbe:
    """Whether an ID-card reader answers on ``port`` (a path or URL); nothing is left open."""
    try:
        reader = connect(port, timeouts=timeouts)
    except ValueError as exc:
        return PortProbe(port, problem=str(exc))
    except IdCardError as exc:
        return PortProbe(port, problem=exc.en)
    with reader:
        return PortProbe(port, baudrate=reader.baudrate, sam_id=reader.sam_identity)


def probe_ports(ports: Sequence[str], *, timeouts: Timeouts | None = None,
                workers: int = MAX_WORKERS,
                cancel: threading.Event | None = None) -> list[PortProbe]:
    """:func:`probe_port` for each of ``ports``, in parallel; the results in their order.

    Once ``cancel`` is set, ports not started yet are reported as not probed (the ones
    being probed finish: at most one probe time-out per speed). Returns when every probe
    has ended, so no probing thread outlives the call.
    """
    stop = cancel or threading.Event()

    def probe(port: str) -> PortProbe:
        if stop.is_set():
            return PortProbe(port, problem="not probed: the search was stopped")
        return probe_port(port, timeouts=timeouts)

    if len(ports) <= 1:
        return [probe(port) for port in ports]
    with ThreadPoolExecutor(max_workers=min(workers, len(ports)),
                            thread_name_prefix="idcard-probe") as pool:
        return list(pool.map(probe, ports))


def find_reader(ports: Sequence[str], *, skip: Collection[str] = (),
                timeouts: Timeouts | None = None, workers: int = MAX_WORKERS,
                cancel: threading.Event | None = None) -> PortProbe | None:
    """The first of ``ports`` (in their order) where a reader answers, leaving out those
    naming the same device as one in ``skip``; None when no port has one."""
    candidates = [p for p in ports if not any(same_port(p, s) for s in skip)]
    probes = probe_ports(candidates, timeouts=timeouts, workers=workers, cancel=cancel)
    return next((probe for probe in probes if probe.answers), None)
