"""The identified person: one model whichever card (or agent) identified them.

A resident ID card (or a foreign permanent-resident card, or a residence permit for Hong
Kong, Macao and Taiwan residents) and a social-security card are two ways of identifying the
same person; the terminal turns either card into an :class:`Identity` (``kiosk/identity.py``),
which the flows, forms and submissions use. Personal fields are
:class:`~civic.pii.Personal`, so an identity printed, logged or shown in a traceback is
masked; :meth:`Identity.applicant` and :meth:`Identity.card_fields` reveal them
deliberately, for the platform and the form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from civic.pii import Personal


class IdType(StrEnum):
    """The platform's ``applicant.id_type``."""

    RESIDENT = "resident"
    FOREIGN_PERMANENT = "foreign_permanent"
    HMT_RESIDENCE = "hmt_residence"


class IdentifiedBy(StrEnum):
    """The platform's ``applicant.identified_by``."""

    ID_CARD = "id_card"
    SOCIAL_SECURITY_CARD = "social_security_card"
    AGENT_VERIFIED = "agent_verified"


@dataclass(frozen=True, repr=False)
class Identity:
    """A person as identified at the terminal: what the card said, personal fields masked."""

    id_type: IdType
    identified_by: IdentifiedBy
    card_type: str                    # the ID card's type code, or "social_security"
    id_number: Personal
    name: Personal
    gender: str                       # GB/T 2261.1 code as on the card
    birth_date: dt.date
    nation: str | None = None         # GB 3304 code (resident cards, social-security cards)
    address: Personal | None = None   # the newest address the card holds
    name_en: Personal | None = None   # foreign cards
    valid_until: dt.date | None = None  # None: long-term, or not on the card
    photo: bytes = field(default=b"", compare=False)  # raw card photo, this session only
    #: SHA-256 (hex) of the card's raw public data, for the platform's card session; not
    #: the data itself ("" when the card was not read here)
    card_digest: str = field(default="", compare=False)

    def age_on(self, today: dt.date) -> int:
        """Full years of age on ``today``."""
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def applicant(self) -> dict[str, Any]:
        """The platform-API ``applicant`` object (reveals the personal fields)."""
        return {"id_type": str(self.id_type), "identified_by": str(self.identified_by),
                "id_number": self.id_number.reveal(),
                "name": self.name.reveal() or (self.name_en.reveal() if self.name_en else ""),
                "gender": self.gender, "birth_date": self.birth_date.isoformat(),
                "address": self.address.reveal() if self.address else None}

    def card_fields(self) -> dict[str, Any]:
        """Values for the catalog's ``card:<field>`` prefill sources."""
        return {"name": self.applicant()["name"], "gender": self.gender, "nation": self.nation,
                "birth_date": self.birth_date.isoformat(),
                "address": self.address.reveal() if self.address else None,
                "id_number": self.id_number.reveal()}

    def __repr__(self) -> str:
        return (f"Identity({self.id_type}, by={self.identified_by}, id={self.id_number}, "
                f"name={self.name})")

    __str__ = __repr__
