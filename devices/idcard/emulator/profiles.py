"""Demo cards for the emulator, built from the demo residents (``seeds/residents.toml``).

The caller passes the file's path (``devices`` does not know where the application keeps
its seeds). Each resident becomes the text block its card would carry, laid out with the
same tables the driver decodes with, plus a made-up 1024-byte photo block (a fixed
pattern derived from the reference, so its SHA-256 is stable) and, optionally, a
fingerprint block.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.idcard.layout import LAYOUTS, CardType, write_fields

PHOTO_SIZE = 1024
FINGERPRINT_SIZE = 1024
LONG_TERM_TEXT = "长期"


@dataclass(frozen=True, repr=False)
class IdCardProfile:
    """What a card carries, as the SAM would return it."""

    ref: str
    card_type: CardType
    text: bytes
    photo: bytes
    fingerprint: bytes | None = None
    appended_address: str | None = None

    def __repr__(self) -> str:  # the blocks hold (invented) personal data
        return f"CardProfile(ref={self.ref!r}, card_type={self.card_type.value!r})"


def pattern(label: str, size: int) -> bytes:
    """``size`` deterministic pseudo-random bytes derived from ``label``."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{label}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def _text_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    if value == "long-term":
        return LONG_TERM_TEXT
    return str(value)


def profile_from_resident(entry: Mapping[str, Any], *, with_fingerprint: bool = False,
                          ) -> IdCardProfile:
    """The card of one ``[[residents]]`` entry (fields the card type lacks are ignored)."""
    kind = CardType(entry["card_type"])
    names = {f.name for f in LAYOUTS[kind]}
    if kind is CardType.FOREIGN_PERMANENT_2023:
        names = (names - {"name_en_1", "name_en_2"}) | {"name_en"}
    values = {name: _text_value(entry[name]) for name in names if name in entry}
    ref = str(entry["ref"])
    return IdCardProfile(
        ref=ref, card_type=kind, text=write_fields(kind, values),
        photo=pattern(f"photo:{ref}", PHOTO_SIZE),
        fingerprint=pattern(f"fingerprint:{ref}", FINGERPRINT_SIZE) if with_fingerprint else None,
        appended_address=entry.get("appended_address"),
    )


def load_profiles(path: Path) -> dict[str, IdCardProfile]:
    """Every demo resident's card, by reference ("R001", "F001", ...)."""
    with path.open("rb") as fh:
        document = tomllib.load(fh)
    return {str(entry["ref"]): profile_from_resident(entry)
            for entry in document.get("residents", [])}
