"""From the bytes a reader returns to an :class:`IdCard`: dates, long-term validity, types."""

from __future__ import annotations

import datetime as dt
import hashlib

from devices.idcard.card import LONG_TERM, IdCard, LongTerm
from devices.idcard.errors import CardDataError
from devices.idcard.layout import CardType, decode_ucs2, read_fields

LONG_TERM_TEXT = "长期"
APPENDED_ADDRESS_BYTES = 70      # one appended address record: 35 UCS-2 characters

_UNREADABLE_EN = ("The card's {what} could not be read; please place the card again or use "
                  "the staffed counter.")
_UNREADABLE_ZH = "证件的{what}无法识别，请重新放置证件或到人工窗口办理。"


def _data_error(what_en: str, what_zh: str) -> CardDataError:
    return CardDataError(_UNREADABLE_EN.format(what=what_en), _UNREADABLE_ZH.format(what=what_zh))


def parse_date(text: str, *, what_en: str, what_zh: str) -> dt.date:
    """A ``YYYYMMDD`` field as a date."""
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise _data_error(what_en, what_zh)
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise _data_error(what_en, what_zh) from exc


def parse_valid_until(text: str) -> dt.date | LongTerm:
    """The end of validity: a date, or "长期" (first character not a digit = text)."""
    if text[:1].isascii() and text[:1].isdigit():
        return parse_date(text, what_en="end of validity", what_zh="有效期截止日期")
    if text == LONG_TERM_TEXT:
        return LONG_TERM
    raise _data_error("end of validity", "有效期截止日期")


def _or_none(value: str | None) -> str | None:
    return value or None


def decode_card(text: bytes, photo: bytes, *, fingerprint: bytes | None = None,
                appended_address: str | None = None) -> IdCard:
    """Decode a 256-byte text block and keep the photo (and fingerprint) as read."""
    kind, f = read_fields(text)
    if not f.get("id_number"):
        raise _data_error("ID number", "证件号码")
    return IdCard(
        card_type=kind,
        name=f.get("name", ""),
        name_en=_or_none(f.get("name_en")),
        gender=f["gender"],
        nation=_or_none(f.get("nation")) if kind is CardType.RESIDENT else None,
        birth_date=parse_date(f["birth_date"], what_en="birth date", what_zh="出生日期"),
        address=_or_none(f.get("address")),
        id_number=f["id_number"],
        issuer=_or_none(f.get("issuer")),
        valid_from=parse_date(f["valid_from"], what_en="start of validity",
                              what_zh="有效期起始日期"),
        valid_until=parse_valid_until(f["valid_until"]),
        nationality=_or_none(f.get("nationality")),
        pass_number=_or_none(f.get("pass_number")),
        issue_count=_or_none(f.get("issue_count")),
        renewal_count=_or_none(f.get("renewal_count")),
        card_version=_or_none(f.get("card_version")),
        authority_code=_or_none(f.get("authority_code")),
        previous_number_link=_or_none(f.get("previous_number_link")),
        appended_address=appended_address,
        photo=photo,
        fingerprint=fingerprint,
        text_sha256=hashlib.sha256(text).hexdigest(),
    )


def decode_appended_address(data: bytes) -> str | None:
    """The newest appended address from a 30 03 reply (None when the card holds none).

    One record is 70 bytes per a vendor manual; should a reader return several, the last
    non-blank one is taken as the newest (an assumption, spec 1.3 confidence L).
    """
    if len(data) % 2:
        raise _data_error("appended address", "追加住址")
    if len(data) <= APPENDED_ADDRESS_BYTES:
        return decode_ucs2(data) or None
    records = [decode_ucs2(data[i:i + APPENDED_ADDRESS_BYTES])
               for i in range(0, len(data), APPENDED_ADDRESS_BYTES)]
    non_blank = [r for r in records if r]
    return non_blank[-1] if non_blank else None
