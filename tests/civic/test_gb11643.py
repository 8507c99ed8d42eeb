"""GB 11643 citizen ID numbers: check digit, validation, legacy upgrade."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import gb11643

VALID = ["11010519491231002X", "440524188001010014", "110101199003070011",
         "110101200001010029", "310115198512310045", "650102197006150036",
         "810000199001011230", "820000199505200029", "830000198001014561",
         "911840198001010013"]


@pytest.mark.parametrize("number", VALID)
def test_spec_test_numbers_are_valid(number: str) -> None:
    """Every checksum-valid number in the spec's table validates."""
    assert gb11643.is_valid(number)


def test_wrong_check_digit_is_invalid() -> None:
    """The spec's deliberately wrong number fails (expected X)."""
    assert not gb11643.is_valid("110105194912310021")
    assert gb11643.check_digit("11010519491231002") == "X"


def test_lower_case_x_is_accepted_and_normalised() -> None:
    """A lower-case x typed on a keypad is accepted."""
    assert gb11643.is_valid("11010519491231002x")
    assert gb11643.normalise(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize("number", [
    "990101199003070011",  # no such province
    "110101199002300010",  # 30 February
    "1101011990030700",    # too short
])
def test_bad_shapes_prefixes_and_dates_are_invalid(number: str) -> None:
    """Unknown province prefixes, impossible dates and wrong lengths are rejected."""
    first17 = number[:17]
    candidate = first17 + gb11643.check_digit(first17) if len(first17) == 17 else number
    assert not gb11643.is_valid(candidate)


def test_future_birth_date_is_invalid() -> None:
    """A birth date after today cannot be real."""
    first17 = "11010120990101001"
    number = first17 + gb11643.check_digit(first17)
    assert not gb11643.is_valid(number, today=dt.date(2026, 1, 1))


def test_upgrade_legacy_15_digit_number() -> None:
    """A 15-digit number gains '19' and a check digit."""
    assert gb11643.upgrade_15_to_18("110105491231002") == "11010519491231002X"
