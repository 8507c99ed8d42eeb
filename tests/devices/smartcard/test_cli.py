"""``kiosk devices smartcard read`` and ``kiosk devices list`` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devices.smartcard.virtual_applet import CardProfile
from devices.smartcard.virtual_card import VirtualCard
from devices.smartcard.virtual_profiles import NOT_SOCIAL_SECURITY
from tests.conftest import run_kiosk
from tests.devices.smartcard.conftest import READER_0, READER_1, Pcscd

pytestmark = pytest.mark.pcsc

FIELDS = ["card_number", "id_number", "name", "gender", "nation", "birth_date", "birth_place",
          "issue_date", "expiry_date", "spec_version", "region_code", "protected_fields"]


def test_read_json_prints_exactly_the_documented_fields(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        data_dir: Path) -> None:
    """A second-generation card prints one JSON object with the fields of docs/cli.md."""
    virtual_card.insert(profiles["R002"])
    result = run_kiosk("devices", "smartcard", "read", "--json", "--allow-virtual",
                       "--timeout", "5", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == FIELDS
    assert out == {
        "card_number": "A00000002", "id_number": "330110194705060226", "name": "李秀英",
        "gender": "2", "nation": "01", "birth_date": "1947-05-06", "birth_place": "330110",
        "issue_date": "2020-01-01", "expiry_date": "2030-01-01", "spec_version": "2.00",
        "region_code": "330100", "protected_fields": []}


def test_read_protected_card_nulls_fields_and_explains_on_stderr(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        data_dir: Path) -> None:
    """A third-generation card exits 0 with nulls, protected_fields and a plain message."""
    virtual_card.insert(profiles["R003"])
    result = run_kiosk("devices", "smartcard", "read", "--json", "--reader", READER_0,
                       "--timeout", "5", data_dir=data_dir,
                       env={"KIOSK_ALLOW_VIRTUAL_READER": "1"})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["id_number"] is None and out["name"] is None and out["card_number"] is None
    assert out["spec_version"] == "3.00" and out["region_code"] == "330100"
    assert set(out["protected_fields"]) >= {"id_number", "name", "card_number"}
    assert "security module" in result.stderr


def test_read_without_a_card_exits_2(pcscd: Pcscd, virtual_card: VirtualCard,
                                     data_dir: Path) -> None:
    """No card within the time-out is 'nothing found': exit 2 and nothing on stdout."""
    result = run_kiosk("devices", "smartcard", "read", "--json", "--allow-virtual",
                       "--timeout", "0.3", data_dir=data_dir)
    assert (result.returncode, result.stdout) == (2, "")
    assert "No card" in result.stderr and "Traceback" not in result.stderr


def test_read_refuses_virtual_reader_without_the_development_switch(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        data_dir: Path) -> None:
    """Without --allow-virtual a Virtual PCD reader is refused: exit 3, saying how to allow."""
    virtual_card.insert(profiles["R001"])
    result = run_kiosk("devices", "smartcard", "read", "--json", "--timeout", "1",
                       data_dir=data_dir, env={"KIOSK_ALLOW_VIRTUAL_READER": ""})
    assert (result.returncode, result.stdout) == (3, "")
    assert "--allow-virtual" in result.stderr and "development" in result.stderr


def test_read_of_another_kind_of_card_exits_3(
        pcscd: Pcscd, virtual_card: VirtualCard, data_dir: Path) -> None:
    """A card without the SSSE application is a failure the message names."""
    virtual_card.insert(NOT_SOCIAL_SECURITY)
    result = run_kiosk("devices", "smartcard", "read", "--allow-virtual", "--timeout", "5",
                       data_dir=data_dir)
    assert result.returncode == 3
    assert "not a social-security card" in result.stderr


def test_list_shows_pcsc_readers_and_what_answers(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        data_dir: Path) -> None:
    """devices list names both virtual readers, the card in slot 0 and its kind."""
    virtual_card.insert(profiles["R001"])
    pcscd.wait_card(READER_0, present=True)
    result = run_kiosk("devices", "list", "--json", "--allow-virtual", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    pcsc = json.loads(result.stdout)["pcsc"]
    assert pcsc["service"] is True
    by_name = {r["name"]: r for r in pcsc["readers"]}
    assert by_name[READER_0] == {
        "name": READER_0, "virtual": True, "allowed": True, "card_present": True,
        "atr": "3B 6D 00 00 00 81 54 31 00 86 60 11 08 16 00 00 01", "card": "social_security"}
    assert by_name["Virtual PCD 00 01"]["card_present"] is False


def test_read_without_reader_uses_the_configured_one(
        pcscd: Pcscd, virtual_card: VirtualCard, profiles: dict[str, CardProfile],
        data_dir: Path) -> None:
    """Without --reader the command waits on `devices.smartcard_reader`, not on whichever
    reader has a card; --reader still overrides it."""
    (data_dir / "config.toml").write_text(
        f'[devices]\nsmartcard_reader = "{READER_1}"\n', encoding="utf-8")
    virtual_card.insert(profiles["R002"])                 # in slot 0, not the configured one
    pcscd.wait_card(READER_0, present=True)
    result = run_kiosk("devices", "smartcard", "read", "--allow-virtual", "--timeout", "0.5",
                       data_dir=data_dir)
    assert (result.returncode, result.stdout) == (2, "")
    assert READER_1 in result.stderr
    other = VirtualCard(pcscd.connector(1))
    try:
        other.insert(profiles["R001"])
        result = run_kiosk("devices", "smartcard", "read", "--json", "--allow-virtual",
                           "--timeout", "5", data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["card_number"] == "A00000001"
    finally:
        other.close()
        pcscd.wait_card(READER_1, present=False)
    result = run_kiosk("devices", "smartcard", "read", "--json", "--allow-virtual",
                       "--reader", READER_0, "--timeout", "5", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["card_number"] == "A00000002"
