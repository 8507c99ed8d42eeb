"""How long ``kiosk devices list`` spends probing serial ports for an ID-card reader.

Real ptys in a temporary directory: ports with nothing attached (every speed times out)
and emulated readers (timing model on) at 115200 and at 9600 bit/s (found at the last
speed tried). Each set is listed the way ``kiosk devices list`` does it now (the ports
probed in parallel, 0.3 s per speed) and the way it did before (one port after another,
0.4 s per speed), and the two must agree on what answers.

    .venv/bin/python bench/idcard_discovery.py [--bare N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from devices.idcard import Timeouts  # noqa: E402
from devices.idcard.emulator import IdCardEmulator, load_profiles  # noqa: E402
from devices.idcard.portscan import ports_matching, probe_port  # noqa: E402
from kiosk.config import DevicesConfig  # noqa: E402
from kiosk.technician.discovery import serial_ports  # noqa: E402
from seeds import seeds_dir  # noqa: E402

BEFORE = Timeouts(probe=0.4)


def measure(label: str, pattern: str) -> None:
    listed = ports_matching(pattern)
    started = time.monotonic()
    before = [probe_port(p, timeouts=BEFORE) for p in listed()]
    sequential = time.monotonic() - started
    started = time.monotonic()
    after = serial_ports(DevicesConfig(), listed)["ports"]
    parallel = time.monotonic() - started
    old = [(p.port, p.baudrate) for p in before]
    new = [(p["path"], p["idcard"].get("baudrate")) for p in after]
    assert old == new, (old, new)
    found = [b for _, b in new if b]
    print(f"{label:<34} before {sequential:5.2f} s   after {parallel:5.2f} s   "
          f"readers at {found or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare", type=int, default=4, help="ptys with nothing attached")
    args = parser.parse_args()
    profiles = load_profiles(seeds_dir() / "residents.toml")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        fds: list[int] = []
        for i in range(args.bare):
            master, slave = os.openpty()
            fds += [master, slave]
            (root / f"ttyBARE{i}").symlink_to(os.ttyname(slave))
        emulators = [IdCardEmulator(profiles, link_path=root / "ttyEMU0"),
                     IdCardEmulator(profiles, link_path=root / "ttyEMU1", baudrate=9600)]
        for emulator in emulators:
            emulator.start()
        try:
            measure(f"{args.bare} ptys, nothing attached", str(root / "ttyBARE*"))
            measure("2 emulators (115200, 9600)", str(root / "ttyEMU*"))
            measure(f"all {args.bare + 2}", str(root / "tty*"))
        finally:
            for emulator in emulators:
                emulator.stop()
            for fd in fds:
                os.close(fd)


if __name__ == "__main__":
    main()
