"""The application's card readers with no ID-card port configured: the reader is found on
whichever serial port it answers, through real ptys, the emulator and the Qt bridge."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.idcard.emulator import IdCardEmulator, IdCardProfile, load_profiles
from kiosk.app.readers import CardReaders, ReaderSignal
from kiosk.fleet import DeviceStates
from seeds import seeds_dir
from tests.devices.idcard.conftest import CountingPorts, bare_ptys

WAIT = 10_000


@pytest.fixture(scope="module")
def profiles() -> dict[str, IdCardProfile]:
    return load_profiles(seeds_dir() / "residents.toml")


@pytest.fixture
def states() -> DeviceStates:
    return DeviceStates()


@pytest.fixture
def make_readers(qtbot: Any, states: DeviceStates) -> Iterator[Any]:
    from kiosk.ui.bridges.invoker import GuiInvoker

    invoker = GuiInvoker()
    made: list[CardReaders] = []

    def make(scan: CountingPorts) -> CardReaders:
        readers = CardReaders(invoker, states, use_pcsc=False, allow_virtual=False,
                              scan=scan, rescan_s=0.3)
        made.append(readers)
        return readers
    yield make
    for readers in made:
        readers.stop()
    invoker.close()


def test_a_reader_plugged_in_later_is_found_and_its_card_reaches_the_mode(
        qtbot: Any, tmp_path: Path, profiles: dict[str, IdCardProfile], states: DeviceStates,
        make_readers: Any) -> None:
    """Nothing configured and no reader yet: lost to the mode, absent to the fleet. A
    reader plugged in behind a port with nothing on it is found by a later search, its
    card reaches the mode's slot, and its loss is then an error for the fleet."""
    seen: dict[ReaderSignal, list[Any]] = {ReaderSignal.PLACED: [], ReaderSignal.READER_STATE: []}
    readers = make_readers(CountingPorts(tmp_path))
    for signal, received in seen.items():
        readers.connect(signal, received.append)
    with bare_ptys(tmp_path, "ttyA"):
        readers.build("")
        assert readers.idcard is not None          # agent mode takes it at build time
        readers.start()
        qtbot.waitUntil(lambda: seen[ReaderSignal.READER_STATE] == ["lost"], timeout=WAIT)
        assert states.snapshot()["idcard"] == "absent"
        with IdCardEmulator(profiles, link_path=tmp_path / "ttyB", pacing=False) as emulator:
            qtbot.waitUntil(lambda: seen[ReaderSignal.READER_STATE][-1:] == ["ok"], timeout=WAIT)
            assert states.snapshot()["idcard"] == "ok"
            emulator.place("R001")
            qtbot.waitUntil(lambda: len(seen[ReaderSignal.PLACED]) == 1, timeout=WAIT)
            assert seen[ReaderSignal.PLACED][0].card_type.value == "resident"
        qtbot.waitUntil(lambda: seen[ReaderSignal.READER_STATE][-1:] == ["lost"], timeout=WAIT)
        assert states.snapshot()["idcard"] == "error"


def test_the_receipt_printer_s_port_is_never_probed(
        qtbot: Any, tmp_path: Path, profiles: dict[str, IdCardProfile], make_readers: Any,
        states: DeviceStates) -> None:
    """Searches go on, but a device on the printer's port gets no byte, even when the
    printer is configured by another name of that device."""
    scan = CountingPorts(tmp_path)
    readers = make_readers(scan)
    with IdCardEmulator(profiles, link_path=tmp_path / "ttyPRN", pacing=False) as printer:
        alias = tmp_path / "by-id-printer"
        alias.symlink_to(printer.device_path)
        readers.build("", skip_ports=[f"serial://{alias}?baud=19200"])
        readers.start()
        qtbot.waitUntil(lambda: scan.calls >= 3, timeout=WAIT)
        assert not printer.commands
        assert states.snapshot()["idcard"] == "absent"


def test_stopping_does_not_wait_for_a_whole_search(
        qtbot: Any, tmp_path: Path, make_readers: Any) -> None:
    """Stopped in the middle of a search of 16 empty ports (two rounds of eight, 3 s),
    the readers stop once the ports being probed are done."""
    scan = CountingPorts(tmp_path)
    readers = make_readers(scan)
    with bare_ptys(tmp_path, *(f"tty{i:02d}" for i in range(16))):
        readers.build("")
        readers.start()
        qtbot.waitUntil(lambda: scan.calls == 1, timeout=WAIT)
        started = time.monotonic()
        readers.stop()
        elapsed = time.monotonic() - started
    assert elapsed < 2.2, elapsed
