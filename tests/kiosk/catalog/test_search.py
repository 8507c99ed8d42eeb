"""Catalog search: Chinese, full pinyin, initials, partial and mixed input, ranking."""

from __future__ import annotations

import pytest

from civic.catalog import Catalog


def names(catalog: Catalog, query: str, limit: int = 10) -> list[str]:
    return [hit.item.name.zh for hit in catalog.search(query, limit)]


@pytest.mark.parametrize("query", ["ylbx", "YLBX", "yanglaobaoxian", "yanglao", "养老保险",
                                   "养老bx", "yangl", "ylbaoxian"])
def test_pension_queries_find_pension_items_first(catalog: Catalog, query: str) -> None:
    """Initials, full or partial pinyin, Chinese and mixed input all find 养老保险 items.

    (``ylbx`` is also 医疗保险, and ``yanglao`` also 养老金: those may come along.)
    """
    found = names(catalog, query, 5)
    assert found and "养老" in found[0], (query, found)
    assert sum("养老保险" in name for name in found) >= 3, (query, found)


@pytest.mark.parametrize("query", ["gjj", "gongjijin", "公积金", "gongji", "公积jin"])
def test_provident_fund_queries(catalog: Catalog, query: str) -> None:
    """`gjj` and its variants find 公积金 items."""
    found = names(catalog, query, 8)
    assert len(found) == 8 and all("公积金" in name for name in found), (query, found)


def test_name_match_ranks_above_material_match(catalog: Catalog) -> None:
    """An item named after the query comes before items that only ask for it as a material."""
    hits = catalog.search("户口簿", 20)
    assert hits[0].item.name.zh == "居民户口簿补领/换领"
    assert hits[0].matched == "name"
    assert any(h.matched == "material" for h in hits[1:])
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)


def test_common_items_come_first_within_a_tier(catalog: Catalog) -> None:
    """Among equally good matches, the more popular item is listed first."""
    hits = catalog.search("gjj", 30)
    first_tier = [h for h in hits if h.tier == hits[0].tier]
    popularity = [h.item.popularity for h in first_tier]
    assert popularity == sorted(popularity, reverse=True)
    assert len(set(popularity)) > 1


def test_colloquial_keywords_find_official_names(catalog: Catalog) -> None:
    """Keywords let 社保卡 find 社会保障卡 items and 公积金提取 find withdrawals."""
    assert "社会保障卡申领" in names(catalog, "社保卡")
    assert "社会保障卡申领" in names(catalog, "sbk")
    withdrawals = names(catalog, "gjjtq", 5)
    assert withdrawals and all("提取" in n for n in withdrawals)
    assert "最低生活保障申请（低保）" in names(catalog, "dibao")


def test_syllable_wise_matching_is_not_loose(catalog: Catalog) -> None:
    """`shebao` does not match 申报 (she is neither shen nor its initial)."""
    assert not any("申报" in n and "社保" not in n and "社会保" not in n
                   for n in names(catalog, "shebao", 20))


def test_multi_word_query_needs_every_word(catalog: Catalog) -> None:
    """Words separated by spaces must all match: 'gjj 退休' finds the retirement withdrawal."""
    found = names(catalog, "gjj 退休")
    assert found[0] == "退休提取住房公积金（销户）"
    assert all("公积金" in n for n in found)


def test_english_and_nonsense(catalog: Catalog) -> None:
    """English words match English names; a query matching nothing gives an empty list."""
    assert "出生登记（新生儿申报户口）" in names(catalog, "newborn")
    assert catalog.search("zzzzqqq") == []
    assert catalog.search("   ") == []
    assert len(catalog.search("证", 7)) == 7


def test_every_prefix_of_a_typed_query_keeps_the_target(catalog: Catalog) -> None:
    """Typing 'gaolingjintie' letter by letter keeps 高龄津贴申领 in view from 'gaol' on."""
    query = "gaolingjintie"
    for end in range(4, len(query) + 1):
        assert "高龄津贴申领" in names(catalog, query[:end], 5), query[:end]
