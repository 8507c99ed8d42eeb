"""Where each field sits in the card's 256-byte text block, for the four kinds of card.

One table per card type (spec id-cards.md 2.2–2.5), used both to decode what a reader
returns and, in the emulator, to build the text block of a demo card, so the positions
are written down exactly once. Text is UCS-2 little-endian, fields are fixed width and
right-padded with spaces; decoding trims the right side only (English names contain
spaces). The character at byte 248 tells the card type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from devices.idcard.errors import CardDataError

TEXT_SIZE = 256
MARKER_OFFSET = 248
PAD = " "


class CardType(StrEnum):
    """The kinds of card a SAM reader reads (names as in the CLI's ``card_type``)."""

    RESIDENT = "resident"                                # 居民身份证
    FOREIGN_PERMANENT = "foreign_permanent"              # 外国人永久居留身份证 (2017, 'I')
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023"    # 外国人永久居留身份证 (2023, 'Y')
    HMT_RESIDENCE = "hmt_residence"                      # 港澳台居民居住证 ('J')


MARKERS: Final = MappingProxyType({
    "I": CardType.FOREIGN_PERMANENT,
    "Y": CardType.FOREIGN_PERMANENT_2023,
    "J": CardType.HMT_RESIDENCE,
})
MARKER_OF: Final = MappingProxyType({kind: marker for marker, kind in MARKERS.items()})


@dataclass(frozen=True)
class LayoutField:
    """One fixed-width text field: byte offset and width in characters."""

    name: str
    offset: int
    chars: int

    @property
    def end(self) -> int:
        return self.offset + 2 * self.chars


def _fields(*spec: tuple[str, int, int]) -> tuple[LayoutField, ...]:
    return tuple(LayoutField(name, offset, chars) for name, offset, chars in spec)


LAYOUTS: Final = MappingProxyType({
    CardType.RESIDENT: _fields(
        ("name", 0, 15), ("gender", 30, 1), ("nation", 32, 2), ("birth_date", 36, 8),
        ("address", 52, 35), ("id_number", 122, 18), ("issuer", 158, 15),
        ("valid_from", 188, 8), ("valid_until", 204, 8),
    ),
    CardType.FOREIGN_PERMANENT: _fields(
        ("name_en", 0, 60), ("gender", 120, 1), ("id_number", 122, 15),
        ("nationality", 152, 3), ("name", 158, 15), ("valid_from", 188, 8),
        ("valid_until", 204, 8), ("birth_date", 220, 8), ("card_version", 236, 2),
        ("authority_code", 240, 4),
    ),
    # The English name is cut at a fixed character position: part 1 holds characters
    # 1-35, part 2 characters 36-46; they are joined without adding or dropping a space.
    CardType.FOREIGN_PERMANENT_2023: _fields(
        ("name", 0, 15), ("gender", 30, 1), ("renewal_count", 32, 2), ("birth_date", 36, 8),
        ("name_en_1", 52, 35), ("id_number", 122, 18), ("valid_from", 188, 8),
        ("valid_until", 204, 8), ("name_en_2", 220, 11), ("nationality", 242, 3),
        ("previous_number_link", 250, 3),
    ),
    CardType.HMT_RESIDENCE: _fields(
        ("name", 0, 15), ("gender", 30, 1), ("birth_date", 36, 8), ("address", 52, 35),
        ("id_number", 122, 18), ("issuer", 158, 15), ("valid_from", 188, 8),
        ("valid_until", 204, 8), ("pass_number", 220, 9), ("issue_count", 238, 2),
    ),
})

NAME_EN_1_CHARS = 35
NAME_EN_2_CHARS = 11


def decode_ucs2(raw: bytes) -> str:
    """UCS-2LE text with trailing spaces and NULs removed (the left side is kept)."""
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardDataError("The card's text could not be decoded; please place the card "
                            "again or use the staffed counter.",
                            "证件文字无法解码，请重新放置证件或到人工窗口办理。") from exc
    return text.rstrip(" \x00")


def encode_ucs2(text: str, chars: int) -> bytes:
    """``text`` as UCS-2LE, right-padded with spaces to ``chars`` characters."""
    if len(text) > chars:
        raise ValueError(f"{len(text)} characters do not fit a {chars}-character field")
    if any(ord(ch) > 0xFFFF for ch in text):
        raise ValueError("UCS-2 cannot hold characters outside the Basic Multilingual Plane")
    return text.ljust(chars, PAD).encode("utf-16-le")


def card_type_of(text: bytes) -> CardType:
    """The card type from the marker character at byte 248 (anything else: resident)."""
    marker = text[MARKER_OFFSET:MARKER_OFFSET + 2].decode("utf-16-le", errors="replace")
    return MARKERS.get(marker, CardType.RESIDENT)


def read_fields(text: bytes) -> tuple[CardType, dict[str, str]]:
    """Split a text block into its right-trimmed fields (empty string = blank field)."""
    if len(text) != TEXT_SIZE:
        raise CardDataError(f"The card's text block has {len(text)} bytes instead of "
                            f"{TEXT_SIZE}; please place the card again.",
                            "证件文字信息长度异常，请重新放置证件。")
    kind = card_type_of(text)
    values = {f.name: decode_ucs2(text[f.offset:f.end]) for f in LAYOUTS[kind]}
    if kind is CardType.FOREIGN_PERMANENT_2023:
        # Join first, then trim the whole: a space at the cut belongs to the name.
        part = {f.name: f for f in LAYOUTS[kind]}
        joined = (text[part["name_en_1"].offset:part["name_en_1"].end]
                  + text[part["name_en_2"].offset:part["name_en_2"].end])
        values["name_en"] = decode_ucs2(joined)
        del values["name_en_1"], values["name_en_2"]
    return kind, values


def write_fields(kind: CardType, values: Mapping[str, str]) -> bytes:
    """Build a 256-byte text block (the emulator's side); unknown field names are errors."""
    values = dict(values)
    if kind is CardType.FOREIGN_PERMANENT_2023 and "name_en" in values:
        full = values.pop("name_en").ljust(NAME_EN_1_CHARS + NAME_EN_2_CHARS, PAD)
        if len(full) > NAME_EN_1_CHARS + NAME_EN_2_CHARS:
            raise ValueError("an English name on a 2023 card has at most 46 characters")
        values["name_en_1"] = full[:NAME_EN_1_CHARS]
        values["name_en_2"] = full[NAME_EN_1_CHARS:]
    fields = {f.name: f for f in LAYOUTS[kind]}
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"fields not on a {kind} card: {sorted(unknown)}")
    block = bytearray(encode_ucs2("", TEXT_SIZE // 2))
    for name, value in values.items():
        f = fields[name]
        block[f.offset:f.end] = encode_ucs2(value, f.chars)
    if kind in MARKER_OF:
        block[MARKER_OFFSET:MARKER_OFFSET + 2] = MARKER_OF[kind].encode("utf-16-le")
    return bytes(block)
