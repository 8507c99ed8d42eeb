"""The identity on a card: both card models (``devices``) become a
:class:`civic.identity.Identity`, or a refusal a citizen can act on.

A card that is expired or not yet valid raises :class:`~kiosk.errors.CardExpired`; a
social-security card that withholds its holder's name and ID number raises
:class:`~kiosk.errors.HolderDataProtected`, asking for the ID card instead.
"""

from __future__ import annotations

import datetime as dt

from civic.identity import IdentifiedBy, Identity, IdType
from civic.pii import Personal
from devices.idcard.card import IdCard
from devices.idcard.layout import CardType
from devices.smartcard.model import SocialSecurityCard
from kiosk.errors import CardExpired, HolderDataProtected

_ID_TYPES = {CardType.RESIDENT: IdType.RESIDENT,
             CardType.FOREIGN_PERMANENT: IdType.FOREIGN_PERMANENT,
             CardType.FOREIGN_PERMANENT_2023: IdType.FOREIGN_PERMANENT,
             CardType.HMT_RESIDENCE: IdType.HMT_RESIDENCE}

_EXPIRED = ("This card has expired ({date}), so it cannot be used here. Please renew it at "
            "the police station's service hall, or use another valid card.",
            "您的证件已过有效期（{date}），不能在此使用。请到公安服务大厅换领，或使用其他有效证件。")
_NOT_YET_VALID = ("This card is not valid yet (from {date}). Please use your current card.",
                  "您的证件尚未生效（{date}起有效），请使用当前有效的证件。")
_NEEDS_ID_CARD = ("{reason} Please place your resident ID card on the reader instead.",
                  "{reason}请将居民身份证放在读卡区。")


def _check_dates(valid_from: dt.date | None, valid_until: dt.date | None,
                 today: dt.date) -> None:
    if valid_until is not None and valid_until < today:
        en, zh = _EXPIRED
        raise CardExpired(en.format(date=valid_until.isoformat()),
                          zh.format(date=valid_until.isoformat()))
    if valid_from is not None and valid_from > today:
        en, zh = _NOT_YET_VALID
        raise CardExpired(en.format(date=valid_from.isoformat()),
                          zh.format(date=valid_from.isoformat()))


def from_id_card(card: IdCard, today: dt.date) -> Identity:
    """The identity on an ID card; :class:`CardExpired` when it is not valid today."""
    valid_until = card.valid_until if isinstance(card.valid_until, dt.date) else None
    _check_dates(card.valid_from, valid_until, today)
    address = card.current_address
    return Identity(
        id_type=_ID_TYPES[card.card_type], identified_by=IdentifiedBy.ID_CARD,
        card_type=str(card.card_type), id_number=Personal(card.id_number, "id_number"),
        name=Personal(card.name, "name"), gender=card.gender, birth_date=card.birth_date,
        nation=card.nation, address=Personal(address, "address") if address else None,
        name_en=Personal(card.name_en, "name") if card.name_en else None,
        valid_until=valid_until, photo=card.photo, card_digest=card.text_sha256)


def from_social_security_card(card: SocialSecurityCard, today: dt.date) -> Identity:
    """The identity on a social-security card.

    A third-generation card read without a security module withholds the name and the ID
    number: it cannot identify anyone on its own, and :class:`HolderDataProtected` asks for
    the ID card instead.
    """
    if not card.identifies_holder or card.birth_date is None or card.gender is None:
        reason = card.protected_message or {"en": "This card did not give the holder's name "
                                                  "and ID number.",
                                            "zh": "这张卡未能读出持卡人的姓名和证件号码。"}
        en, zh = _NEEDS_ID_CARD
        raise HolderDataProtected(en.format(reason=reason["en"]), zh.format(reason=reason["zh"]))
    _check_dates(None, card.expiry_date, today)
    assert card.id_number is not None and card.name is not None
    return Identity(
        id_type=IdType.RESIDENT, identified_by=IdentifiedBy.SOCIAL_SECURITY_CARD,
        card_type="social_security", id_number=Personal(card.id_number, "id_number"),
        name=Personal(card.name, "name"), gender=card.gender, birth_date=card.birth_date,
        nation=card.nation, valid_until=card.expiry_date, card_digest=card.public_sha256)
