"""Who can apply for what: the facts of a resident, and the items whose rules they meet.

A *profile* is a mapping with the card's basics (``birth_date``, ``gender`` as on the card,
``card_type``, ``valid_until``) and any shared-data keys of ``vocab.SHARED_KEYS``
(``Resident.as_profile()`` gives one). Facts the rules read are computed from it for a given
``today``: ``age``, ``age_at_year_end``, ``age_months``, ``gender`` (male/female),
``card_type``, ``id_valid_days``, and the shared keys as they are. A key that is absent or
``None`` is unknown, never false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from civic.catalog.verdict import EligibilityOutcome, Verdict, evaluate
from civic.catalog.vocab import SHARED_KEYS
from civic.text import Text

if TYPE_CHECKING:
    from civic.catalog.model import Catalog, Item

_LONG_TERM_DAYS = 100 * 366
_GENDERS = {"1": "male", "2": "female"}
UNKNOWN_PREFIX = Text("请与居民核实：", "Check with the resident: ")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _full_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def facts_of(profile: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """The facts an eligibility rule may read, from a profile, on ``today``."""
    facts: dict[str, Any] = {k: profile.get(k) for k in SHARED_KEYS
                             if SHARED_KEYS[k].kind != "ref"}
    born = _as_date(profile.get("birth_date"))
    if born is not None:
        facts["age"] = _full_years(born, today)
        facts["age_at_year_end"] = _full_years(born, dt.date(today.year, 12, 31))
        facts["age_months"] = (today.year - born.year) * 12 + today.month - born.month - (
            today.day < born.day)
    facts["gender"] = _GENDERS.get(str(profile.get("gender")))
    facts["card_type"] = profile.get("card_type")
    valid_until = profile.get("valid_until")
    if valid_until == "long-term":
        facts["id_valid_days"] = _LONG_TERM_DAYS
    elif (until := _as_date(valid_until)) is not None:
        facts["id_valid_days"] = (until - today).days
    return facts


@dataclass(frozen=True)
class Assessment:
    item_code: str
    outcome: EligibilityOutcome
    reason: Text
    missing: tuple[str, ...] = ()   # facts to ask about when the outcome is unknown


def _profile_of(profile: Any) -> Mapping[str, Any]:
    as_profile = getattr(profile, "as_profile", None)
    return cast("Mapping[str, Any]", as_profile() if callable(as_profile) else profile)


def assess(item: Item, profile: Any, today: dt.date) -> Verdict | None:
    """The item's verdict for this profile, or None when the item has no rule."""
    if item.eligibility is None:
        return None
    return evaluate(item.eligibility.tree, facts_of(_profile_of(profile), today))


def assess_items(catalog: Catalog, profile: Any, today: dt.date) -> list[Assessment]:
    """Every item that has a rule, with its three-valued outcome, most common items first."""
    facts = facts_of(_profile_of(profile), today)
    out = []
    for item in catalog.popular(len(catalog)):
        if item.eligibility is None:
            continue
        verdict = evaluate(item.eligibility.tree, facts)
        out.append(Assessment(item.code, verdict.outcome, item.eligibility.reason,
                              verdict.missing))
    return out


def eligible_items(catalog: Catalog, profile: Any, today: dt.date, *,
                   include_unknown: bool = False) -> list[tuple[str, Text]]:
    """``(item_code, reason)`` for each item this person can apply for now.

    With ``include_unknown``, items whose rule lacks data are listed too, their reason
    prefixed with "check with the resident" (never dropped silently as a "no").
    """
    out = []
    for a in assess_items(catalog, profile, today):
        if a.outcome == EligibilityOutcome.ELIGIBLE:
            out.append((a.item_code, a.reason))
        elif a.outcome == EligibilityOutcome.UNKNOWN and include_unknown:
            out.append((a.item_code, Text(UNKNOWN_PREFIX.zh + a.reason.zh,
                                          UNKNOWN_PREFIX.en + a.reason.en)))
    return out
