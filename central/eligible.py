""""For you": what a resident can apply for now, worded for the citizen, most pressing first.

platform-api.md, "Thinking ahead for the citizen". Whether a resident may apply is the
catalog's eligibility rule, the very one the agents' work lists use
(``civic.catalog.eligible_items``); this module only adds what a citizen at a terminal needs
on top of it, from ``seeds/for_you.toml`` (:class:`ForYouRules`): a reason in the second
person, a due date where the item has one, and leaving out what the resident already
applied for and is still open (or, for a yearly item, already did this year).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from central.errors import SeedDataInvalid
from central.workflow import FINAL
from civic import catalog as catalog_model
from civic.text import Text

RULES_FILE = "for_you.toml"
REJECTED = "rejected"


class DueKind(StrEnum):
    """How an item's due date is found (``due`` in the seed file)."""

    YEARLY = "yearly"              # "yearly:MM-DD": every year by that day
    CARD_EXPIRY = "card_expiry"    # by the day the resident's ID card expires


@dataclass(frozen=True)
class DueRule:
    kind: DueKind
    month: int = 12
    day: int = 31

    @classmethod
    def parse(cls, text: str) -> DueRule:
        """``yearly:MM-DD`` or ``card_expiry``; ValueError otherwise."""
        kind, _, when = text.partition(":")
        if kind == DueKind.CARD_EXPIRY and not when:
            return cls(DueKind.CARD_EXPIRY)
        if kind == DueKind.YEARLY:
            month, _, day = when.partition("-")
            # A non-leap year: a yearly day must exist every year (no 02-29).
            checked = dt.date(2001, int(month), int(day))
            return cls(DueKind.YEARLY, checked.month, checked.day)
        raise ValueError(f"due is 'yearly:MM-DD' or 'card_expiry', not {text!r}")

    def due_by(self, card_valid_until: dt.date | str, today: dt.date) -> dt.date | None:
        """The next due day from ``today`` (None: a long-term card never expires)."""
        if self.kind is DueKind.CARD_EXPIRY:
            return card_valid_until if isinstance(card_valid_until, dt.date) else None
        this_year = dt.date(today.year, self.month, self.day)
        return this_year if this_year >= today else this_year.replace(year=today.year + 1)

    def period_start(self, today: dt.date) -> dt.date:
        """The first day of the yearly period that ends at the next due day."""
        due = self.due_by("long-term", today)
        assert due is not None
        return due.replace(year=due.year - 1) + dt.timedelta(days=1)


@dataclass(frozen=True)
class ForYouRule:
    reason: Text | None = None
    due: DueRule | None = None


class ForYouRules:
    """The rules of ``seeds/for_you.toml``, by item code."""

    def __init__(self, rules: Mapping[str, ForYouRule]) -> None:
        self._rules = dict(rules)

    @classmethod
    def load(cls, seeds_dir: Path, known_items: Iterable[str]) -> ForYouRules:
        """Read and check the seed file; :class:`SeedDataInvalid` names what is wrong."""
        path = seeds_dir / RULES_FILE
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SeedDataInvalid(f"{path}: {exc}") from exc
        known = set(known_items)
        rules = {}
        for code, raw in (doc.get("items") or {}).items():
            if code not in known:
                raise SeedDataInvalid(f"{path}: items.{code} is not in the catalog")
            try:
                rules[code] = _rule(raw)
            except (KeyError, TypeError, ValueError) as exc:
                raise SeedDataInvalid(f"{path}: items.{code}: {exc}") from exc
        return cls(rules)

    def get(self, item_code: str) -> ForYouRule:
        return self._rules.get(item_code, ForYouRule())


def _rule(raw: dict[str, Any]) -> ForYouRule:
    unknown = set(raw) - {"reason", "due"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    reason = raw.get("reason")
    text = None
    if reason is not None:
        if not (isinstance(reason.get("zh"), str) and isinstance(reason.get("en"), str)):
            raise ValueError("reason is {zh, en}")
        text = Text(reason["zh"], reason["en"])
    due = raw.get("due")
    return ForYouRule(text, DueRule.parse(due) if due is not None else None)


@dataclass(frozen=True)
class Applied:
    """One of the resident's applications as the platform holds it (no content)."""

    item_code: str
    status: str
    received_on: dt.date


def applications(conn: sqlite3.Connection, resident_hash: str) -> list[Applied]:
    """The resident's submissions (``submissions.resident_hash``, schema 7)."""
    rows = conn.execute("SELECT item_code, status, received_at FROM submissions "
                        "WHERE resident_hash = ?", (resident_hash,)).fetchall()
    return [Applied(r["item_code"], r["status"], dt.date.fromisoformat(r["received_at"][:10]))
            for r in rows]


@dataclass(frozen=True)
class Offer:
    item_code: str
    reason: Text
    due_by: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {"item_code": self.item_code, "reason": self.reason.as_dict(),
                "due_by": self.due_by.isoformat() if self.due_by else None}


def offers(catalog: catalog_model.Catalog, resident: catalog_model.Resident, today: dt.date,
           rules: ForYouRules, applied: Iterable[Applied]) -> list[Offer]:
    """What ``resident`` can apply for on ``today``: items with a due date first (soonest
    first), then the rest in the work list's order (most common items first)."""
    applied = list(applied)
    still_open = {a.item_code for a in applied if a.status not in FINAL}
    out = []
    for code, reason in catalog_model.eligible_items(catalog, resident, today):
        if code in still_open:
            continue
        rule = rules.get(code)
        due = rule.due.due_by(resident.valid_until, today) if rule.due else None
        if rule.due is not None and rule.due.kind is DueKind.YEARLY:
            start = rule.due.period_start(today)
            if any(a.item_code == code and a.status != REJECTED and a.received_on >= start
                   for a in applied):
                continue        # done for this year
        out.append(Offer(code, rule.reason or reason, due))
    # sorted() is stable: undated offers keep the work list's order.
    return sorted(out, key=lambda o: (o.due_by is None, o.due_by or dt.date.max))
