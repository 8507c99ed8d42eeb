"""Errors of the domain package: data that cannot be used as it is.

CivicError                  the domain's data cannot be used as it is (bad input, not a bug)
├── CatalogError            the catalog or the residents cannot be used
│   ├── CatalogInvalid      a catalog (seed files or a served document) has problems; carries
│   │   │                   every :class:`~civic.catalog.problems.CatalogProblem`, each naming file
│   │   │                   and item
│   │   └── ResidentsInvalid  the residents file has problems (same shape)
│   └── RuleSyntaxError     an eligibility expression does not parse (position and reason)
└── RecordRefused           a certified record cannot be trusted (civic.records); ``refusal``
    ├── MalformedRecord     not a record (or not a keys answer) as the platform API says
    ├── UnknownKey          signed by a key the platform does not list
    ├── ExpiredKey          signed by a key past its ``not_after``
    ├── BadSignature        the signature does not match the record (changed after signing)
    └── ExpiredRecord       signed, but past its ``valid_until``
CallMessageInvalid          a video call's signalling answer or channel message is not what
                            the API defines (civic.assist); the far end is not trusted
AheadAnswerInvalid          a "For you", hall, slot or appointment answer is not what the API
                            defines (civic.ahead)

A form that a citizen filled in wrongly is not an error: ``Form.validate`` returns the
messages, and so does the Submission shape check. Anything else escaping this package is a
bug. The ``kiosk`` command reports a :class:`CivicError` as bad input (exit code 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civic.catalog.problems import CatalogProblem


class CivicError(Exception):
    """Data the domain cannot use; ``str(exc)`` says what is wrong with it."""


class CatalogError(CivicError):
    """The catalog (or the demo residents) cannot be used as it is."""


class CatalogInvalid(CatalogError):
    """Every problem found, so that one run of ``kiosk catalog check`` lists them all."""

    what = "catalog"

    def __init__(self, problems: Sequence[CatalogProblem]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"the {self.what} has {len(self.problems)} problem(s):\n{shown}{more}")


class ResidentsInvalid(CatalogInvalid):
    """The residents file has problems; ``problems`` lists them all."""

    what = "residents file"


class RuleSyntaxError(CatalogError):
    """An eligibility expression is not well formed; ``position`` is a 0-based offset."""

    def __init__(self, expression: str, position: int, reason: str) -> None:
        self.expression, self.position, self.reason = expression, position, reason
        super().__init__(f"{reason} at position {position} in {expression!r}")


class Refusal(StrEnum):
    """Why a certified record is not printed: the terminal words each for the citizen."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED_KEY = "expired_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED_RECORD = "expired_record"


class RecordRefused(CivicError):
    """A certified record that must not be printed; ``refusal`` says why."""

    refusal = Refusal.MALFORMED


class MalformedRecord(RecordRefused):
    refusal = Refusal.MALFORMED


class UnknownKey(RecordRefused):
    refusal = Refusal.UNKNOWN_KEY


class ExpiredKey(RecordRefused):
    refusal = Refusal.EXPIRED_KEY


class BadSignature(RecordRefused):
    refusal = Refusal.BAD_SIGNATURE


class ExpiredRecord(RecordRefused):
    refusal = Refusal.EXPIRED_RECORD


class CallMessageInvalid(CivicError):
    """A video-help answer or data-channel message that the API does not define."""


class AheadAnswerInvalid(CivicError):
    """A "For you", hall, slot or appointment answer that the API does not define."""
