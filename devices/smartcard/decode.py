"""Decoding of social-security card record values (id-cards spec 5.2-5.4).

Formats: **cn** packed BCD, left-aligned and right-padded with F; **an** ASCII or GBK text,
right-padded with 00 (some issuers pad with spaces); **b** binary. Every record is TLV
with a one-byte tag and a one-byte length.
"""

from __future__ import annotations

import datetime as dt

from devices.smartcard.errors import CardResponseError


def parse_record(tag: int, raw: bytes) -> bytes:
    """The value of a ``tag len value`` record, checked against the tag that was asked for."""
    if len(raw) < 2:
        raise CardResponseError(f"record {tag:02X} is {len(raw)} bytes, shorter than its header")
    if raw[0] != tag:
        raise CardResponseError(f"asked for record {tag:02X}, the card sent {raw[0]:02X}")
    length = raw[1]
    if len(raw) < 2 + length:
        raise CardResponseError(f"record {tag:02X} announces {length} bytes, carries "
                                f"{len(raw) - 2}")
    return raw[2:2 + length]


def bcd_digits(value: bytes) -> str:
    """Packed BCD to digits, stopping at the F padding; a nibble A-E is not a digit."""
    digits: list[str] = []
    for byte in value:
        for nibble in (byte >> 4, byte & 0x0F):
            if nibble == 0x0F:
                return "".join(digits)
            if nibble > 9:
                raise CardResponseError(f"BCD value holds the non-digit nibble {nibble:X}")
            digits.append(str(nibble))
    return "".join(digits)


def bcd_date(value: bytes) -> dt.date | None:
    """YYYYMMDD in packed BCD; all-zero or all-F (not personalised) is None."""
    if not value.strip(b"\x00\xff"):
        return None
    digits = bcd_digits(value)
    if len(digits) != 8:
        raise CardResponseError(f"a BCD date has {len(digits)} digits, not 8")
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise CardResponseError("a BCD date on the card is not a real date") from exc


def text(value: bytes, encoding: str = "ascii") -> str | None:
    """An ``an`` field: strip 00/FF/space padding; empty is None."""
    stripped = value.split(b"\x00", 1)[0].rstrip(b"\xff ").strip()
    if not stripped:
        return None
    try:
        return stripped.decode(encoding).strip() or None
    except UnicodeDecodeError as exc:
        raise CardResponseError(f"a text field is not valid {encoding}") from exc


def gbk_text(value: bytes) -> str | None:
    """Names are GBK (a superset of GB 2312); GB 18030 also decodes rare characters."""
    return text(value, "gb18030")


def region_of_card_id(value: bytes) -> str | None:
    """The issuing region: the first three BCD bytes of the card identification code."""
    if len(value) < 3:
        raise CardResponseError("the card identification code is shorter than 3 bytes")
    digits = bcd_digits(value[:3])
    return digits or None


def encode_bcd(digits: str, size: int) -> bytes:
    """Digits to packed BCD, right-padded with F to ``size`` bytes (used by the virtual card)."""
    if not digits.isdigit() and digits:
        raise ValueError("BCD takes digits only")
    if len(digits) > size * 2:
        raise ValueError(f"{len(digits)} digits do not fit in {size} bytes")
    return bytes.fromhex(digits.ljust(size * 2, "F"))
