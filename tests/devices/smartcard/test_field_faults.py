"""Status words real cards send in the field: ISO 7816-4 warnings (62xx/63xx) that come with
data, through a real pcscd, vpcd and pyscard where the wire matters, over the applet or a
scripted card where only the exchange does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from devices.smartcard import (
    CardDataCorruptedError,
    CardResponseError,
    PcscContext,
    SocialSecurityCardReader,
    read_card,
)
from devices.smartcard.apdu import INS_READ_RECORD, ApduChannel, command, data_usable
from devices.smartcard.virtual_applet import EF05_FID, EF06_FID, CardProfile, SocialSecurityApplet
from devices.smartcard.virtual_card import VirtualCard
from tests.devices.smartcard.conftest import READER_0, Pcscd

R001_NAMES = ("A00000001", "330110194610230210", "张建国")


@pytest.mark.pcsc
def test_record_shorter_than_le_answered_6282_is_read_through_pcscd(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile]) -> None:
    """A card answering Le = 00 with the whole record and 6282 gives every field."""
    applet = virtual_card.insert(replace(profiles["R001"], short_read_warning=True))
    with PcscContext(allow_virtual=True) as ctx:
        card = read_card(ctx, READER_0, timeout=5)
    assert (card.card_number, card.id_number, card.name) == R001_NAMES
    assert card.protected_fields == ()
    reads = [response for command, response in applet.transcript if command[1] == 0xB2]
    assert reads and all(response[-2:] == b"\x62\x82" for response in reads)


@pytest.mark.pcsc
@pytest.mark.parametrize("via_61", [False, True], ids=["direct", "get-response"])
def test_record_the_card_says_may_be_corrupted_is_refused_through_pcscd(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        via_61: bool) -> None:
    """A name answered with data and 6281, directly or ending GET RESPONSE, is not used:
    CardDataCorruptedError blames the card, not the reader."""
    applet = virtual_card.insert(replace(
        profiles["R001"], records_via_61=via_61, record_warnings=((EF06_FID, 0x09, 0x6281),)))
    with PcscContext(allow_virtual=True) as ctx, \
            pytest.raises(CardDataCorruptedError) as caught:
        read_card(ctx, READER_0, timeout=5)
    assert caught.value.detail == \
        "READ RECORD 09 answered 6281 (part of returned data may be corrupted)"
    assert "damaged" in caught.value.en and "cable" not in caught.value.en
    assert "损坏" in caught.value.zh
    assert applet.transcript[-1][1][-2:] == b"\x62\x81"  # the read stopped right there


@pytest.mark.pcsc
@pytest.mark.parametrize(("sw", "via_61"), [(0x6284, True), (0x6284, False), (0x6282, False)],
                         ids=["6284-get-response", "6284-direct", "6282-direct"])
def test_select_whose_fci_comes_with_6284_or_6282_is_accepted_through_pcscd(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        sw: int, via_61: bool) -> None:
    """SELECT SSSE answered with its FCI and a warning that leaves it whole reads the card."""
    virtual_card.insert(replace(profiles["R001"], select_warning=sw, select_answers_61=via_61))
    with PcscContext(allow_virtual=True) as ctx:
        card = read_card(ctx, READER_0, timeout=5)
    assert (card.card_number, card.id_number, card.name) == R001_NAMES


@pytest.mark.parametrize(("sw", "meaning"), [
    (0x6200, "no information given"),
    (0x6283, "selected file deactivated"),
    (0x6285, "selected file in termination state"),
    (0x6287, "at least one of the referenced records is deactivated"),
    (0x6300, "no information given, card memory changed"),
    (0x63C2, "counter 2"),
])
def test_warnings_that_leave_the_data_in_doubt_are_refused(
        profiles: dict[str, CardProfile], sw: int, meaning: str) -> None:
    """A record or FCI with data and any other 62xx/63xx is a card fault naming the warning."""
    for switches in ({"record_warnings": ((EF05_FID, 0x01, sw),)}, {"select_warning": sw}):
        profile = replace(profiles["R001"], **switches)  # type: ignore[arg-type]
        with pytest.raises(CardResponseError, match=f"{sw:04X} \\({meaning}\\)") as caught:
            SocialSecurityCardReader(SocialSecurityApplet(profile)).read()
        assert not isinstance(caught.value, CardDataCorruptedError)


@pytest.mark.parametrize("sw", [0x6282, 0x6281])
def test_warning_without_data_keeps_its_meaning(
        profiles: dict[str, CardProfile], sw: int) -> None:
    """READ RECORD answered by a bare 6282 or 6281 is still an unexpected status word."""

    class Bare(SocialSecurityApplet):
        def transmit(self, apdu: bytes) -> bytes:
            if apdu[1] == INS_READ_RECORD:
                return sw.to_bytes(2, "big")
            return super().transmit(apdu)

    with pytest.raises(CardResponseError, match=f"READ RECORD 01 answered {sw:04X}") as caught:
        SocialSecurityCardReader(Bare(profiles["R001"])).read()
    assert not isinstance(caught.value, CardDataCorruptedError)


def test_record_cut_short_under_6282_is_still_caught(profiles: dict[str, CardProfile]) -> None:
    """6282 vouches for the end of the record, so a TLV longer than the data is a fault."""

    class CutShort(SocialSecurityApplet):
        def transmit(self, apdu: bytes) -> bytes:
            response = super().transmit(apdu)
            if apdu[1] == INS_READ_RECORD and response[-2:] == b"\x90\x00":
                return response[:-4] + b"\x62\x82"  # the last two bytes of the value lost
            return response

    with pytest.raises(CardResponseError, match="record 01 announces 16 bytes, carries 14"):
        SocialSecurityCardReader(CutShort(profiles["R001"])).read()


class _Scripted:
    """A card that answers from a list, recording what it was sent."""

    def __init__(self, *replies: str) -> None:
        self.sent: list[bytes] = []
        self._replies: Iterator[str] = iter(replies)

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return bytes.fromhex(next(self._replies))


@pytest.mark.parametrize(("replies", "then_sent"), [
    # 6Cxx: repeated with the right Le, the repeat answers data + 6282
    (("6C05", "0103414243 6282"), ["00B2010005"]),
    # 61 00 (256 or more waiting): GET RESPONSE Le = 00 ends short, with 6282
    (("6100", "01034142 6103", "43 6282"), ["00C0000000", "00C0000003"]),
])
def test_6282_ending_a_6cxx_or_61xx_detour_covers_all_the_data(
        replies: tuple[str, ...], then_sent: list[str]) -> None:
    """The final warning, after the channel's own 6Cxx/61xx handling, vouches for every byte."""
    card = _Scripted(*(reply.replace(" ", "") for reply in replies))
    response = ApduChannel(card).send(command(0, INS_READ_RECORD, 1, 0, le=256))
    assert (response.data, response.sw) == (bytes.fromhex("0103414243"), 0x6282)
    assert data_usable(INS_READ_RECORD, response)
    assert card.sent == [bytes.fromhex("00B2010000"), *map(bytes.fromhex, then_sent)]
