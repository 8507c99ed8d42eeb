"""The card protocol, decoding and card model, over the virtual card's applet (no pcscd)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from devices.smartcard import (
    CardResponseError,
    NotSocialSecurityCardError,
    ProtectedDataError,
    SocialSecurityCardReader,
    decode,
)
from devices.smartcard.apdu import ApduChannel, command
from devices.smartcard.model import JSON_FIELDS
from devices.smartcard.virtual_applet import CardProfile, SocialSecurityApplet
from devices.smartcard.virtual_profiles import NOT_SOCIAL_SECURITY, load_profiles
from seeds import seeds_dir


def test_bcd_dates_digits_and_padding_are_decoded() -> None:
    """BCD stops at F padding, dates are real dates, an unpersonalised date is None."""
    assert decode.bcd_digits(bytes.fromhex("330110")) == "330110"
    assert decode.bcd_digits(bytes.fromhex("3301FF")) == "3301"
    assert decode.bcd_date(bytes.fromhex("19491231")) == dt.date(1949, 12, 31)
    assert decode.bcd_date(b"\x00" * 4) is None
    with pytest.raises(CardResponseError):
        decode.bcd_date(bytes.fromhex("20241399"))


def test_gbk_name_and_ascii_padding_are_stripped() -> None:
    """Names are GBK padded with 00; text fields lose 00, FF and space padding."""
    assert decode.gbk_text("张三".encode("gbk") + bytes(26)) == "张三"
    assert decode.text(b"2.00\x00\x00") == "2.00"
    assert decode.text(b"\x00" * 9) is None
    assert decode.text(b"A1234 \xff\xff") == "A1234"


def test_record_header_must_match_the_tag_asked_for() -> None:
    """A record with another tag, or shorter than it announces, is a card fault."""
    assert decode.parse_record(0x07, b"\x07\x02AB") == b"AB"
    with pytest.raises(CardResponseError):
        decode.parse_record(0x08, b"\x07\x02AB")
    with pytest.raises(CardResponseError):
        decode.parse_record(0x07, b"\x07\x05AB")


def test_6cxx_is_repeated_with_the_right_le_and_61xx_is_fetched() -> None:
    """The channel repeats a wrong-Le command once and collects GET RESPONSE data."""
    sent: list[bytes] = []
    replies = iter([bytes.fromhex("6C05"), bytes.fromhex("6103"), b"ABC" + bytes.fromhex("6102"),
                    b"DE" + bytes.fromhex("9000")])

    class Card:
        def transmit(self, apdu: bytes) -> bytes:
            sent.append(apdu)
            return next(replies)

    response = ApduChannel(Card()).send(command(0, 0xB2, 1, 4, le=256))
    assert response.data == b"ABCDE" and response.ok
    assert sent == [bytes.fromhex("00B2010400"), bytes.fromhex("00B2010405"),
                    bytes.fromhex("00C0000003"), bytes.fromhex("00C0000002")]


def test_endless_61xx_is_a_card_fault() -> None:
    """A card that never stops answering 61xx is reported instead of looping forever."""

    class Card:
        def transmit(self, apdu: bytes) -> bytes:
            return b"X" + bytes.fromhex("6101")

    with pytest.raises(CardResponseError):
        ApduChannel(Card()).send(command(0, 0xB2, 1, 4, le=256))


@pytest.fixture(scope="module")
def profiles() -> dict[str, CardProfile]:
    return load_profiles(seeds_dir() / "residents.toml")


@pytest.mark.parametrize("switches", [{}, {"strict_le": True}, {"records_via_61": True},
                                      {"select_answers_61": False, "strict_le": True}])
def test_records_are_read_by_tag_whatever_the_t0_behaviour(
        profiles: dict[str, CardProfile], switches: dict[str, bool]) -> None:
    """The same card data comes out whether the card uses 61xx, 6Cxx or neither."""
    card = SocialSecurityCardReader(
        SocialSecurityApplet(replace(profiles["R001"], **switches))).read()
    assert (card.card_number, card.name, card.birth_date) == (
        "A00000001", "张建国", dt.date(1946, 10, 23))


def test_third_generation_record_numbering_does_not_matter(
        profiles: dict[str, CardProfile]) -> None:
    """Reading by tag finds holder data at gen-3 record positions once it is readable."""
    readable = replace(profiles["R003"], protected=frozenset())
    assert [tag for tag, _ in readable.ef06][:4] == [0x08, 0x09, 0x4E, 0x0A]
    card = SocialSecurityCardReader(SocialSecurityApplet(readable)).read()
    assert (card.gender, card.nation, card.id_number) == ("1", "01", "330110196611120258")
    assert card.protected_fields == ()


def test_not_a_social_security_card(profiles: dict[str, CardProfile]) -> None:
    """6A82 to SELECT SSSE means another kind of card, not a fault."""
    with pytest.raises(NotSocialSecurityCardError):
        SocialSecurityCardReader(SocialSecurityApplet(NOT_SOCIAL_SECURITY)).read()


def test_unexpected_status_word_is_a_card_fault(profiles: dict[str, CardProfile]) -> None:
    """A READ RECORD answered 6F00 is a fault with the status word in its detail."""

    class Broken(SocialSecurityApplet):
        def transmit(self, apdu: bytes) -> bytes:
            return bytes.fromhex("6F00") if apdu[1] == 0xB2 else super().transmit(apdu)

    with pytest.raises(CardResponseError, match="6F00"):
        SocialSecurityCardReader(Broken(profiles["R001"])).read()


def test_card_model_masks_personal_data_and_has_the_cli_fields(
        profiles: dict[str, CardProfile]) -> None:
    """repr never shows the ID number, name or birth date; to_json has the documented keys."""
    card = SocialSecurityCardReader(SocialSecurityApplet(profiles["R001"])).read()
    text = repr(card) + str(card)
    for secret in ("330110194610230210", "张建国", "1946"):
        assert secret not in text
    assert list(card.to_json()) == [*JSON_FIELDS, "protected_fields"]


def test_protected_card_cannot_identify_its_holder(profiles: dict[str, CardProfile]) -> None:
    """require_holder() raises ProtectedDataError with a plain zh/en message."""
    card = SocialSecurityCardReader(SocialSecurityApplet(profiles["R003"])).read()
    with pytest.raises(ProtectedDataError) as caught:
        card.require_holder()
    assert "身份证" in caught.value.zh and "ID card" in caught.value.en
    readable = SocialSecurityCardReader(SocialSecurityApplet(profiles["R001"])).read()
    assert readable.require_holder() is readable


def test_every_seed_card_profile_reads_back_its_resident(
        profiles: dict[str, CardProfile]) -> None:
    """Each demo resident's card carries that resident's card number and generation."""
    assert {"R001", "R003"} <= set(profiles)
    for ref, profile in profiles.items():
        card = SocialSecurityCardReader(SocialSecurityApplet(profile)).read()
        assert card.generation in (2, 3), ref
        assert card.identifies_holder == (card.generation == 2), ref
