"""Item and department codes (reference §1.3).

* USCC (GB 32100): 18 characters; the 9-character organisation code inside it (positions
  9-17, GB 11714) and the whole code each end with a check character.
* Implementation code (实施编码): USCC of the implementing body + 1 digit exercise level
  (1 national ... 6 village; 4 = county) + the 12-digit basic code (基本编码), 31 characters.
* Material code: implementation code + a 3-digit sequence.
"""

from __future__ import annotations

import re

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-Z]{8}[0-9X][0-9A-HJ-NPQRTUWXY]$")
IMPLEMENTATION_CODE = re.compile(r"^(?P<uscc>[0-9A-Z]{18})(?P<level>[1-6])(?P<basic>\d{12})$")


def org_check_char(first8: str) -> str:
    """GB 11714 check character of an organisation code's first 8 characters."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character of a USCC's first 17 characters."""
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None for a well-formed USCC, else what is wrong with it."""
    if not _USCC_SHAPE.match(code):
        return f"{code!r} is not an 18-character unified social credit code"
    if org_check_char(code[8:16]) != code[16]:
        return f"{code!r}: the organisation code's check character is wrong"
    if uscc_check_char(code[:17]) != code[17]:
        return f"{code!r}: the check character is wrong (expected {uscc_check_char(code[:17])})"
    return None


def make_uscc(area: str, org8: str, registrar: str = "11") -> str:
    """A well-formed USCC for a government body (registrar 1 = 机构编制, type 1 = 机关)."""
    org = org8 + org_check_char(org8)
    first17 = registrar + area + org
    return first17 + uscc_check_char(first17)
