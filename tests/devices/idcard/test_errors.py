"""Every on-wire status maps into the error tree with messages people can act on; decoding
arbitrary replies raises nothing but the driver's own errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import DeviceError
from devices.idcard import IdCardReader
from devices.idcard.errors import (
    SW3_ERRORS,
    CardReadError,
    IdCardError,
    ProtocolError,
    SamFaultError,
    error_for_sw3,
)
from devices.idcard.frames import FrameReader, build_reply
from devices.idcard.layout import CardType, write_fields

# spec id-cards.md 1.5, "a driver should map"
EXPECTED = {
    **dict.fromkeys([0x81, 0x41, 0x31, 0x32, 0x33, 0x40], CardReadError),
    **dict.fromkeys([0x10, 0x11, 0x21, 0x24], ProtocolError),
    **dict.fromkeys([0x60, 0x66, 0x47], SamFaultError),
}


@pytest.mark.parametrize(("sw3", "cls"), sorted(EXPECTED.items()))
def test_spec_mapping(sw3: int, cls: type[IdCardError]) -> None:
    """Card problems, protocol noise and SAM faults land in the classes the spec asks for."""
    exc = error_for_sw3(sw3, command="read card", device="/dev/ttyUSB0")
    assert type(exc) is cls and isinstance(exc, DeviceError)
    assert exc.sw3 == sw3 and exc.device == "/dev/ttyUSB0"
    assert f"SW3 {sw3:02X}" in exc.en


@pytest.mark.parametrize("sw3", sorted(SW3_ERRORS))
def test_every_known_status_has_both_languages(sw3: int) -> None:
    """Each mapped status has an English and a Chinese message that say what to do."""
    exc = error_for_sw3(sw3, command="find card")
    assert exc.en and exc.zh and exc.zh != exc.en
    assert any(word in exc.en for word in ("Please", "please", "check", "maintenance",
                                           "staff", "understood"))
    assert exc.user_message == {"zh": exc.zh, "en": exc.en}


def test_unknown_status_is_a_protocol_error() -> None:
    """A status not in the table is a ProtocolError naming the code."""
    exc = error_for_sw3(0x5A, command="find card")
    assert isinstance(exc, ProtocolError) and "5A" in exc.en


class ScriptedReader:
    """A transport (a seam we own) whose reader answers find/select and then ``read_reply``."""

    def __init__(self, read_reply: bytes) -> None:
        self._replies = {0x01: build_reply(0x9F, bytes(4)), 0x02: build_reply(0x90, bytes(8)),
                         0x03: build_reply(0x91)}
        self._read_reply = read_reply
        self._pending = b""
        self._open = False

    name, baudrate = "scripted", 115200

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        self._open = True

    def close(self) -> None:
        self._open = False

    def write(self, data: bytes) -> None:
        frames = FrameReader(min_len=3)
        frames.feed(data)
        frame = frames.next_frame()
        assert frame is not None
        cmd, para = frame[7], frame[8]
        self._pending = self._read_reply if cmd == 0x30 and para == 0x01 else self._replies[para]

    def read(self, timeout: float) -> bytes:
        out, self._pending = self._pending, b""
        return out

    def reset_input(self) -> None:
        self._pending = b""

    def set_baudrate(self, baudrate: int) -> None:
        pass


_lengths = st.one_of(st.just(256), st.integers(0, 0x300))
_read_data = st.builds(
    lambda tl, pl, text, photo: tl.to_bytes(2, "big") + pl.to_bytes(2, "big") + text + photo,
    _lengths, st.one_of(st.just(1024), st.integers(0, 0x500)),
    st.binary(min_size=256, max_size=256) | st.binary(max_size=300),
    st.binary(max_size=1100))


def _mutated(text: bytes, changes: list[tuple[int, int]]) -> bytes:
    block = bytearray(b"\x01\x00\x04\x00" + text + bytes(1024))
    for pos, value in changes:
        block[4 + pos % 256] = value
    return bytes(block)


_texts = st.sampled_from(["R001", "F001", "F002", "H001"]).map(
    lambda ref: write_fields(*_SAMPLES[ref]))
_SAMPLES = {
    "R001": (CardType.RESIDENT, {"name": "张三", "gender": "1", "nation": "01",
                                 "birth_date": "19900101", "id_number": "110101199003070011",
                                 "valid_from": "20200101", "valid_until": "长期"}),
    "F001": (CardType.FOREIGN_PERMANENT, {"name_en": "A B", "gender": "2",
                                          "id_number": "USA330175070401",
                                          "birth_date": "19750704", "valid_from": "20190301",
                                          "valid_until": "20290301"}),
    "F002": (CardType.FOREIGN_PERMANENT_2023, {"name_en": "X" * 46, "gender": "1",
                                               "id_number": "911840198001010013",
                                               "birth_date": "19800101",
                                               "valid_from": "20240101",
                                               "valid_until": "20340101"}),
    "H001": (CardType.HMT_RESIDENCE, {"name": "陈", "gender": "1", "birth_date": "19900101",
                                      "id_number": "810000199001011230",
                                      "valid_from": "20230501", "valid_until": "20280501"}),
}
_mutated_data = st.builds(_mutated, _texts,
                          st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)),
                                   max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([0x90, 0x90, 0x90, 0x41, 0x9F, 0x00]), _read_data | _mutated_data)
def test_fuzz_read_replies_raise_only_our_errors(sw3: int, data: bytes) -> None:
    """Whatever a read reply holds, read_card returns a card or raises an IdCardError."""
    reader = IdCardReader(ScriptedReader(build_reply(sw3, data)))
    reader.open()
    try:
        card = reader.read_card()
    except IdCardError:
        return
    assert card is not None and len(card.photo_sha256) == 64


@pytest.mark.parametrize("ref", sorted(_SAMPLES))
def test_unmutated_fuzz_seeds_read_as_cards(ref: str) -> None:
    """The fuzzer's starting blocks are valid cards, so mutations start from a real read."""
    reader = IdCardReader(ScriptedReader(build_reply(0x90, _mutated(write_fields(*_SAMPLES[ref]),
                                                                    []))))
    reader.open()
    card = reader.read_card()
    assert card is not None and card.id_number == _SAMPLES[ref][1]["id_number"]
