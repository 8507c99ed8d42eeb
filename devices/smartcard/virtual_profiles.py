"""Virtual card profiles built from the demo residents (``seeds/residents.toml``).

Every resident with a ``[residents.social_security_card]`` table becomes a card: generation
2 is fully readable; generation 3 keeps its card number (EF05 07) and all of EF06 behind
``6982``, as a third-generation card does for a terminal without a PSAM. The path of the
TOML file is passed in: ``devices`` does not know where the application keeps its seeds.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from devices.smartcard.decode import encode_bcd
from devices.smartcard.virtual_applet import EF05_FID, EF06_FID, CardProfile

#: a card without the social-security application (a bank or transit card)
NOT_SOCIAL_SECURITY = CardProfile(
    label="not-social-security", atr=bytes.fromhex("3B6800000073C84012009000"), has_ssse=False)

# Record order of EF06 (spec 5.4): positional numbers differ between generations.
_EF06_ORDER_GEN2 = (0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D)
_EF06_ORDER_GEN3 = (0x08, 0x09, 0x4E, 0x0A, 0x0B, 0x0C, 0x0D)


def load_profiles(residents_toml: Path) -> dict[str, CardProfile]:
    """Card profiles by resident ``ref`` ("R001"), for residents that hold such a card."""
    with residents_toml.open("rb") as fh:
        residents = tomllib.load(fh).get("residents", [])
    return {r["ref"]: profile_of(r) for r in residents if "social_security_card" in r}


def profile_of(resident: dict[str, Any]) -> CardProfile:
    card = resident["social_security_card"]
    generation = int(card["generation"])
    if generation not in (1, 2, 3):
        raise ValueError(f"resident {resident['ref']}: unknown card generation {generation}")
    ef05 = (
        (0x01, _card_identification(str(card["region_code"]))),
        (0x02, b"1"),
        (0x03, f"{generation}.00".encode("ascii")),
        (0x04, bytes.fromhex(str(card["region_code"]).ljust(6, "0")) + bytes(9)),
        (0x05, _date(card["issue_date"])),
        (0x06, _date(card["expiry_date"])),
        (0x07, str(card["card_number"]).encode("ascii")),
    )
    id_number = str(resident["id_number"])
    holder = {
        0x08: id_number.encode("ascii"),
        0x09: str(resident["name"]).encode("gbk").ljust(30, b"\x00"),
        0x4E: bytes(20),
        0x0A: str(resident["gender"]).encode("ascii"),
        0x0B: encode_bcd(str(resident.get("nation", "")).zfill(2), 1),
        0x0C: encode_bcd(id_number[:6], 3),
        0x0D: _date(resident["birth_date"]),
    }
    order = _EF06_ORDER_GEN3 if generation == 3 else _EF06_ORDER_GEN2
    protected: frozenset[tuple[int, int]] = frozenset()
    if generation == 3:
        protected = frozenset({(EF05_FID, 0x07)} | {(EF06_FID, tag) for tag in order})
    return CardProfile(label=f"{resident['ref']}-gen{generation}", ef05=ef05,
                       ef06=tuple((tag, holder[tag]) for tag in order), protected=protected)


def _card_identification(region_code: str) -> bytes:
    # region (BCD) + the ministry's RID D156000005 + issuer-defined bytes + FF padding
    return encode_bcd(region_code, 3) + bytes.fromhex("D156000005") + \
        bytes.fromhex("99110145") + b"\xff" * 4


def _date(value: object) -> bytes:
    if not isinstance(value, dt.date):
        raise ValueError(f"expected a TOML date, got {value!r}")
    return encode_bcd(value.strftime("%Y%m%d"), 4)
