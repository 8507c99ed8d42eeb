"""What a social-security card says about its holder, as the kiosk may read it.

The application's ``kiosk/identity.py`` turns this into a ``civic.identity.Identity``:
``id_number`` and ``name`` are None when a third-generation card withholds them, and such a
card cannot identify anyone on its own (``identifies_holder`` is False, ``require_holder`` raises).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from civic.gb11643 import mask
from devices.smartcard.errors import ProtectedDataError

#: field names as in ``kiosk devices smartcard read --json`` (docs/cli.md), in that order
JSON_FIELDS = ("card_number", "id_number", "name", "gender", "nation", "birth_date",
               "birth_place", "issue_date", "expiry_date", "spec_version", "region_code")

#: holder fields without which the card cannot identify a person
HOLDER_FIELDS = ("id_number", "name")


@dataclass(frozen=True, repr=False)
class SocialSecurityCard:
    """The public data of one card; a field the card withheld is None and named in
    ``protected_fields``. Dates are ``datetime.date``; codes are strings as on the card."""

    card_number: str | None        # 9 characters printed on the card (EF05 07)
    id_number: str | None          # social-security number = citizen ID number (EF06 08)
    name: str | None               # holder's name, decoded from GBK (EF06 09)
    gender: str | None             # GB/T 2261.1 code: "1" male, "2" female (EF06 0A)
    nation: str | None             # GB 3304 two-digit code, e.g. "01" (EF06 0B)
    birth_date: dt.date | None     # EF06 0D
    birth_place: str | None        # administrative division code (EF06 0C)
    issue_date: dt.date | None     # EF05 05
    expiry_date: dt.date | None    # EF05 06
    spec_version: str | None       # "1.00", "2.00", "3.00" (EF05 03)
    region_code: str | None        # issuing region, from the card identification code (EF05 01)
    generation: int | None         # 1, 2 or 3, from spec_version
    protected_fields: tuple[str, ...] = ()
    reader: str = ""               # the PC/SC reader it was read in (not personal)
    #: SHA-256 (hex) of the EF05 and EF06 records as read, concatenated in read order: the
    #: card session's ``card_digest`` (platform API); the records themselves are not kept
    public_sha256: str = field(default="", compare=False)

    @property
    def identifies_holder(self) -> bool:
        """True when the card gave both the ID number and the name."""
        return self.id_number is not None and self.name is not None

    @property
    def protected_message(self) -> dict[str, str] | None:
        """What to tell the citizen when holder data is withheld (zh/en), else None."""
        if not self.protected_fields:
            return None
        return ProtectedDataError(device=self.reader).user_message

    def require_holder(self) -> SocialSecurityCard:
        """This card, or ProtectedDataError when it cannot say who its holder is."""
        if not self.identifies_holder:
            raise ProtectedDataError(device=self.reader)
        return self

    def is_expired(self, today: dt.date) -> bool:
        return self.expiry_date is not None and self.expiry_date < today

    def to_json(self) -> dict[str, Any]:
        """The fields of ``kiosk devices smartcard read --json``: dates as YYYY-MM-DD."""
        out: dict[str, Any] = {}
        for name in JSON_FIELDS:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        out["protected_fields"] = list(self.protected_fields)
        return out

    def __repr__(self) -> str:
        # Personal data never appears in a repr (it ends up in logs and tracebacks).
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "public_sha256":
                continue
            if value is not None and f.name in ("id_number", "card_number"):
                value = mask(value)
            elif value is not None and f.name == "name":
                value = "*" * len(value)
            elif value is not None and f.name in ("birth_date", "birth_place"):
                value = "***"
            shown.append(f"{f.name}={value!r}")
        return f"SocialSecurityCard({', '.join(shown)})"

    __str__ = __repr__
