"""Reading a social-security card's public data (id-cards spec 5.2-5.6).

The card is identified by selecting the SSSE application by name, never by its ATR. Records
of EF05 (issuer data) and EF06 (holder data) are read *by tag* (``00 B2 <tag> 00``), which
works whatever record numbers the issuer gave them. Every read is attempted; one the card
refuses with ``6982`` (third-generation cards without a PSAM) is reported as protected.
Only SELECT, READ RECORD and GET RESPONSE are ever sent: never a PIN, never a write.
Data that comes with an ISO 7816-4 warning is used only where the warning leaves it whole
(``apdu.data_usable``: a record shorter than Le answered ``6282``); ``6281`` ("may be
corrupted") raises CardDataCorruptedError.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from devices.smartcard import decode
from devices.smartcard.apdu import (
    INS_READ_RECORD,
    INS_SELECT,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_DATA_MAY_BE_CORRUPTED,
    SW_FILE_NOT_FOUND,
    SW_OK,
    SW_RECORD_NOT_FOUND,
    SW_SECURITY_NOT_SATISFIED,
    ApduChannel,
    ApduResponse,
    ApduTransport,
    command,
    data_usable,
    describe,
)
from devices.smartcard.errors import (
    CardDataCorruptedError,
    CardResponseError,
    NotSocialSecurityCardError,
)
from devices.smartcard.model import SocialSecurityCard

log = logging.getLogger(__name__)

#: "sx1.sh.社会保障" in GBK: the name of the social-security DDF
SSSE_NAME = "sx1.sh.社会保障".encode("gbk")
EF05, EF06 = b"\xef\x05", b"\xef\x06"

# Status words that mean "this card has no such application", as opposed to a fault.
_NO_APPLICATION = frozenset({SW_FILE_NOT_FOUND, 0x6A81, 0x6A86, 0x6D00, 0x6E00, 0x6999})
# Status words that mean "you may not read this without authenticating first".
_PROTECTED = frozenset({SW_SECURITY_NOT_SATISFIED, SW_CONDITIONS_NOT_SATISFIED})


@dataclass(frozen=True)
class _Field:
    name: str            # attribute of SocialSecurityCard
    tag: int             # record tag (= record identifier)
    decode: Callable[[bytes], object]


def _date(value: bytes) -> dt.date | None:
    return decode.bcd_date(value)


def _digits(value: bytes) -> str | None:
    return decode.bcd_digits(value) or None


def _nation(value: bytes) -> str | None:
    digits = decode.bcd_digits(value)
    return digits.zfill(2) if digits else None


_EF05_FIELDS = (
    _Field("region_code", 0x01, decode.region_of_card_id),
    _Field("spec_version", 0x03, decode.text),
    _Field("issue_date", 0x05, _date),
    _Field("expiry_date", 0x06, _date),
    _Field("card_number", 0x07, decode.text),
)
_EF06_FIELDS = (
    _Field("id_number", 0x08, decode.text),
    _Field("name", 0x09, decode.gbk_text),
    _Field("gender", 0x0A, decode.text),
    _Field("nation", 0x0B, _nation),
    _Field("birth_place", 0x0C, _digits),
    _Field("birth_date", 0x0D, _date),
)


class SocialSecurityCardReader:
    """Reads one card through any APDU transport (a PC/SC card, or the virtual card's applet)."""

    def __init__(self, transport: ApduTransport, *, reader_name: str = "") -> None:
        self._channel = ApduChannel(transport)
        self._reader_name = reader_name

    def read(self) -> SocialSecurityCard:
        self._select_ssse()
        values: dict[str, object] = {}
        protected: list[str] = []
        digest = hashlib.sha256()     # the records' bodies as read, in read order
        for ef, table in ((EF05, _EF05_FIELDS), (EF06, _EF06_FIELDS)):
            if not self._select_ef(ef):
                protected += [f.name for f in table]
                continue
            for item in table:
                raw = self._read_record(item.tag)
                if raw == "protected":
                    protected.append(item.name)
                elif isinstance(raw, bytes):
                    digest.update(raw)
                    values[item.name] = item.decode(decode.parse_record(item.tag, raw))
        spec = values.get("spec_version")
        card = SocialSecurityCard(
            card_number=_str(values.get("card_number")),
            id_number=_id_number(values.get("id_number")),
            name=_str(values.get("name")),
            gender=_str(values.get("gender")),
            nation=_str(values.get("nation")),
            birth_date=_day(values.get("birth_date")),
            birth_place=_str(values.get("birth_place")),
            issue_date=_day(values.get("issue_date")),
            expiry_date=_day(values.get("expiry_date")),
            spec_version=_str(spec),
            region_code=_str(values.get("region_code")),
            generation=_generation(_str(spec)),
            protected_fields=tuple(protected),
            reader=self._reader_name,
            public_sha256=digest.hexdigest(),
        )
        log.info("smartcard.read", extra={"ctx": {
            "reader": self._reader_name, "generation": card.generation,
            "protected": list(card.protected_fields)}})
        return card

    def is_social_security_card(self) -> bool:
        """Only SELECT SSSE: whether this card has the application (reads no personal data)."""
        try:
            self._select_ssse()
        except NotSocialSecurityCardError:
            return False
        return True

    def _select_ssse(self) -> None:
        response = self._channel.send(command(0x00, INS_SELECT, 0x04, 0x00, SSSE_NAME))
        if response.sw in _NO_APPLICATION or response.sw >> 8 == 0x6A:
            raise NotSocialSecurityCardError(device=self._reader_name)
        if not data_usable(INS_SELECT, response):
            raise self._refused("SELECT SSSE", response)
        self._log_warning(INS_SELECT, response)

    def _select_ef(self, fid: bytes) -> bool:
        """True when selected; False when the card protects the whole file."""
        response = self._channel.send(command(0x00, INS_SELECT, 0x02, 0x00, fid))
        if data_usable(INS_SELECT, response):
            self._log_warning(INS_SELECT, response)
            return True
        if response.sw in _PROTECTED:
            return False
        if response.sw == SW_FILE_NOT_FOUND:
            raise NotSocialSecurityCardError(device=self._reader_name)
        raise self._refused(f"SELECT {fid.hex().upper()}", response)

    def _read_record(self, tag: int) -> bytes | Literal["protected", "absent"]:
        """The raw record, or why there is none: refused without a PSAM, or not on this card."""
        # Le = 00 asks for the whole record; a T=0 card answers 6Cxx, handled by the channel.
        response = self._channel.send(command(0x00, INS_READ_RECORD, tag, 0x00, le=256))
        if data_usable(INS_READ_RECORD, response):
            self._log_warning(INS_READ_RECORD, response)
            return response.data
        if response.sw in _PROTECTED:
            return "protected"
        if response.sw == SW_RECORD_NOT_FOUND:
            return "absent"
        raise self._refused(f"READ RECORD {tag:02X}", response)

    def _refused(self, what: str, response: ApduResponse) -> CardResponseError:
        detail = f"{what} answered {describe(response.sw)}"
        if response.sw == SW_DATA_MAY_BE_CORRUPTED and response.data:
            return CardDataCorruptedError(detail, device=self._reader_name)
        return CardResponseError(detail, device=self._reader_name)

    def _log_warning(self, ins: int, response: ApduResponse) -> None:
        # A card that answers 6282 does so on every record: worth knowing, not worth a warning.
        if response.sw != SW_OK:
            log.debug("smartcard.warning_accepted", extra={"ctx": {
                "reader": self._reader_name, "ins": f"{ins:02X}", "sw": f"{response.sw:04X}"}})


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _id_number(value: object) -> str | None:
    # Keypad-style normalisation only; whether the number is valid is the caller's question.
    return value.strip().upper() if isinstance(value, str) else None


def _generation(spec_version: str | None) -> int | None:
    if not spec_version:
        return None
    try:
        return int(float(spec_version))
    except ValueError:
        return None
