"""The frame codec: literal frames of the spec, LEN-driven parsing, resynchronisation, fuzzing."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.idcard.errors import FrameError, IdCardError
from devices.idcard.frames import (
    PREAMBLE,
    FrameReader,
    Reply,
    build_command,
    build_reply,
    checksum,
)

# (cmd, para, data) -> the full frame printed in id-cards.md 1.3
SPEC_COMMANDS = [
    (0x10, 0xFF, b"", "AA AA AA 96 69 00 03 10 FF EC"),
    (0x11, 0xFF, b"", "AA AA AA 96 69 00 03 11 FF ED"),
    (0x12, 0xFF, b"", "AA AA AA 96 69 00 03 12 FF EE"),
    (0x20, 0x01, b"", "AA AA AA 96 69 00 03 20 01 22"),
    (0x20, 0x02, b"", "AA AA AA 96 69 00 03 20 02 21"),
    (0x30, 0x01, b"", "AA AA AA 96 69 00 03 30 01 32"),
    (0x30, 0x03, b"", "AA AA AA 96 69 00 03 30 03 30"),
    (0x30, 0x05, b"", "AA AA AA 96 69 00 03 30 05 36"),
    (0x30, 0x10, b"", "AA AA AA 96 69 00 03 30 10 23"),
    (0x60, 0x00, b"", "AA AA AA 96 69 00 03 60 00 63"),
    (0x60, 0x01, b"", "AA AA AA 96 69 00 03 60 01 62"),
    (0x60, 0x02, b"", "AA AA AA 96 69 00 03 60 02 61"),
    (0x60, 0x03, b"", "AA AA AA 96 69 00 03 60 03 60"),
    (0x60, 0x04, b"", "AA AA AA 96 69 00 03 60 04 67"),
    (0x61, 0xFF, b"\x50", "AA AA AA 96 69 00 04 61 FF 50 CA"),
]

# reference replies of id-cards.md 1.3 -> (sw3, data)
SPEC_REPLIES = [
    ("AA AA AA 96 69 00 04 00 00 90 94", 0x90, b""),
    ("AA AA AA 96 69 00 04 00 00 60 64", 0x60, b""),
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, bytes(4)),
    ("AA AA AA 96 69 00 04 00 00 80 84", 0x80, b""),
    ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, bytes(8)),
    ("AA AA AA 96 69 00 04 00 00 81 85", 0x81, b""),
    ("AA AA AA 96 69 00 04 00 00 41 45", 0x41, b""),
]


@pytest.mark.parametrize(("cmd", "para", "data", "expected"), SPEC_COMMANDS)
def test_commands_match_the_spec_byte_for_byte(cmd: int, para: int, data: bytes,
                                               expected: str) -> None:
    """Every command frame (LEN and computed checksum) equals the literal frame of the spec."""
    assert build_command(cmd, para, data) == bytes.fromhex(expected)


@pytest.mark.parametrize(("frame", "sw3", "data"), SPEC_REPLIES)
def test_reference_replies_parse_and_rebuild(frame: str, sw3: int, data: bytes) -> None:
    """The spec's reference replies parse to their status and data and are rebuilt exactly."""
    raw = bytes.fromhex(frame)
    assert Reply.parse(raw) == Reply(sw3, data)
    assert build_reply(sw3, data) == raw


def test_read_reply_has_the_documented_size_and_header() -> None:
    """A text+photo reply is 1295 bytes with LEN 0508 and the header of the spec."""
    data = b"\x01\x00\x04\x00" + bytes(256) + bytes(1024)
    frame = build_reply(0x90, data)
    assert len(frame) == 1295
    assert frame[:14] == bytes.fromhex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert checksum(frame[5:]) == 0


def test_frames_split_at_every_byte_are_reassembled() -> None:
    """A reply fed one byte at a time comes out once, complete, only after its last byte."""
    frame = build_reply(0x90, bytes(range(40)))
    reader = FrameReader()
    out = []
    for i, byte in enumerate(frame):
        reader.feed(bytes([byte]))
        got = reader.next_frame()
        if got is not None:
            out.append((i, got))
    assert out == [(len(frame) - 1, frame)]


def test_garbage_and_partial_preambles_before_a_frame_are_skipped() -> None:
    """Noise, including AA AA and a preamble with an impossible LEN, is dropped before a frame."""
    frame = build_reply(0x9F, bytes(4))
    noise = b"\x00\xff\xaa\xaa" + PREAMBLE + b"\x00\x01" + b"\x13\xaa\xaa\xaa\x96"
    reader = FrameReader()
    reader.feed(noise + frame)
    assert reader.next_frame() == frame
    assert reader.stats.bad_lengths == 1
    assert reader.next_frame() is None and reader.buffered == 0


def test_wrong_checksum_is_rejected_and_a_following_frame_found() -> None:
    """A frame with a bad checksum is skipped (and counted); the next good frame comes out."""
    bad = bytearray(build_reply(0x90))
    bad[-1] ^= 1
    good = build_reply(0x80)
    reader = FrameReader()
    reader.feed(bytes(bad) + good)
    assert reader.next_frame() == good
    assert reader.stats.bad_checksums == 1


def test_too_long_len_is_rejected() -> None:
    """A LEN above 0x0A00 is noise: the parser resyncs instead of waiting for 2.5 KB."""
    good = build_reply(0x90)
    reader = FrameReader()
    reader.feed(PREAMBLE + b"\x0a\x01" + good)
    assert reader.next_frame() == good


def test_stalled_false_start_is_only_passed_when_overdue() -> None:
    """A frame behind a false start whose LEN runs past the data is found once overdue."""
    good = build_reply(0x90)
    reader = FrameReader()
    reader.feed(PREAMBLE + b"\x05\x08\x00\x00\x90" + good)   # a read reply cut short
    assert reader.next_frame() is None
    assert reader.next_frame(look_past_incomplete=True) == good


def test_embedded_frame_in_photo_data_does_not_cut_the_outer_frame() -> None:
    """Data that itself contains a complete frame does not fool the parser while arriving."""
    inner = build_reply(0x90)
    outer = build_reply(0x90, b"\x01\x02" + inner + b"\x03")
    reader = FrameReader()
    reader.feed(outer[:-3])
    assert reader.next_frame() is None
    reader.feed(outer[-3:])
    assert reader.next_frame() == outer


@pytest.mark.parametrize("raw", [
    bytes.fromhex("AA AA AA 96 69 00 04 01 00 90 95"),      # SW1 != 00
    bytes.fromhex("AA AA AA 96 69 00 04 00 00 90 95"),      # checksum
    bytes.fromhex("AA AA AA 96 69 00 05 00 00 90 95"),      # LEN vs size
    b"\x00" * 11,
])
def test_reply_parse_rejects_malformed_frames(raw: bytes) -> None:
    """Reply.parse raises FrameError (the driver's own error) for a malformed frame."""
    with pytest.raises(FrameError):
        Reply.parse(raw)


# -- fuzzing -------------------------------------------------------------------------------
def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, last = [], 0
    for p in points:
        pieces.append(data[last:p])
        last = p
    pieces.append(data[last:])
    return pieces


def _drain(reader: FrameReader) -> list[bytes]:
    frames = []
    while (f := reader.next_frame()) is not None:
        frames.append(f)
    return frames


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0), max_size=20))
def test_fuzz_arbitrary_streams_raise_only_our_errors(stream: bytes, cuts: list[int]) -> None:
    """Any bytes split anywhere: only well-formed frames come out, only IdCardError escapes."""
    reader = FrameReader()
    for piece in _split(stream, cuts):
        reader.feed(piece)
        for frame in _drain(reader):
            assert frame.startswith(PREAMBLE) and checksum(frame[5:]) == 0
            assert int.from_bytes(frame[5:7], "big") == len(frame) - 7
            with contextlib.suppress(IdCardError):
                Reply.parse(frame)
    reader.next_frame(look_past_incomplete=True)
    assert reader.buffered <= len(stream)


_frames = st.builds(lambda sw3, data: build_reply(sw3, data),
                    st.integers(0, 255), st.binary(max_size=300))
_noise = st.binary(max_size=64).filter(lambda b: PREAMBLE not in b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_noise, _frames), min_size=1, max_size=6), _noise,
       st.lists(st.integers(min_value=0), max_size=30))
def test_fuzz_valid_frames_in_noise_are_all_recovered(
        chunks: list[tuple[bytes, bytes]], tail: bytes, cuts: list[int]) -> None:
    """Valid frames between noise (no full preamble in it) all come out in order, however split."""
    stream = b"".join(noise + frame for noise, frame in chunks) + tail
    reader = FrameReader()
    got: list[bytes] = []
    for piece in _split(stream, cuts):
        reader.feed(piece)
        got += _drain(reader)
    assert got == [frame for _, frame in chunks]
