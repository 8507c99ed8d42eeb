"""Probing many serial ports at once for a reader, through real ptys and the emulator."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from devices.idcard import Timeouts
from devices.idcard.emulator import IdCardEmulator, IdCardProfile
from devices.idcard.portscan import find_reader, ports_matching, probe_ports, same_port
from tests.devices.idcard.conftest import bare_ptys

PROBE = Timeouts(probe=0.3)
ONE_EMPTY_PORT = 5 * PROBE.probe      # every speed tried, none answers


def test_ports_are_probed_side_by_side(tmp_path: Path, emulator: IdCardEmulator) -> None:
    """Four empty ports and a reader take about as long as one empty port, not five, and
    each result stays with its port, in the order given."""
    with bare_ptys(tmp_path, "ttyA", "ttyB", "ttyC", "ttyD") as empty:
        ports = [str(p) for p in empty[:2]] + [emulator.device_path] \
            + [str(p) for p in empty[2:]]
        started = time.monotonic()
        probes = probe_ports(ports, timeouts=PROBE)
        elapsed = time.monotonic() - started
    assert [p.port for p in probes] == ports
    assert [p.answers for p in probes] == [False, False, True, False, False]
    assert probes[2].baudrate == 115200 and probes[2].sam_id is not None
    assert "No ID-card reader answers" in (probes[0].problem or "")
    assert elapsed < 2 * ONE_EMPTY_PORT, elapsed


def test_find_reader_takes_the_first_answering_port_and_never_a_skipped_one(
        tmp_path: Path, profiles: dict[str, IdCardProfile]) -> None:
    """Of two readers the first in order wins; a port named in ``skip`` (even through
    another name for the same device) is not opened at all."""
    with IdCardEmulator(profiles, link_path=tmp_path / "ttyR1", pacing=False) as first, \
            IdCardEmulator(profiles, link_path=tmp_path / "ttyR2", baudrate=9600,
                           pacing=False) as second, \
            bare_ptys(tmp_path, "ttyR0"):
        ports = ports_matching(str(tmp_path / "ttyR*"))()
        found = find_reader(ports, timeouts=PROBE)
        assert found is not None and (found.port, found.baudrate) == (first.device_path,
                                                                        115200)
        alias = tmp_path / "printer-by-id"
        alias.symlink_to(first.device_path)
        assert same_port(str(alias), first.device_path)
        first.commands.clear()
        found = find_reader(ports, skip=[str(alias)], timeouts=PROBE)
        assert found is not None and (found.port, found.baudrate) == (second.device_path,
                                                                        9600)
        assert not first.commands


def test_a_stopped_search_opens_no_more_ports(tmp_path: Path,
                                              emulator: IdCardEmulator) -> None:
    """Once the search is cancelled, ports not yet probed are reported as such, unopened."""
    cancel = threading.Event()
    cancel.set()
    (probe,) = probe_ports([emulator.device_path], cancel=cancel)
    assert not probe.answers and "stopped" in (probe.problem or "")
    assert not emulator.commands


def test_ports_matching_keeps_pattern_order_and_names_each_path_once(tmp_path: Path) -> None:
    """Patterns are a priority order; inside one, paths are sorted; duplicates dropped."""
    for name in ("ttyUSB1", "ttyUSB0", "ttyACM0"):
        (tmp_path / name).touch()
    lister = ports_matching(str(tmp_path / "ttyUSB*"), str(tmp_path / "tty*"))
    assert lister() == [str(tmp_path / n) for n in ("ttyUSB0", "ttyUSB1", "ttyACM0")]
    assert ports_matching(str(tmp_path / "none*"))() == []
