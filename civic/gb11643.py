"""Citizen ID numbers (GB 11643-1999): check digit, validation, upgrade, masking.

Used by the card drivers, the catalog's forms, the Submission shape check and the masking
of personal data, so the one definition of "what an ID number looks like" lives here.
"""

from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# Province-level prefixes that real numbers start with; 81/82/83 are residence permits
# for Hong Kong, Macao and Taiwan residents, 9 starts a 2023 foreign permanent resident
# number. County codes are not checked: they are retired and re-used over time.
PROVINCE_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82", "83"}
)

_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise(number: str) -> str:
    """Strip blanks and upper-case a final 'x', as typed on a keypad."""
    return number.strip().replace(" ", "").upper()


def birth_date_of(number: str) -> dt.date | None:
    """The birth date encoded in an 18-character number, or None if it is not a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid(number: str, *, today: dt.date | None = None) -> bool:
    """True when the number has the right shape, prefix, check digit and a real past birth date."""
    number = normalise(number)
    if not _SHAPE.match(number):
        return False
    # A 2023 foreign permanent-resident number is '9' + province of acceptance + nationality.
    province = number[1:3] if number[0] == "9" else number[:2]
    if province not in PROVINCE_PREFIXES:
        return False
    if check_digit(number[:17]) != number[17]:
        return False
    born = birth_date_of(number)
    return born is not None and born <= (today or dt.date.today())


def upgrade_15_to_18(number: str) -> str:
    """Upgrade a legacy 15-digit number: insert '19' before the year, append the check digit."""
    number = normalise(number)
    if len(number) != 15 or not number.isdigit():
        raise ValueError("a legacy ID number has exactly 15 digits")
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_digit(first17)


def mask(number: str) -> str:
    """Keep the first 3 and last 4 characters: ``330***********1234``.

    Short values are masked whole, so that masking never reveals most of a short number.
    """
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
