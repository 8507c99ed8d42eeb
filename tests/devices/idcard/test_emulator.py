"""The emulated reader itself: the SAM state machine of the spec, profiles, pty behaviour."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from devices.idcard import CardType, connect
from devices.idcard.emulator import CardState, IdCardEmulator, IdCardProfile, SamModel
from devices.idcard.emulator.sam import SamBehaviour
from devices.idcard.frames import PREAMBLE, FrameCommand, build_command, wire_time
from devices.idcard.transport import SerialReaderTransport
from tests.devices.idcard.conftest import FAST

FIND, SELECT, READ, STATUS = (0x20, 0x01), (0x20, 0x02), (0x30, 0x01), (0x11, 0xFF)
NORMAL = SamBehaviour()


def _do(model: SamModel, key: tuple[int, int], behaviour: SamBehaviour = NORMAL) -> int:
    return model.handle(FrameCommand(key[0], key[1], b""), behaviour).sw3


@pytest.mark.parametrize(("state", "expected"), [
    # state:          11 FF, 20 01, 20 02, 30 01   (spec 1.6)
    (CardState.NO_CARD, (0x90, 0x80, 0x81, 0x41)),
    (CardState.CARD_PRESENT, (0x90, 0x9F, 0x81, 0x41)),
    (CardState.FOUND, (0x90, 0x9F, 0x90, 0x41)),
    (CardState.SELECTED, (0x90, 0x9F, 0x90, 0x90)),
    (CardState.READ_DONE, (0x90, 0x9F, 0x81, 0x41)),
])
def test_state_table_of_the_spec(profiles: dict[str, IdCardProfile], state: CardState,
                                 expected: tuple[int, ...]) -> None:
    """Each command answers as the spec's table says in each state (fresh model per command)."""
    got = []
    for key in (STATUS, FIND, SELECT, READ):
        model = SamModel()
        if state is not CardState.NO_CARD:
            model.place(profiles["R001"])
        model.state = state
        got.append(_do(model, key))
    assert tuple(got) == expected


def test_transitions_through_a_read_cycle(profiles: dict[str, IdCardProfile]) -> None:
    """place → find → select → read walks CARD_PRESENT → FOUND → SELECTED → READ_DONE."""
    model = SamModel()
    model.place(profiles["R002"])
    assert model.state is CardState.CARD_PRESENT
    assert _do(model, FIND) == 0x9F and model.state is CardState.FOUND
    assert _do(model, SELECT) == 0x90 and model.state is CardState.SELECTED
    assert _do(model, READ) == 0x90 and model.state is CardState.READ_DONE
    lifted = SamBehaviour(lift_required=True)
    assert _do(model, FIND, lifted) == 0x80 and model.state is CardState.READ_DONE
    assert _do(model, FIND) == 0x9F and model.state is CardState.FOUND


def test_sam_fault_answers_60_to_everything(profiles: dict[str, IdCardProfile]) -> None:
    """With the SAM fault switch every known command gets SW3 60."""
    model = SamModel()
    model.place(profiles["R001"])
    fault = SamBehaviour(sam_fault=True)
    assert {_do(model, k, fault) for k in (STATUS, FIND, SELECT, READ, (0x12, 0xFF))} == {0x60}


def test_every_card_type_and_validity_kind_is_in_the_profiles(
        profiles: dict[str, IdCardProfile]) -> None:
    """The seeds give all four card types, long-term and dated validity, an appended address."""
    assert {p.card_type for p in profiles.values()} == set(CardType)
    texts = [p.text for p in profiles.values()]
    assert any("长期".encode("utf-16-le") in t for t in texts)
    assert any(p.appended_address for p in profiles.values())
    assert all(len(p.text) == 256 and len(p.photo) == 1024 for p in profiles.values())
    assert "R001" in repr(profiles["R001"]) and "张" not in repr(profiles["R001"])


def test_unplug_removes_the_link_and_replug_makes_a_new_pty(emulator: IdCardEmulator,
                                                           link: Path) -> None:
    """The stable link follows the pty: gone while unplugged, back (to a live pty) after."""
    first = os.readlink(link)
    emulator.unplug()
    assert not link.exists() and not emulator.plugged
    emulator.replug()
    assert link.is_symlink() and os.readlink(link).startswith("/dev/pts/")
    assert first.startswith("/dev/pts/")
    with connect(str(link), timeouts=FAST) as reader:
        assert reader.find_card() is False


def _raw_reply(path: str, frame: bytes, size: int) -> tuple[bytes, float]:
    transport = SerialReaderTransport(path)
    transport.open()
    try:
        started = time.monotonic()
        transport.write(frame)
        got = b""
        deadline = started + 5
        while len(got) < size and time.monotonic() < deadline:
            got += transport.read(0.1)
        return got, time.monotonic() - started
    finally:
        transport.close()


def test_garbage_switch_puts_noise_before_the_preamble(emulator: IdCardEmulator) -> None:
    """With garbage on, bytes that are not the preamble come before each reply."""
    emulator.set_faults(garbage_before_preamble=True)
    got, _ = _raw_reply(emulator.device_path, build_command(0x11, 0xFF), 14)
    start = got.find(PREAMBLE)
    assert start > 0 and got[start:].startswith(PREAMBLE)


def test_pacing_takes_at_least_the_wire_time(profiles: dict[str, IdCardProfile],
                                             tmp_path: Path) -> None:
    """With the timing model on, a 1295-byte read reply needs at least its wire time at 115200."""
    with IdCardEmulator(profiles, link_path=tmp_path / "tty", pacing=True) as emu:
        emu.place("R001")
        with connect(emu.device_path, timeouts=FAST) as reader:
            assert reader.find_card()
            reader.select_card()
        frame = build_command(0x30, 0x01)
        got, elapsed = _raw_reply(emu.device_path, frame, 1295)
        assert len(got) == 1295
        assert elapsed >= wire_time(1295, 115200) * 0.95
