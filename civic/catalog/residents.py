"""Demo residents (``seeds/residents.toml``): card fields, shared data, social-security card.

The file's header documents its format; this module parses and checks the bytes a loader
read (``kiosk.catalog.load.load_residents``, the sandbox's ``central.catalog_source``).
A resident's ``repr`` masks the name and the ID number, so a resident in a log or a
traceback leaks nothing.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from civic import gb11643
from civic.catalog.problems import Place, Problems
from civic.catalog.vocab import CARD_TYPES, SHARED_KEYS
from civic.errors import ResidentsInvalid
from civic.pii import mask_name

_CARD_KEYS = {"ref", "card_type", "name", "name_en", "gender", "nation", "birth_date",
              "valid_from", "valid_until", "address", "appended_address", "id_number", "issuer",
              "nationality", "pass_number", "issue_count", "renewal_count", "card_version",
              "authority_code", "village", "phone", "profile", "social_security_card"}
_REQUIRED = ("ref", "card_type", "name", "gender", "birth_date", "id_number", "valid_from",
             "valid_until", "village", "phone")
_SSC_KEYS = {"generation", "card_number", "region_code", "issue_date", "expiry_date"}


@dataclass(frozen=True, repr=False)
class IssuedSocialSecurityCard:
    generation: int            # 2: holder data readable; 3: protected without a PSAM
    card_number: str
    region_code: str
    issue_date: dt.date
    expiry_date: dt.date

    def __repr__(self) -> str:
        return f"SocialSecurityCard(generation={self.generation}, region={self.region_code})"


@dataclass(frozen=True, repr=False)
class Resident:
    ref: str
    card_type: str
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_until: dt.date | str          # a date or "long-term"
    village: str
    phone: str
    profile: Mapping[str, Any]
    nation: str | None = None
    address: str | None = None
    social_security_card: IssuedSocialSecurityCard | None = None
    card_extra: Mapping[str, Any] = field(default_factory=dict)   # name_en, issuer, ...

    def __repr__(self) -> str:
        return (f"Resident(ref={self.ref!r}, card_type={self.card_type!r}, "
                f"name={mask_name(self.name)!r}, id_number={gb11643.mask(self.id_number)!r})")

    __str__ = __repr__

    def card_fields(self) -> dict[str, Any]:
        """The chip's fields as the prefill sources ``card:<field>`` name them."""
        return {"name": self.name, "gender": self.gender, "nation": self.nation,
                "birth_date": self.birth_date.isoformat(), "address": self.address,
                "id_number": self.id_number}

    def shared_data(self) -> dict[str, Any]:
        """The departments' data about this person: prefill ``shared:<key>`` values."""
        data = {"phone": self.phone, **self.profile}
        if self.social_security_card is not None:
            data.setdefault("ssc_number", self.social_security_card.card_number)
            data.setdefault("ssc_status", "active")
        return data

    def as_profile(self) -> dict[str, Any]:
        """Input of the eligibility rules (see ``civic.catalog.eligibility``)."""
        return {"birth_date": self.birth_date, "gender": self.gender,
                "card_type": self.card_type, "valid_until": self.valid_until,
                **self.shared_data()}


def _check_value(key: str, value: Any, place: Place) -> None:
    spec = SHARED_KEYS.get(key)
    if spec is None:
        place.report(f"unknown profile key {key!r} (see civic/catalog/vocab.py SHARED_KEYS)")
        return
    ok = {"str": isinstance(value, str), "ref": isinstance(value, str),
          "bool": isinstance(value, bool),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "number": isinstance(value, int | float) and not isinstance(value, bool),
          "enum": value in spec.values}[spec.kind]
    if not ok:
        allowed = f" (allowed: {', '.join(spec.values)})" if spec.kind == "enum" else ""
        place.report(f"profile {key} = {value!r} is not a valid {spec.kind}{allowed}")


def _resident(raw: dict[str, Any], place: Place) -> Resident | None:
    for key in sorted(set(raw) - _CARD_KEYS):
        place.report(f"unknown key {key!r}")
    missing = [k for k in _REQUIRED if k not in raw]
    for key in missing:
        place.report(f"missing {key}")
    if missing:
        return None
    if raw["card_type"] not in CARD_TYPES:
        place.report(f"card_type must be one of {', '.join(CARD_TYPES)}")
    number = str(raw["id_number"])
    if len(number) == 18 and not gb11643.is_valid(number, today=dt.date(2100, 1, 1)):
        place.report("id_number fails the GB 11643 check")
    born = raw["birth_date"]
    if not isinstance(born, dt.date):
        place.report("birth_date must be a TOML date")
        return None
    profile = raw.get("profile", {})
    for key, value in profile.items():
        _check_value(key, value, place.at("profile"))
    ssc_raw = raw.get("social_security_card")
    ssc = None
    if ssc_raw is not None:
        if set(ssc_raw) != _SSC_KEYS:
            place.at("social_security_card").report(f"needs exactly {sorted(_SSC_KEYS)}")
        else:
            ssc = IssuedSocialSecurityCard(**ssc_raw)
    extra = {k: v for k, v in raw.items() if k not in _REQUIRED and k not in (
        "profile", "social_security_card", "nation", "address")}
    return Resident(ref=raw["ref"], card_type=raw["card_type"], name=raw["name"],
                    gender=str(raw["gender"]), birth_date=born, id_number=number,
                    valid_from=raw["valid_from"], valid_until=raw["valid_until"],
                    village=raw["village"], phone=raw["phone"],
                    profile=MappingProxyType(dict(profile)), nation=raw.get("nation"),
                    address=raw.get("address"), social_security_card=ssc,
                    card_extra=MappingProxyType(extra))


def parse_residents(data: bytes | OSError, shown: str) -> list[Resident]:
    """Every demo resident in a residents file's bytes (or the error reading it raised);
    :class:`ResidentsInvalid` lists every problem, naming the file as ``shown``."""
    problems = Problems()
    place = Place(problems, shown)
    if isinstance(data, OSError):
        place.report(f"cannot be read: {data}")
        raise ResidentsInvalid(problems.items) from data
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        place.report(f"cannot be read: {exc}")
        raise ResidentsInvalid(problems.items) from exc
    residents: list[Resident] = []
    for i, entry in enumerate(raw.get("residents", [])):
        here = place.for_item(str(entry.get("ref", f"#{i + 1}")))
        resident = _resident(entry, here)
        if resident is not None:
            residents.append(resident)
    refs = [r.ref for r in residents]
    numbers = [r.id_number for r in residents]
    for ref in sorted({r for r in refs if refs.count(r) > 1}):
        place.for_item(ref).report("ref appears more than once")
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        place.report(f"ID number {gb11643.mask(number)} appears more than once")
    for r in residents:
        spouse = r.profile.get("spouse")
        if spouse is not None and spouse not in refs:
            place.for_item(r.ref).report(f"spouse {spouse!r} is not a resident of this file")
    if problems:
        raise ResidentsInvalid(problems.items)
    return residents
