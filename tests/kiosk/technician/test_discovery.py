"""The serial part of device discovery over real ptys: what answers, and what is never probed."""

from __future__ import annotations

import time
from pathlib import Path

from devices.idcard.emulator import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles
from devices.idcard.portscan import ports_matching
from kiosk import config as kiosk_config
from kiosk.technician import discovery
from seeds import seeds_dir
from tests.devices.idcard.conftest import bare_ptys

RESIDENTS = seeds_dir() / "residents.toml"


def test_listing_probes_ports_in_parallel_but_never_the_printer_s(tmp_path: Path) -> None:
    """Three empty ports and a reader are listed in about one empty port's probe time; the
    receipt printer's port, configured under another name for the same device, is listed
    as the printer's and not written to."""
    profiles = load_profiles(RESIDENTS)
    with IdCardEmulator(profiles, link_path=tmp_path / "ttyS3", pacing=False) as reader, \
            IdCardEmulator(profiles, link_path=tmp_path / "ttyS4", pacing=False) as printer, \
            bare_ptys(tmp_path, "ttyS0", "ttyS1", "ttyS2"):
        alias = tmp_path / "by-id-printer"
        alias.symlink_to(printer.device_path)
        devices = kiosk_config.DevicesConfig(receipt_printer=f"serial://{alias}?baud=9600")
        started = time.monotonic()
        found = discovery.serial_ports(devices, ports_matching(str(tmp_path / "ttyS*")))
        elapsed = time.monotonic() - started
        assert not printer.commands
    ports = {Path(p["path"]).name: p for p in found["ports"]}
    assert list(ports) == ["ttyS0", "ttyS1", "ttyS2", "ttyS3", "ttyS4"]
    assert ports["ttyS3"]["idcard"]["answers"] and ports["ttyS3"]["idcard"]["baudrate"] == 115200
    assert reader.commands
    assert [ports[n]["idcard"]["answers"] for n in ("ttyS0", "ttyS1", "ttyS2")] == [False] * 3
    assert ports["ttyS4"]["configured_as"] == "receipt_printer" and "idcard" not in ports["ttyS4"]
    assert elapsed < 3.0, elapsed          # one after another: 3 x 1.5 s
