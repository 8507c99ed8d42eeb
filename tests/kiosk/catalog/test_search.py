"""Catalog search: Chinese, full pinyin, initials, partial and mixed input, ranking."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from civic.catalog import Catalog
from civic.text import Text
from kiosk.catalog.pinyin import spell
from kiosk.catalog.search import SearchIndex


def names(catalog: Catalog, query: str, limit: int = 10) -> list[str]:
    return [hit.item.name.zh for hit in catalog.search(query, limit)]


def index_of(catalog: Catalog) -> SearchIndex:
    index = catalog._index
    assert isinstance(index, SearchIndex)
    return index


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


def test_spellings_are_what_pypinyin_reads_for_the_whole_text(catalog: Catalog) -> None:
    """The index converts each distinct word once, yet spells every name and keyword as
    pypinyin spells the whole text, polyphones read by their word (长期 chang, 还贷 huan)."""
    entries = index_of(catalog)._entries
    for entry in entries:
        assert entry.name == spell(entry.item.name.zh), entry.item.name.zh
        assert entry.keywords == tuple(spell(k) for k in entry.item.keywords)
    # the same rest of a name after different towns is cut and read once, and still right
    base = catalog.items[0]
    names = ["长期护理保险失能评估申请", "星桥长期护理保险失能评估申请", "住房公积金对冲还贷签约",
             "中泰住房公积金对冲还贷签约", "弹性提前退休", "临平弹性提前退休", "银行卡", "重庆"]
    items = [dataclasses.replace(base, code=f"{base.code[:19]}{n:012d}", name=Text(name, "x"))
             for n, name in enumerate(names)]
    index = SearchIndex(items, catalog.departments)
    for entry in index._entries:
        assert entry.name == spell(entry.item.name.zh), entry.item.name.zh
    pinyin = {e.item.name.zh: e.name.py for e in index._entries}
    assert pinyin["星桥长期护理保险失能评估申请"].startswith("xingqiaochangqi")
    assert "duichonghuandai" in pinyin["中泰住房公积金对冲还贷签约"]
    assert pinyin["临平弹性提前退休"].startswith("linpingtanxing")


def _queries(catalog: Catalog) -> list[str]:
    """Pieces of names (Chinese, pinyin, initials), keywords and English names, and a few
    typed mixes: letters, digits and characters only (see the module's tiers)."""
    rng = random.Random(5)
    found = set()
    for entry in index_of(catalog)._entries:
        texts = (entry.name.zh, entry.name.py, entry.name.ini, entry.english,
                 *(k.zh for k in entry.keywords))
        for text in filter(None, texts):
            at = rng.randrange(len(text))
            found.update(re.findall(r"[a-z0-9\u4e00-\u9fff]+", text[at:at + rng.randint(1, 8)]))
        found.add(entry.name.zh[:2] + entry.name.py[-3:])         # 养老bx-like
    return sorted(found)


def test_the_index_answers_as_ranking_every_item_by_its_tier(catalog: Catalog) -> None:
    """For a sample of a thousand single-word queries, the index's answer is every item's own
    tier for the query, best tier first, then by popularity: the tables, joined strings and
    caches change how fast, not what."""
    index = index_of(catalog)
    entries = index._entries
    for query in _queries(catalog):
        index.forget_recent()
        every = sorted((tier, rank) for rank, entry in enumerate(entries)
                       if (tier := entry.tier(query)) is not None)
        expected = [(entries[rank].item.code, tier) for tier, rank in every[:20]]
        assert [(h.item.code, h.tier) for h in catalog.search(query, 20)] == expected, query


@pytest.mark.parametrize("query", ["newborn", "gjj tiqu", "(养老", "养老bx", "yanglaobaoxian",
                                   "户口簿", "shebaoka", "社保 bx"])
def test_typing_letter_by_letter_answers_as_searching_at_once(catalog: Catalog,
                                                              query: str) -> None:
    """Each keystroke checks only the previous keystroke's matches when that is a superset;
    it is not when English words begin to count (the third letter: newb found nothing) or
    a term turns from latin to mixed: every prefix answers as if searched on its own."""
    index = index_of(catalog)
    index.forget_recent()
    typed = [names(catalog, query[:end], 20) for end in range(1, len(query) + 1)]
    at_once = []
    for end in range(1, len(query) + 1):
        index.forget_recent()
        at_once.append(names(catalog, query[:end], 20))
    assert typed == at_once
    assert typed[-1], query
