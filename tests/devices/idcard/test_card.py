"""Text blocks of the four card types, decoding rules, the card model and its privacy."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.idcard import LONG_TERM, CardType, IdCard
from devices.idcard.decode import decode_appended_address, decode_card
from devices.idcard.emulator import IdCardProfile
from devices.idcard.errors import CardDataError, CardExpiredError, CardNotYetValidError
from devices.idcard.layout import decode_ucs2, encode_ucs2, read_fields, write_fields
from devices.idcard.photo import PlaceholderPhotoDecoder
from devices.idcard.tables import NATIONS, gender_label, nation_label


def _at(text: bytes, offset: int, chars: int) -> str:
    """The field at a byte offset, read independently of the layout tables."""
    return text[offset:offset + 2 * chars].decode("utf-16-le").rstrip(" ")


def test_resident_block_positions_follow_ga_t_490(profiles: dict[str, IdCardProfile]) -> None:
    """The resident card's fields sit at the byte offsets of the spec (2.2), marker blank."""
    text = profiles["R001"].text
    assert len(text) == 256
    assert _at(text, 0, 15) == "张建国"
    assert _at(text, 30, 1) == "1" and _at(text, 32, 2) == "01"
    assert _at(text, 36, 8) == "19461023"
    assert _at(text, 122, 18) == "330110194610230210"
    assert text[204:208] == bytes.fromhex("7F951F67") and text[208:220] == b" \x00" * 6
    assert text[248:250] == b" \x00"


def test_foreign_2017_block_positions(profiles: dict[str, IdCardProfile]) -> None:
    """An 'I' card: English name at 0, number at 122, nationality 152, birth date at 220."""
    text = profiles["F001"].text
    assert _at(text, 0, 60) == "SMITH JOHN WILLIAM"
    assert _at(text, 122, 15) == "USA330175070401"
    assert _at(text, 152, 3) == "USA" and _at(text, 158, 15) == "史密斯"
    assert _at(text, 220, 8) == "19750704" and text[248:250] == b"I\x00"


def test_foreign_2023_english_name_is_cut_at_35_characters(
        profiles: dict[str, IdCardProfile]) -> None:
    """A 'Y' card keeps characters 1-35 of the English name at 52 and the rest at 220."""
    text = profiles["F002"].text
    full = "GARCIA LOPEZ MARIA DE LOS ANGELES FERNANDA"
    assert text[52:122].decode("utf-16-le") == full[:35]
    assert _at(text, 220, 11) == full[35:]
    assert _at(text, 242, 3) == "ESP" and text[248:250] == b"Y\x00"


def test_hmt_block_positions(profiles: dict[str, IdCardProfile]) -> None:
    """A 'J' card: pass number at 220, issue count at 238, nation slot blank."""
    text = profiles["H001"].text
    assert _at(text, 220, 9) == "H12345678" and _at(text, 238, 2) == "01"
    assert _at(text, 32, 2) == "" and text[248:250] == b"J\x00"


def test_y_name_with_a_space_exactly_at_the_cut_is_kept() -> None:
    """Joining the two parts of a 'Y' English name neither adds nor drops the space at the cut."""
    name = "A" * 34 + " " + "BCDEFGHIJK"       # the space is character 35
    text = write_fields(CardType.FOREIGN_PERMANENT_2023, {"name_en": name, "id_number": "9"})
    assert read_fields(text)[1]["name_en"] == name


def test_only_the_right_side_is_trimmed() -> None:
    """Leading and inner spaces survive decoding; trailing spaces and NULs do not."""
    raw = encode_ucs2(" SMITH  JOHN", 20)[:-4] + b"\x00\x00\x00\x00"
    assert decode_ucs2(raw) == " SMITH  JOHN"
    text = write_fields(CardType.FOREIGN_PERMANENT, {"name_en": "VAN DER BERG  ANNA"})
    assert read_fields(text)[1]["name_en"] == "VAN DER BERG  ANNA"


def test_decoded_resident_card(profiles: dict[str, IdCardProfile]) -> None:
    """Decoding gives typed dates, long-term validity, codes and their labels."""
    p = profiles["R001"]
    card = decode_card(p.text, p.photo)
    assert card.card_type is CardType.RESIDENT
    assert card.birth_date == dt.date(1946, 10, 23)
    assert card.valid_from == dt.date(2010, 5, 1) and card.valid_until is LONG_TERM
    assert (card.gender_label, card.nation_label) == ("男", "汉族")
    assert card.issuer == "杭州市公安局余杭分局" and card.id_number_valid


def test_a_rare_character_outside_gb2312_survives(profiles: dict[str, IdCardProfile]) -> None:
    """褚䶮 (U+4DAE, CJK extension A) decodes exactly."""
    p = profiles["R017"]
    assert decode_card(p.text, p.photo).name == "褚䶮"


def test_dated_validity_and_expiry(profiles: dict[str, IdCardProfile]) -> None:
    """A card is expired the day after its end date, not on it; future start is not yet valid."""
    p = profiles["R021"]          # valid until 2025-10-01
    card = decode_card(p.text, p.photo)
    assert not card.is_expired(dt.date(2025, 10, 1))
    assert card.is_expired(dt.date(2025, 10, 2))
    with pytest.raises(CardExpiredError) as info:
        card.check_valid_on(dt.date(2026, 11, 22))
    assert "已过有效期" in info.value.zh and "expired" in info.value.en
    early = decode_card(profiles["R007"].text, profiles["R007"].photo)   # from 2030
    with pytest.raises(CardNotYetValidError):
        early.check_valid_on(dt.date(2026, 11, 22))
    long_term = decode_card(profiles["R001"].text, profiles["R001"].photo)
    long_term.check_valid_on(dt.date(2099, 1, 1))


@pytest.mark.parametrize("field", ["birth_date", "valid_from", "valid_until"])
@pytest.mark.parametrize("value", ["20231340", "2023-1-1", "永久", ""])
def test_bad_dates_are_card_data_errors(field: str, value: str) -> None:
    """An impossible or non-numeric date (other than 长期) is a CardDataError, not a crash."""
    values = {"name": "张三", "gender": "1", "nation": "01", "birth_date": "19900101",
              "id_number": "110101199003070011", "valid_from": "20200101",
              "valid_until": "20300101", field: value}
    with pytest.raises(CardDataError):
        decode_card(write_fields(CardType.RESIDENT, values), b"")


def test_repr_and_str_never_show_name_or_number(profiles: dict[str, IdCardProfile]) -> None:
    """repr/str mask the name and ID number and leave out address and photo."""
    p = profiles["R006"]
    card = decode_card(p.text, p.photo, appended_address="新地址")
    for text in (repr(card), str(card), f"{card}", repr([card])):
        assert "刘伟" not in text and "330113199008140310" not in text
        assert "330***********0310" in text and "东湖村" not in text
    assert "SMITH" not in repr(decode_card(profiles["F001"].text, b""))


def test_photo_kept_raw_with_its_sha256(profiles: dict[str, IdCardProfile]) -> None:
    """The raw photo block is kept and its SHA-256 computed; equal cards compare equal."""
    import hashlib
    p = profiles["H002"]
    card = decode_card(p.text, p.photo)
    assert card.photo == p.photo and len(card.photo) == 1024
    assert card.photo_sha256 == hashlib.sha256(p.photo).hexdigest()
    assert card == decode_card(p.text, p.photo)


def test_appended_address_decoding() -> None:
    """30 03 data: one 70-byte record, blank = None, several records = the last non-blank."""
    assert decode_appended_address(encode_ucs2("新住址1号", 35)) == "新住址1号"
    assert decode_appended_address(encode_ucs2("", 35)) is None
    both = encode_ucs2("旧址", 35) + encode_ucs2("新址", 35) + encode_ucs2("", 35)
    assert decode_appended_address(both) == "新址"
    with pytest.raises(CardDataError):
        decode_appended_address(b"\x00\x01\x02")


def test_current_address_prefers_the_appended_one(profiles: dict[str, IdCardProfile]) -> None:
    """The newest address is the appended one when the card holds it."""
    p = profiles["R006"]
    card = decode_card(p.text, p.photo)
    assert card.current_address == card.address
    moved = card.with_appended_address(p.appended_address)
    assert isinstance(moved, IdCard) and moved.current_address == p.appended_address


def test_tables_use_the_specs_spellings() -> None:
    """Nation names are the spec's (no 傈傈/基洛/乌兹别克/克尔克孜/德昴); labels per 2.6/2.7."""
    names = set(NATIONS.values())
    assert {"傈僳", "基诺", "乌孜别克", "柯尔克孜", "德昂"} <= names
    assert not {"傈傈", "基洛", "乌兹别克", "克尔克孜", "德昴"} & names
    assert len([c for c in NATIONS if c <= "56"]) == 56
    assert nation_label("22") == "畲族" and nation_label("97") == "其他"
    assert nation_label("77") == "77" and nation_label(None) is None
    assert gender_label("2") == "女" and gender_label("9") == "未说明的性别"
    assert gender_label("1", "en") == "male" and gender_label("x") == "x"


def test_placeholder_photo_is_a_grey_bmp_of_the_real_size() -> None:
    """The default decoder returns a 102x126 24-bit BMP of 38 862 bytes, marked placeholder."""
    photo = PlaceholderPhotoDecoder().decode(bytes(1024))
    assert photo.placeholder and photo.mime == "image/bmp"
    assert len(photo.data) == 38862 and photo.data[:2] == b"BM"
    assert int.from_bytes(photo.data[18:22], "little") == 102
    assert int.from_bytes(photo.data[22:26], "little") == 126
