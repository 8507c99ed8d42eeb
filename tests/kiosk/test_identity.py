"""An ID card and a social-security card identify the same person as the same Identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from civic.identity import IdentifiedBy, IdType
from devices.idcard.card import IdCard
from devices.idcard.connect import connect
from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles as load_idcard_profiles
from devices.smartcard.model import SocialSecurityCard
from devices.smartcard.reader import SocialSecurityCardReader
from devices.smartcard.virtual_applet import SocialSecurityApplet
from devices.smartcard.virtual_profiles import load_profiles as load_ssc_profiles
from kiosk.errors import CardExpired, HolderDataProtected
from kiosk.identity import from_id_card, from_social_security_card
from seeds import seeds_dir
from tests.devices.idcard.conftest import FAST

RESIDENTS = seeds_dir() / "residents.toml"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def id_cards(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, IdCard]]:
    """Every demo resident's ID card, read through a real pty from the reader emulator."""
    profiles = load_idcard_profiles(RESIDENTS)
    link: Path = tmp_path_factory.mktemp("idcard") / "ttyIDCARD"
    cards: dict[str, IdCard] = {}
    with IdCardEmulator(profiles, link_path=link, pacing=False, seed=1) as emulator, \
            connect(emulator.device_path, timeouts=FAST) as reader:
        for ref in ("R001", "R003", "R021", "F001", "F002", "H001"):
            emulator.place(ref)
            assert reader.find_card()
            cards[ref] = reader.read_found_card()
            emulator.remove()
    yield cards


def ssc_of(ref: str) -> SocialSecurityCard:
    """A resident's social-security card, read APDU by APDU from the virtual card's applet."""
    applet = SocialSecurityApplet(load_ssc_profiles(RESIDENTS)[ref])
    return SocialSecurityCardReader(applet).read()


def test_both_cards_give_the_same_person(id_cards: dict[str, IdCard]) -> None:
    """R001's ID card and social-security card give the same number, name, gender, birth."""
    by_id_card = from_id_card(id_cards["R001"], TODAY)
    by_ssc = from_social_security_card(ssc_of("R001"), TODAY)
    assert by_id_card.identified_by is IdentifiedBy.ID_CARD
    assert by_ssc.identified_by is IdentifiedBy.SOCIAL_SECURITY_CARD
    for key in ("id_number", "name", "gender", "birth_date", "nation", "id_type"):
        assert getattr(by_id_card, key) == getattr(by_ssc, key), key
    assert by_id_card.address is not None and by_ssc.address is None
    applicant = by_ssc.applicant()
    assert applicant["identified_by"] == "social_security_card"
    assert applicant["id_number"] == by_id_card.id_number.reveal()


def test_third_generation_card_asks_for_the_id_card() -> None:
    """A card that withholds name and ID number cannot identify anyone: use the ID card."""
    with pytest.raises(HolderDataProtected) as info:
        from_social_security_card(ssc_of("R003"), TODAY)
    assert "身份证" in info.value.zh and "ID card" in info.value.en


def test_expired_card_is_refused_with_what_to_do(id_cards: dict[str, IdCard]) -> None:
    """An expired ID card is refused, saying when it expired and where to renew it."""
    with pytest.raises(CardExpired) as info:
        from_id_card(id_cards["R021"], TODAY)
    assert "2025-10-01" in info.value.zh and "renew" in info.value.en


def test_foreign_and_hmt_cards(id_cards: dict[str, IdCard]) -> None:
    """Foreign permanent-resident cards (both editions) and HMT permits map to the API's types."""
    assert from_id_card(id_cards["F001"], TODAY).id_type is IdType.FOREIGN_PERMANENT
    foreign_2023 = from_id_card(id_cards["F002"], TODAY)
    assert foreign_2023.id_type is IdType.FOREIGN_PERMANENT
    assert foreign_2023.name_en is not None
    assert from_id_card(id_cards["H001"], TODAY).id_type is IdType.HMT_RESIDENCE
    assert from_id_card(id_cards["F001"], TODAY).applicant()["name"]


def test_identity_never_prints_personal_data(id_cards: dict[str, IdCard]) -> None:
    """repr/str of an identity mask the name and the ID number and omit the address."""
    identity = from_id_card(id_cards["R001"], TODAY)
    text = repr(identity) + str(identity) + f"{identity}"
    assert identity.id_number.reveal() not in text
    assert identity.name.reveal() not in text
    assert identity.address is not None and identity.address.reveal() not in text
    assert identity.card_fields()["id_number"] == identity.id_number.reveal()
    assert identity.age_on(TODAY) == 80
