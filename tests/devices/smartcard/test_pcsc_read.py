"""Reading virtual social-security cards through a real pcscd, vpcd and pyscard."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.smartcard import (
    CardRemovedError,
    NoCardError,
    NotSocialSecurityCardError,
    PcscContext,
    read_card,
)
from devices.smartcard.virtual_applet import CardProfile
from devices.smartcard.virtual_card import VirtualCard
from devices.smartcard.virtual_profiles import NOT_SOCIAL_SECURITY
from tests.devices.smartcard.conftest import READER_0, Pcscd

pytestmark = pytest.mark.pcsc


def test_second_generation_card_is_read_in_full(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """A second-generation card gives every public field, decoded from BCD and GBK."""
    virtual_card.insert(profiles["R001"])
    with PcscContext(allow_virtual=True) as ctx:
        card = read_card(ctx, READER_0, timeout=5)
    assert card.to_json() == {
        "card_number": "A00000001", "id_number": "330110194610230210", "name": "张建国",
        "gender": "1", "nation": "01", "birth_date": "1946-10-23", "birth_place": "330110",
        "issue_date": "2020-01-01", "expiry_date": "2030-01-01", "spec_version": "2.00",
        "region_code": "330100", "protected_fields": []}
    assert card.generation == 2 and card.identifies_holder
    assert card.reader == READER_0


def test_third_generation_card_gives_public_data_and_names_protected_fields(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """A third-generation card's 6982 records come back as protected, not as a failure."""
    virtual_card.insert(profiles["R003"])
    with PcscContext(allow_virtual=True) as ctx:
        card = read_card(ctx, READER_0, timeout=5)
    assert card.generation == 3 and card.spec_version == "3.00"
    assert card.region_code == "330100"
    assert (card.issue_date, card.expiry_date) == (dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    assert card.id_number is None and card.name is None and card.card_number is None
    assert set(card.protected_fields) == {"card_number", "id_number", "name", "gender",
                                          "nation", "birth_place", "birth_date"}
    assert not card.identifies_holder
    assert card.protected_message is not None and "PSAM" in card.protected_message["en"]


def test_card_pulled_out_mid_read_is_reported_as_removed(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """Dropping the vpcd connection halfway through EF06 raises CardRemovedError."""
    virtual_card.insert(profiles["R001"])
    pcscd.wait_card(READER_0, present=True)
    virtual_card.pull_out_after(9)  # SELECT SSSE + GET RESPONSE, EF05 and 6 records, then gone
    with PcscContext(allow_virtual=True) as ctx, pytest.raises(CardRemovedError):
        read_card(ctx, READER_0, timeout=5)


def test_card_without_the_social_security_application_is_refused(
        pcscd: Pcscd, virtual_card: VirtualCard) -> None:
    """A card whose SELECT SSSE answers 6A82 is reported as not a social-security card."""
    virtual_card.insert(NOT_SOCIAL_SECURITY)
    with PcscContext(allow_virtual=True) as ctx, pytest.raises(NotSocialSecurityCardError):
        read_card(ctx, READER_0, timeout=5)


def test_empty_reader_times_out_with_no_card(pcscd: Pcscd, virtual_card: VirtualCard) -> None:
    """With nothing inserted, waiting for a card ends in NoCardError after the time-out."""
    with PcscContext(allow_virtual=True) as ctx, pytest.raises(NoCardError):
        read_card(ctx, READER_0, timeout=0.3)
