"""Demo residents: loading, masking, and the eligibility work lists built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from civic.catalog import (
    Catalog,
    EligibilityOutcome,
    Resident,
    assess_items,
    eligible_items,
    facts_of,
)
from civic.errors import ResidentsInvalid
from kiosk.catalog.load import load_residents
from tests.kiosk.catalog.conftest import TODAY, edit


def codes_named(catalog: Catalog, pairs: list) -> set[str]:
    return {catalog.get(code).name.zh for code, _ in pairs}


def test_residents_cover_every_card_type(residents: dict[str, Resident]) -> None:
    """About three dozen residents, with every card type and some social-security cards."""
    assert len(residents) >= 36
    assert {r.card_type for r in residents.values()} == {
        "resident", "foreign_permanent", "foreign_permanent_2023", "hmt_residence"}
    assert sum(r.social_security_card is not None for r in residents.values()) >= 10


def test_repr_masks_name_and_id_number(residents: dict[str, Resident]) -> None:
    """A resident's repr shows neither the name nor the ID number."""
    r = residents["R001"]
    text = repr(r) + str(r) + repr(r.social_security_card)
    assert r.name not in text and r.id_number not in text
    assert "张**" in text and r.id_number[-4:] in text


def test_facts_compute_age_on_the_given_day(residents: dict[str, Resident]) -> None:
    """Age turns on the birthday itself; 'turning 18 this year' uses 31 December."""
    assert facts_of(residents["R023"].as_profile(), TODAY)["age"] == 60
    assert facts_of(residents["R024"].as_profile(), TODAY)["age"] == 59
    r027 = facts_of(residents["R027"].as_profile(), TODAY)
    assert (r027["age"], r027["age_at_year_end"], r027["gender"]) == (17, 18, "male")


@pytest.mark.parametrize(("ref", "item", "expected"), [
    ("R023", "老年人优待证办理（60周岁以上）", True),     # 60 today
    ("R024", "老年人优待证办理（60周岁以上）", False),    # 60 tomorrow
    ("R026", "高龄津贴申领", True),                       # 80 today
    ("R025", "高龄津贴申领", False),                      # 78
    ("R016", "70周岁以上驾驶人年度身体条件证明提交", True),   # 70, drives
    ("R029", "70周岁以上驾驶人年度身体条件证明提交", False),  # 69, drives
    ("R027", "兵役登记（年满18周岁男性公民）", True),        # 18 by 31 December
    ("R028", "兵役登记（年满18周岁男性公民）", False),       # 18 next year
    ("R032", "65周岁以上老年人免费健康体检预约", True),       # 65 today
    ("R030", "出生登记（新生儿申报户口）", True),            # baby this month
    ("R008", "失业保险金申领", True),
    ("R007", "重度残疾人护理补贴申请", True),                # grade 2
    ("R015", "重度残疾人护理补贴申请", False),               # grade 3
])
def test_work_list_on_both_sides_of_thresholds(catalog: Catalog, residents: dict[str, Resident],
                                               ref: str, item: str, expected: bool) -> None:
    """eligible_items lists an item exactly for the residents its rule admits."""
    eligible = codes_named(catalog, eligible_items(catalog, residents[ref], TODAY))
    assert (item in eligible) == expected


def test_missing_data_is_unknown_not_no(catalog: Catalog,
                                        residents: dict[str, Resident]) -> None:
    """R031 has almost no shared data: rules answer unknown with the facts to ask."""
    r031 = residents["R031"]
    assessments = assess_items(catalog, r031, TODAY)
    unknown = [a for a in assessments if a.outcome == EligibilityOutcome.UNKNOWN]
    assert len(unknown) >= 10 and all(a.missing for a in unknown)
    assert eligible_items(catalog, r031, TODAY) == []
    listed = eligible_items(catalog, r031, TODAY, include_unknown=True)
    assert len(listed) == len(unknown)
    assert all(reason.zh.startswith("请与居民核实") and reason.en.startswith("Check with")
               for _, reason in listed)


def test_reason_is_bilingual(catalog: Catalog, residents: dict[str, Resident]) -> None:
    """Each work-list entry has a reason in Chinese and English."""
    for code, reason in eligible_items(catalog, residents["R011"], TODAY):
        assert reason.zh and reason.en and code in catalog


def test_bad_residents_file_lists_every_problem(seeds_copy: Path) -> None:
    """Unknown profile keys, bad enum values and bad ID numbers are all named by ref."""
    path = seeds_copy / "residents.toml"
    edit(path, 'hukou_type = "rural"', 'hukou_kind = "rural"')
    edit(path, 'medins = "employee"', 'medins = "gold"')
    edit(path, 'id_number = "330110196611120258"', 'id_number = "330110196611120259"')
    with pytest.raises(ResidentsInvalid) as caught:
        load_residents(path)
    text = str(caught.value)
    assert "R001" in text and "unknown profile key 'hukou_kind'" in text
    assert "'gold'" in text and "R003" in text and "GB 11643" in text
