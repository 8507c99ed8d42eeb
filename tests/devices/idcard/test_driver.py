"""The driver through a real pty against the emulated reader: every card type, every fault."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from devices.idcard import LONG_TERM, CardType, IdCardReader, connect
from devices.idcard.emulator import IdCardEmulator, IdCardProfile
from devices.idcard.errors import (
    CardReadError,
    ChecksumError,
    PortError,
    ProtocolError,
    ReaderDisconnected,
    ReaderTimeout,
    SamFaultError,
)
from devices.idcard.frames import FrameReader, Reply, build_command
from devices.idcard.transport import SerialReaderTransport
from tests.devices.idcard.conftest import FAST


@pytest.mark.parametrize(("ref", "kind"), [
    ("R001", CardType.RESIDENT), ("F001", CardType.FOREIGN_PERMANENT),
    ("F002", CardType.FOREIGN_PERMANENT_2023), ("H001", CardType.HMT_RESIDENCE),
])
def test_every_card_type_reads_through_the_pty(emulator: IdCardEmulator, reader: IdCardReader,
                                               ref: str, kind: CardType) -> None:
    """find → select → read returns the demo resident's card with its type and photo."""
    emulator.place(ref)
    card = reader.read_card()
    assert card is not None and card.card_type is kind
    assert card.photo == emulator.profiles[ref].photo


def test_card_fields_of_each_type(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """The type-specific fields come through: nationality, English names, pass number, counts."""
    emulator.place("F001")
    f1 = reader.read_card()
    assert f1 is not None
    assert (f1.name, f1.name_en, f1.nationality) == ("史密斯", "SMITH JOHN WILLIAM", "USA")
    assert (f1.id_number, f1.card_version, f1.authority_code) == ("USA330175070401", "01", "3300")
    assert f1.birth_date == dt.date(1975, 7, 4) and f1.nation is None and f1.address is None
    emulator.place("F002")
    f2 = reader.read_card()
    assert f2 is not None
    assert f2.name_en == "GARCIA LOPEZ MARIA DE LOS ANGELES FERNANDA"
    assert (f2.nationality, f2.renewal_count, f2.id_number_valid) == ("ESP", "00", True)
    emulator.place("H002")
    h = reader.read_card()
    assert h is not None
    assert (h.pass_number, h.issue_count, h.nation, h.issuer) == (
        "12345678", "02", None, "杭州市公安局余杭分局")
    assert h.valid_until == dt.date(2027, 8, 1)


def test_appended_address_is_read_when_the_card_has_one(emulator: IdCardEmulator,
                                                        reader: IdCardReader) -> None:
    """R006 carries an appended address (SW3 90); R001 has none (SW3 91 → None)."""
    emulator.place("R006")
    card = reader.read_card()
    assert card is not None and card.appended_address == "浙江省杭州市临平区南苑街道藕花洲大街88号"
    emulator.place("R001")
    card = reader.read_card()
    assert card is not None and card.appended_address is None and card.valid_until is LONG_TERM


def test_empty_appended_address_as_90_without_data(emulator: IdCardEmulator,
                                                   reader: IdCardReader) -> None:
    """Readers that answer 90 with no data for 'no appended address' give None too."""
    emulator.set_faults(empty_appended_as_90=True)
    emulator.place("R002")
    card = reader.read_card()
    assert card is not None and card.appended_address is None


def test_no_card_is_a_normal_state(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """With no card (or the no-card switch) find is False and read_card is None, not an error."""
    assert reader.find_card() is False and reader.read_card() is None
    emulator.place("R001")
    emulator.set_faults(no_card=True)
    assert reader.read_card() is None
    emulator.set_faults(no_card=False)
    assert reader.read_card() is not None


def test_fingerprint_read_with_and_without_fingerprints(
        emulator: IdCardEmulator, reader: IdCardReader,
        profiles: dict[str, IdCardProfile]) -> None:
    """30 10 returns the 1024-byte fingerprint block, or an empty one (fpLen 0)."""
    import dataclasses
    emulator.place(dataclasses.replace(profiles["R003"], fingerprint=bytes(range(256)) * 4))
    card = reader.read_card(fingerprint=True)
    assert card is not None and card.fingerprint == bytes(range(256)) * 4
    emulator.place("R004")
    card = reader.read_card(fingerprint=True)
    assert card is not None and card.fingerprint is None and card.name == "赵桂兰"


def test_sam_id_and_settings(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """SAM ID prints in the SDK form; reset, max-RF-bytes and management info work."""
    assert str(reader.sam_id()) == "05.01-123456789-3221971278-0000001234"
    assert reader.sam_identity == reader.sam_id()
    reader.set_max_rf_bytes(0x50)
    assert emulator.max_rf_bytes == 0x50
    reader.reset_sam()
    emulator.place("R001")
    assert reader.find_card()
    reader.select_card()
    assert len(reader.read_management_info()) == 28


def test_sam_fault_is_a_maintenance_error(emulator: IdCardEmulator, link: Path) -> None:
    """SW3 60 at connect (or later) raises SamFaultError with an actionable message."""
    emulator.set_faults(sam_fault=True)
    with pytest.raises(SamFaultError) as info:
        connect(str(link), timeouts=FAST)
    assert info.value.sw3 == 0x60 and "维护" in info.value.zh and "maintenance" in info.value.en
    emulator.set_faults(sam_fault=False)
    with connect(str(link), timeouts=FAST) as reader:
        emulator.set_faults(sam_fault=True)
        with pytest.raises(SamFaultError):
            reader.find_card()


@pytest.mark.parametrize("switch", ["fragmented", "garbage_before_preamble"])
def test_fragmented_and_noisy_replies_still_read(emulator: IdCardEmulator, reader: IdCardReader,
                                                 switch: str) -> None:
    """Replies in random pieces, or behind garbage and partial preambles, parse the same."""
    emulator.set_faults(**{switch: True})
    for ref in ("R013", "F002", "H001"):
        emulator.place(ref)
        card = reader.read_card()
        assert card is not None and card.photo == emulator.profiles[ref].photo


def test_slow_replies_within_and_beyond_the_time_out(emulator: IdCardEmulator,
                                                     reader: IdCardReader) -> None:
    """A slow SAM still reads; one slower than the time-out raises ReaderTimeout, port closed."""
    emulator.place("R005")
    emulator.set_faults(reply_delay=0.15)
    assert reader.read_card() is not None
    emulator.set_faults(reply_delay=FAST.short + 0.3)
    with pytest.raises(ReaderTimeout) as info:
        reader.find_card()
    assert "did not answer" in info.value.en and not reader.is_open


def test_corrupted_reply_is_retried_once(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """One reply with a bad checksum is retried transparently; two in a row raise ChecksumError."""
    emulator.place("R001")
    emulator.set_faults(corrupt_replies=1)
    assert reader.read_card() is not None
    emulator.set_faults(corrupt_replies=2)
    with pytest.raises(ChecksumError):
        reader.find_card()


def test_card_removed_mid_read(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """A card pulled away during the read gives CardReadError (re-place), then no card."""
    emulator.place("R009")
    emulator.set_faults(remove_during_read=True)
    with pytest.raises(CardReadError) as info:
        reader.read_card()
    assert info.value.sw3 == 0x41 and "重新" in info.value.zh
    assert reader.find_card() is False


def test_lift_required_reader(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """A must-lift reader finds a read card no more until it is placed again."""
    emulator.set_faults(lift_required=True)
    emulator.place("R010")
    assert reader.read_card() is not None
    assert reader.find_card() is False
    emulator.place("R010")
    assert reader.find_card() is True


def test_normal_reader_finds_a_card_that_stays(emulator: IdCardEmulator,
                                               reader: IdCardReader) -> None:
    """Without the switch, a card left on the reader is found again after a read."""
    emulator.place("R010")
    assert reader.read_card() is not None
    assert reader.find_card() is True


def test_select_without_a_card_is_a_card_error(reader: IdCardReader) -> None:
    """SW3 81 for select maps to CardReadError with the status kept."""
    with pytest.raises(CardReadError) as info:
        reader.select_card()
    assert info.value.sw3 == 0x81


@pytest.mark.parametrize("speed", [57600, 9600])
def test_baud_rate_is_detected(profiles: dict[str, IdCardProfile], tmp_path: Path,
                               speed: int) -> None:
    """A reader at a lower speed is found by probing 115200, 57600, ... in order."""
    with IdCardEmulator(profiles, link_path=tmp_path / "tty", baudrate=speed,
                        pacing=False) as emu, connect(str(tmp_path / "tty"),
                                                      timeouts=FAST) as reader:
        assert reader.baudrate == speed
        assert emu.ignored_bytes > 0          # the faster probes went unanswered
        emu.place("H002")
        assert reader.read_card() is not None


def test_speed_in_the_url_is_the_only_one_tried(emulator: IdCardEmulator) -> None:
    """serial://...?baud=9600 against a 115200 reader does not fall back: ReaderTimeout."""
    with pytest.raises(ReaderTimeout) as info:
        connect(f"serial://{emulator.device_path}?baud=9600", timeouts=FAST)
    assert "9600" in info.value.en
    with connect(f"serial://{emulator.device_path}?baud=115200", timeouts=FAST) as reader:
        assert reader.baudrate == 115200


def test_set_baudrate_switches_both_sides(emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """Command 60 answers at the old speed; then reader and host talk at the new one."""
    reader.set_baudrate(38400)
    assert emulator.baudrate == 38400 and reader.baudrate == 38400
    emulator.place("R011")
    assert reader.read_card() is not None
    with pytest.raises(ValueError):
        reader.set_baudrate(12345)


def test_missing_port_is_a_port_error(tmp_path: Path) -> None:
    """A port that does not exist raises PortError naming it and what to check."""
    with pytest.raises(PortError) as info:
        connect(str(tmp_path / "ttyUSB9"), timeouts=FAST)
    assert "does not exist" in info.value.en and "ttyUSB9" in info.value.en


def test_unplug_mid_session_raises_and_releases_the_port(emulator: IdCardEmulator,
                                                         reader: IdCardReader) -> None:
    """Pulling the cable makes the next command raise ReaderDisconnected and closes the handle."""
    emulator.unplug()
    with pytest.raises(ReaderDisconnected):
        reader.find_card()
    assert not reader.is_open
    with pytest.raises(ReaderDisconnected):
        reader.find_card()
    emulator.replug()
    with connect(emulator.device_path, timeouts=FAST) as again:
        assert again.find_card() is False


def test_one_command_at_a_time_across_threads(emulator: IdCardEmulator,
                                              reader: IdCardReader) -> None:
    """Callers on several threads are serialised: every exchange gets its own correct reply."""
    emulator.place("R001")
    emulator.set_faults(fragmented=True)
    results: list[object] = []

    def work() -> None:
        for _ in range(10):
            try:
                results.append(reader.find_card())
            except Exception as exc:  # collected, asserted below
                results.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [True] * 30


def _raw_exchange(path: str, frame: bytes) -> Reply:
    transport = SerialReaderTransport(path)
    transport.open()
    try:
        transport.write(frame)
        reader = FrameReader()
        got = None
        for _ in range(40):
            reader.feed(transport.read(0.05))
            if (got := reader.next_frame()) is not None:
                break
        assert got is not None
        return Reply.parse(got)
    finally:
        transport.close()


@pytest.mark.parametrize(("frame", "sw3"), [
    (build_command(0x22, 0x01), 0x21),                                  # unknown command
    (build_command(0x20, 0x01, b"\x00"), 0x11),                         # wrong data length
    (build_command(0x20, 0x01)[:-1] + b"\x21", 0x10),                   # the classic wrong CHK
])
def test_emulator_rejects_bad_host_frames(emulator: IdCardEmulator, frame: bytes,
                                          sw3: int) -> None:
    """The emulated SAM answers 21 / 11 / 10 to unknown, mis-sized and mis-summed commands."""
    assert _raw_exchange(emulator.device_path, frame).sw3 == sw3


def test_protocol_status_from_the_reader_becomes_protocol_error(
        emulator: IdCardEmulator, reader: IdCardReader) -> None:
    """If the SAM keeps saying 'bad command' the driver retries once, then raises ProtocolError."""
    from devices.idcard.commands import CommandSpec
    with pytest.raises(ProtocolError) as info:
        reader._command(CommandSpec("bogus", 0x22, 0x01))
    assert info.value.sw3 == 0x21
    assert list(emulator.commands)[-2:] == [(0x22, 0x01), (0x22, 0x01)]
