"""Reading virtual social-security cards through a real pcscd, vpcd and pyscard."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from devices.smartcard import (
    CardRemovedError,
    NoCardError,
    NotSocialSecurityCardError,
    PcscContext,
    VirtualReaderRefusedError,
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
    # SELECT SSSE + GET RESPONSE, SELECT EF05 + its 5 records, SELECT EF06: then it is gone.
    applet = virtual_card.applet
    virtual_card.pull_out_after(9)
    with PcscContext(allow_virtual=True) as ctx, pytest.raises(CardRemovedError):
        read_card(ctx, READER_0, timeout=5)
    assert applet is not None and applet.transcript[-1][0] == bytes.fromhex("00A4020002EF06")


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


def test_t0_card_answering_61xx_and_6cxx_is_read_through_pcscd(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """A card that wants exact Le (6Cxx) and hands data out by GET RESPONSE (61xx) reads fine."""
    applet = virtual_card.insert(
        replace(profiles["R002"], strict_le=True, records_via_61=True))
    with PcscContext(allow_virtual=True) as ctx:
        card = read_card(ctx, READER_0, timeout=5)
    assert (card.name, card.id_number) == ("李秀英", "330110194705060226")
    status_words = {response[-2] for _, response in applet.transcript}
    assert {0x61, 0x6C} <= status_words  # both detours really happened on the wire


def test_reader_sends_only_select_read_record_and_get_response(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """Reading a protected card never tries a PIN, an authentication or a write."""
    applet = virtual_card.insert(profiles["R003"])
    with PcscContext(allow_virtual=True) as ctx:
        read_card(ctx, READER_0, timeout=5)
    assert {command[1] for command, _ in applet.transcript} <= {0xA4, 0xB2, 0xC0}


def test_virtual_reader_is_refused_unless_allowed(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """Outside demo/test mode a 'Virtual PCD' reader is refused with a clear error."""
    virtual_card.insert(profiles["R001"])
    with PcscContext() as ctx, pytest.raises(VirtualReaderRefusedError) as caught:
        read_card(ctx, None, timeout=1)
    assert "development and tests only" in str(caught.value)
    with PcscContext() as ctx:
        assert all(not s.allowed for s in ctx.statuses())
