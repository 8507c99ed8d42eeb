"""The card as read: one typed model for all four kinds of card.

The application turns an :class:`IdCard` into its own identity model; nothing here knows
about it. The model holds personal data, so its ``repr`` and ``str`` show the name and the
ID number masked, and never the address or the photo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from civic import gb11643
from devices.idcard.errors import CardExpiredError, CardNotYetValidError
from devices.idcard.layout import CardType
from devices.idcard.tables import gender_label, nation_label


class LongTerm(StrEnum):
    """The end of validity of a card printed "长期" (no end date)."""

    LONG_TERM = "long-term"


LONG_TERM: Final = LongTerm.LONG_TERM


def _mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else ""


@dataclass(frozen=True, repr=False)
class IdCard:
    """A card read from a SAM reader. Text fields are as printed, right-trimmed.

    Fields a card type does not carry are None (``nation`` on a residence permit,
    ``address`` on a foreign card, ...). ``name`` is the Chinese name (may be "" on a 2017
    foreign card); ``name_en`` the English name of foreign cards. ``gender`` and ``nation``
    are the codes on the card; the ``*_label`` properties give their names.
    """

    card_type: CardType
    name: str
    name_en: str | None
    gender: str
    nation: str | None
    birth_date: dt.date
    address: str | None
    id_number: str
    issuer: str | None
    valid_from: dt.date
    valid_until: dt.date | LongTerm
    nationality: str | None = None           # GB/T 2659 alpha-3 (foreign cards)
    pass_number: str | None = None           # travel permit number ('J')
    issue_count: str | None = None           # 签发次数 ('J')
    renewal_count: str | None = None         # 换证次数 ('Y')
    card_version: str | None = None          # 证件版本号 ('I')
    authority_code: str | None = None        # 受理机关代码 ('I')
    previous_number_link: str | None = None  # 既往版本号码关联项 ('Y')
    appended_address: str | None = None      # newest address appended by the police station
    photo: bytes = field(default=b"", compare=False)  # raw WLT block, as read (1024 bytes)
    fingerprint: bytes | None = field(default=None, compare=False)
    #: SHA-256 (hex) of the 256-byte text block as read: the card session's ``card_digest``
    #: (platform API), so the raw block itself need not outlive the decoding
    text_sha256: str = field(default="", compare=False)
    photo_sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "photo_sha256", hashlib.sha256(self.photo).hexdigest())

    # -- what the card says, in words -------------------------------------------------
    @property
    def gender_label(self) -> str:
        return gender_label(self.gender)

    @property
    def nation_label(self) -> str | None:
        return nation_label(self.nation)

    @property
    def long_term(self) -> bool:
        return self.valid_until is LONG_TERM

    @property
    def current_address(self) -> str | None:
        """The newest address: the appended one if the card holds one."""
        return self.appended_address or self.address

    @property
    def id_number_valid(self) -> bool:
        """True when the number's check digit and birth date verify (GB 11643).

        A 2017 foreign card's 15-character number has no check digit: always False.
        """
        return gb11643.is_valid(self.id_number)

    # -- validity ----------------------------------------------------------------------
    def is_expired(self, today: dt.date) -> bool:
        """True when the validity ended before ``today`` (the end date itself is valid)."""
        return isinstance(self.valid_until, dt.date) and today > self.valid_until

    def is_not_yet_valid(self, today: dt.date) -> bool:
        return today < self.valid_from

    def check_valid_on(self, today: dt.date) -> None:
        """Raise :class:`CardValidityError` with a message for the citizen if not valid."""
        if self.is_expired(today):
            raise CardExpiredError(
                "This ID card has expired and cannot be used here. Please renew it at the "
                "police station, or ask staff for help.",
                "该证件已过有效期，无法在本机办理。请到公安机关换领新证，或联系工作人员。")
        if self.is_not_yet_valid(today):
            raise CardNotYetValidError(
                "This ID card is not valid yet (its validity starts later). Please use your "
                "current card, or ask staff for help.",
                "该证件尚未到有效期起始日期，请使用您当前有效的证件，或联系工作人员。")

    def with_appended_address(self, address: str | None) -> IdCard:
        return dataclasses.replace(self, appended_address=address)

    # -- never print personal data -----------------------------------------------------
    def __repr__(self) -> str:
        until = (self.valid_until.isoformat() if isinstance(self.valid_until, dt.date)
                 else self.valid_until.value)
        return (f"IdCard(card_type={self.card_type.value!r}, "
                f"name={_mask_name(self.name or self.name_en or '')!r}, "
                f"id_number={gb11643.mask(self.id_number)!r}, valid_until={until!r}, "
                f"photo_sha256={self.photo_sha256[:12]!r})")

    __str__ = __repr__
