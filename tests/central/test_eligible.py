"""The rules of "For you" without a server (central.eligible): due dates from
seeds/for_you.toml, most pressing first, what is still open or done for the year left out,
and a seed file naming an item the catalog lacks refused at start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from central.catalog_source import load_catalog
from central.eligible import Applied, DueKind, DueRule, ForYouRules, offers
from central.errors import SeedDataInvalid
from civic import catalog as catalog_model
from civic.catalog import Resident
from seeds import seeds_dir

PENSION_CERTIFICATION = "11330110002503015G4007000015000"
ELDERLY_ALLOWANCE = "1133011000250201204005000017000"
ID_RENEWAL = "1133011000250101XC4001000010000"
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def catalog() -> catalog_model.Catalog:
    return load_catalog(seeds_dir() / "catalog")


@pytest.fixture(scope="module")
def rules(catalog: catalog_model.Catalog) -> ForYouRules:
    return ForYouRules.load(seeds_dir(), (item.code for item in catalog.items))


def resident(ref: str) -> Resident:
    people = catalog_model.parse_residents((seeds_dir() / "residents.toml").read_bytes(),
                                           "residents.toml")
    return next(r for r in people if r.ref == ref)


def test_yearly_due_dates_roll_over_to_next_year() -> None:
    rule = DueRule.parse("yearly:12-31")
    assert rule.kind is DueKind.YEARLY
    assert rule.due_by("long-term", TODAY) == dt.date(2026, 12, 31)
    assert rule.due_by("long-term", dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
    assert DueRule.parse("yearly:06-30").due_by("long-term", TODAY) == dt.date(2027, 6, 30)
    assert rule.period_start(TODAY) == dt.date(2026, 1, 1)
    card = DueRule.parse("card_expiry")
    assert card.due_by(dt.date(2027, 1, 5), TODAY) == dt.date(2027, 1, 5)
    assert card.due_by("long-term", TODAY) is None
    for bad in ("monthly:01", "yearly:02-29", "yearly:13-01", "card_expiry:12-31"):
        with pytest.raises(ValueError):
            DueRule.parse(bad)


def test_dated_offers_come_first_in_the_citizens_words(
        catalog: catalog_model.Catalog, rules: ForYouRules) -> None:
    found = offers(catalog, resident("R001"), TODAY, rules, [])
    assert [o.item_code for o in found[:2]] == [PENSION_CERTIFICATION, ELDERLY_ALLOWANCE]
    assert found[0].due_by == dt.date(2026, 12, 31)
    assert found[1].reason.zh == "您已年满 80 周岁，可申领高龄津贴"
    # every other offer is in the work list's order, with the rule's own reason if unnamed
    work_list = [code for code, _ in catalog_model.eligible_items(catalog, resident("R001"),
                                                                   TODAY)]
    assert [o.item_code for o in found[1:]] == [c for c in work_list
                                                 if c != PENSION_CERTIFICATION]


def test_an_expiring_card_is_due_by_its_expiry(
        catalog: catalog_model.Catalog, rules: ForYouRules) -> None:
    """R010's card runs out within 90 days: renewing it is offered, due by that day."""
    person = resident("R010")
    found = {o.item_code: o for o in offers(catalog, person, TODAY, rules, [])}
    assert found[ID_RENEWAL].due_by == person.valid_until


def test_open_applications_and_a_yearly_item_done_this_year_are_left_out(
        catalog: catalog_model.Catalog, rules: ForYouRules) -> None:
    def codes(applied: list[Applied]) -> list[str]:
        return [o.item_code for o in offers(catalog, resident("R001"), TODAY, rules, applied)]

    assert ELDERLY_ALLOWANCE not in codes([Applied(ELDERLY_ALLOWANCE, "in_review", TODAY)])
    assert ELDERLY_ALLOWANCE in codes([Applied(ELDERLY_ALLOWANCE, "rejected", TODAY)])
    done = Applied(PENSION_CERTIFICATION, "completed", dt.date(2026, 3, 1))
    assert PENSION_CERTIFICATION not in codes([done])
    last_year = Applied(PENSION_CERTIFICATION, "completed", dt.date(2025, 12, 30))
    assert PENSION_CERTIFICATION in codes([last_year])
    refused = Applied(PENSION_CERTIFICATION, "rejected", dt.date(2026, 3, 1))
    assert PENSION_CERTIFICATION in codes([refused])


def test_a_rule_for_an_item_the_catalog_lacks_is_refused(tmp_path: Path) -> None:
    (tmp_path / "for_you.toml").write_text('[items."NOPE"]\ndue = "card_expiry"\n',
                                           encoding="utf-8")
    with pytest.raises(SeedDataInvalid, match="NOPE"):
        ForYouRules.load(tmp_path, ["X1"])
    (tmp_path / "for_you.toml").write_text('[items."X1"]\ndue = "weekly"\n', encoding="utf-8")
    with pytest.raises(SeedDataInvalid, match="X1"):
        ForYouRules.load(tmp_path, ["X1"])
