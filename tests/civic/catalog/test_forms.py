"""Form validation (shared by terminal and sandbox) and prefill."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from civic.catalog import Catalog, FieldType, Item, Mode, Resident, prefill_response
from civic.catalog.values import luhn_ok
from tests.civic.catalog.conftest import TODAY

SIG = hashlib.sha256(b"signature").hexdigest()


def item_named(catalog: Catalog, zh: str) -> Item:
    return next(i for i in catalog if i.name.zh == zh)


def good_pension_enrolment() -> dict[str, Any]:
    return {"applicant_name": "张卫东", "applicant_gender": "1", "applicant_nation": "01",
            "applicant_birth_date": "1966-11-22", "applicant_id_number": "330110196611226116",
            "phone": "13805710022", "contribution_tier": "500", "in_employee_scheme": False,
            "payment_method": "bank_debit", "declare_truthful": True,
            "authorise_data_query": True, "signature": SIG}


def test_complete_form_is_valid(catalog: Catalog) -> None:
    """A correctly filled pension enrolment has no problems."""
    form = item_named(catalog, "城乡居民基本养老保险参保登记").form
    assert form.validate(good_pension_enrolment(), today=TODAY) == {}


def test_every_problem_is_reported_in_both_languages(catalog: Catalog) -> None:
    """Missing, mistyped and out-of-range values each get a zh and an en message."""
    form = item_named(catalog, "城乡居民基本养老保险参保登记").form
    values = good_pension_enrolment() | {
        "applicant_id_number": "330110196611226117",   # wrong check digit
        "phone": "1234", "contribution_tier": "450", "in_employee_scheme": "no",
        "declare_truthful": False, "signature": "not-a-hash", "favourite_colour": "red"}
    del values["payment_method"]
    errors = form.validate(values, today=TODAY)
    assert set(errors) == {"applicant_id_number", "phone", "contribution_tier",
                           "in_employee_scheme", "declare_truthful", "signature",
                           "favourite_colour", "payment_method"}
    for message in errors.values():
        assert message["zh"] and message["en"]
    assert "校验位" in errors["applicant_id_number"]["zh"]
    assert errors["payment_method"]["en"].endswith("is required")
    assert "must be accepted" in errors["declare_truthful"]["en"]


@pytest.mark.parametrize(("value", "ok"), [("6228580000000000017", True),
                                           ("6228580000000000018", False),
                                           ("622858000000", True), ("62285800000a", False),
                                           ("123", False)])
def test_bank_account_numbers(catalog: Catalog, value: str, ok: bool) -> None:
    """Bank accounts are 12-30 digits; 16-19 digit card numbers must pass Luhn."""
    form = item_named(catalog, "高龄津贴申领").form
    errors = form.validate({"bank_account": value}, today=TODAY)
    assert ("bank_account" not in errors) == ok
    assert luhn_ok("6228580000000000017")


def test_dates_ranges_and_cross_field_rules(catalog: Catalog) -> None:
    """Dates must be real, past/future as declared, and 'end after start' is enforced."""
    form = item_named(catalog, "异地就医备案（临时外出就医/转诊）").form
    errors = form.validate({"start_date": "2026-12-01", "end_date": "2026-11-30",
                            "filing_type": "temporary"}, today=TODAY)
    assert "end_date" in errors and "start_date" not in errors
    assert "应晚于「开始日期」" in errors["end_date"]["zh"]
    errors = form.validate({"start_date": "2026-02-30"}, today=TODAY)
    assert "YYYY-MM-DD" in errors["start_date"]["en"]
    referral = form.validate({"filing_type": "referral"}, today=TODAY)
    assert "referral_hospital" in referral and "referral_letter" in referral
    claims = item_named(catalog, "失业保险金申领").form
    assert "cannot be in the future" in claims.validate(
        {"leaving_date": "2027-01-01"}, today=TODAY)["leaving_date"]["en"]


def test_numbers_amounts_and_multiple_choice(catalog: Catalog) -> None:
    """Integers, amounts with two decimals and multi-choice lists are checked."""
    dibao = item_named(catalog, "最低生活保障申请（低保）").form
    errors = dibao.validate({"members_working": 1.5, "monthly_income": "12.345",
                             "savings": "-1", "vehicles": 40}, today=TODAY)
    assert "whole number" in errors["members_working"]["en"]
    assert "two decimals" in errors["monthly_income"]["en"]
    assert "negative" in errors["savings"]["en"]
    assert "at most 20" in errors["vehicles"]["en"]
    proof = item_named(catalog, "个人参保证明查询打印").form
    ok = proof.validate({"insurance_types": ["pension", "medical"],
                         "period_start": "2020-01-01", "period_end": "2025-12-01",
                         "applicant_name": "x", "applicant_gender": "1",
                         "applicant_birth_date": "1990-01-01",
                         "applicant_id_number": "330110196611226116"}, today=TODAY)
    assert ok == {}
    bad = proof.validate({"insurance_types": ["pension", "pension", "lottery"]}, today=TODAY)
    assert "repeated" in bad["insurance_types"]["en"]


def test_pattern_with_its_own_message(catalog: Catalog) -> None:
    """A pattern failure uses the field's own explanation."""
    form = item_named(catalog, "困难残疾人生活补贴申请").form
    errors = form.validate({"disability_cert_number": "123"}, today=TODAY)
    assert "one category and one grade digit" in errors["disability_cert_number"]["en"]


def test_every_apply_item_has_a_real_signed_form(catalog: Catalog) -> None:
    """Each apply item has fields of its own and a signature; agent_only items say where."""
    for item in catalog:
        if item.mode == Mode.APPLY:
            assert any(f.block is None for f in item.form.fields), item.code
            assert any(f.type == FieldType.SIGNATURE for f in item.form.fields), item.code
        if item.mode == Mode.AGENT_ONLY:
            assert item.handling is not None and item.handling.agent_can_handle
            assert item.handling.hall.zh and item.handling.steps.en
        if item.mode == Mode.QUERY_PRINT:
            assert item.output.title is not None and item.output.fields
    reviewed = [i for i in catalog if i.form.fields_reviewed]
    assert len(reviewed) >= 30


def test_prefill_from_card_and_shared_data(catalog: Catalog,
                                           residents: dict[str, Resident]) -> None:
    """The card and the shared data fill the form; exempt materials are listed by code."""
    item = item_named(catalog, "高龄津贴申领")
    resident = residents["R026"]
    answer = prefill_response(item, resident.card_fields(), resident.shared_data())
    fields = answer["fields"]
    assert fields["applicant_name"] == "陈阿婆"
    assert fields["applicant_birth_date"] == "1946-11-22"
    assert fields["applicant_gender"] == "2"
    assert fields["bank_name"] == "icbc" and fields["bank_account"] == "6222020000000000018"
    assert fields["hukou_address"].startswith("浙江省杭州市临平区")
    assert "phone" in fields
    assert answer["exempt_materials"]
    assert all(code.startswith(item.code) for code in answer["exempt_materials"])
    # a prefilled form still needs what only the citizen can give, and nothing it gave is wrong
    errors = item.form.validate(fields, today=TODAY)
    assert set(errors) == {"age_band", "already_receiving", "declare_truthful",
                           "authorise_data_query", "signature"}
