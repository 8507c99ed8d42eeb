"""Building the search index, and per-keystroke latency of catalog search, on the real
catalog and a synthetic 10 000-item one.

Building (medians of ``--builds``): the synthetic catalog's model and search index from its
10 000 items (``Catalog(items, ..., index=SearchIndex)``, what took 5.9 s before the
middle-floor issue), and the whole load of its served document as the terminal loads an
update (``load_served``: JSON, validation, content hash, the index), against the same load
without an index, measured in the same run. Target: model and index in ≤ 1 s at 10 000
items.

Searching: each query is typed prefix by prefix ("y", "yl", "ylb", "ylbx"), one search per
keystroke, as the terminal's search box does. The baseline, measured in the same run on the
same precomputed pinyin, is a naive linear scan: test every item's name, pinyin and
initials for the substring, then sort all matches by quality and popularity. The first
round is also shown apart: the index lists the items holding a letter pair the first time
a query needs them, so a fresh index's first queries pay for that.

Run: ``.venv/bin/python bench/catalog_search.py [--rounds N] [--builds N]``. Target: p99
≤ 5 ms per keystroke at 10 000 items.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUERIES = ["ylbx", "yanglaobaoxian", "gjj", "gongjijintiqu", "gjj tiqu", "shebaoka", "养老保险",
           "公积金提取", "低保", "dibao", "hukouqianyi", "身份证", "sfz", "gaolingjintie", "cjrz",
           "canjirenzheng", "不动产登记", "budongchan", "bdc", "出生登记", "chushengdengji",
           "养老bx",
           "xinshenger", "yiliaobaoxian", "jiashizheng", "jsz", "jiehundengji", "退休", "tuixiu",
           "社保卡", "yibao", "shiyebaoxianjin", "营业执照", "yingyezhizhao", "minsu", "newborn",
           "zhuanyi", "证明", "an", "i"]
TOWNS = ["良渚", "仁和", "瓶窑", "径山", "黄湖", "鸬鸟", "百丈", "闲林", "五常", "中泰", "余杭",
         "仓前", "塘栖", "运河", "崇贤", "乔司", "东湖", "南苑", "星桥", "临平"]
VARIANTS = ["", "（变更）", "（补办）", "（注销）", "（延续）", "（网上办）", "（容缺受理）",
            "（跨省通办）", "（告知承诺）", "（一件事）"]


def synthetic_items(catalog, size: int, seed: int = 7) -> list:
    """``size`` items made from the real ones: town prefixes, variants, shuffled popularity
    (the first copy keeps its codes, so that the bundles still find their items)."""
    from civic.text import Text

    rng = random.Random(seed)
    base = list(catalog.items)
    items = []
    for n in range(size):
        item = base[n % len(base)]
        town, variant = TOWNS[(n // len(base)) % len(TOWNS)], rng.choice(VARIANTS)
        name = Text(f"{town}{item.name.zh}{variant}", f"{item.name.en} ({town})")
        code = item.code if n < len(base) else item.code[:19] + f"{n:012d}"
        materials = tuple(dataclasses.replace(m, code=f"{code}{k:03d}")
                          for k, m in enumerate(item.materials, 1))
        items.append(dataclasses.replace(item, code=code, name=name, materials=materials,
                                         popularity=rng.randint(0, 100)))
    return items


def synthetic(catalog, items, index=None):
    from civic.catalog.model import Catalog

    return Catalog(items, catalog.departments.values(), catalog.life_events.values(),
                   catalog.item_types, catalog.bundles.values(), catalog.form_parts,
                   index=index)


def median_s(build, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def naive_search(entries, query: str, limit: int = 20):
    """The baseline: a linear substring scan over precomputed strings, then a full sort."""
    q = query.strip().lower()
    found = []
    for rank, e in enumerate(entries):
        s = e.name
        if s.zh.startswith(q) or s.py.startswith(q) or s.ini.startswith(q):
            found.append((0, -e.item.popularity, rank))
        elif q in s.zh or q in s.py or q in s.ini:
            found.append((1, -e.item.popularity, rank))
        elif q in e.materials or q in e.english:
            found.append((5, -e.item.popularity, rank))
    found.sort()
    return found[:limit]


def keystrokes(search, rounds: int, fresh=lambda: None) -> list[float]:
    """Milliseconds per keystroke; ``fresh`` empties the index's keystroke cache before each
    query, so that no query profits from having been typed in an earlier round."""
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            fresh()
            for end in range(1, len(query) + 1):
                started = time.perf_counter()
                search(query[:end])
                times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--builds", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    from kiosk.catalog.load import load_catalog
    from seeds import seeds_dir
    imported = time.perf_counter() - started
    started = time.perf_counter()
    catalog = load_catalog(seeds_dir())
    loaded = time.perf_counter() - started
    print(f"import kiosk.catalog (incl. pypinyin): {imported * 1000:7.0f} ms")
    print(f"load_catalog(seeds/), {len(catalog)} items:  {loaded * 1000:7.0f} ms "
          "(TOML, validation, pinyin, search index)")
    import orjson

    from civic.catalog import catalog_from_document
    from kiosk.catalog.bulk import without_gc
    from kiosk.catalog.load import load_served
    from kiosk.catalog.search import SearchIndex

    items = synthetic_items(catalog, args.size)
    big = synthetic(catalog, items, SearchIndex)
    document = json.dumps(big.to_document(), ensure_ascii=False).encode()
    index_s = median_s(lambda: synthetic(catalog, items, SearchIndex), args.builds)

    def bare() -> None:         # as load_served builds, without the index
        with without_gc():
            catalog_from_document(orjson.loads(document))

    bare_s = median_s(bare, args.builds)
    served_s = median_s(lambda: load_served(document), args.builds)
    print(f"\nsynthetic catalog, {len(big)} items ({len(document) / 1e6:.0f} MB served), "
          f"medians of {args.builds} builds:")
    print(f"  served document loaded, no index   {bare_s * 1000:7.0f} ms "
          "(baseline: JSON, validation, content hash)")
    print(f"  served document loaded with index  {served_s * 1000:7.0f} ms "
          f"(load_served: {served_s / bare_s:.2f}x the baseline)")
    verdict = "meets" if index_s <= 1 else "MISSES"
    print(f"  model and index from the items     {index_s * 1000:7.0f} ms "
          f"({index_s / bare_s:.2f}x the baseline): {verdict} the 1 s target")
    n_keys = sum(len(q) for q in QUERIES)
    print(f"\n{len(QUERIES)} queries, {n_keys} keystrokes, {args.rounds} rounds; "
          "milliseconds per keystroke (limit 20)\n")
    print(f"{'catalog':<22}{'method':<16}{'p50':>8}{'p99':>8}{'max':>8}")
    results = {}
    for label, cat in ((f"real ({len(catalog)})", catalog), (f"synthetic ({len(big)})", big)):
        index = cat._index
        assert isinstance(index, SearchIndex)
        entries = index._entries
        all_rounds = keystrokes(lambda q, c=cat: c.search(q, 20), args.rounds,
                                index.forget_recent)
        first = summary(all_rounds[:n_keys])
        ours = summary(all_rounds)
        results[label] = ours
        naive = summary(keystrokes(lambda q, e=entries: naive_search(e, q), args.rounds))
        for method, (p50, p99, top) in (("index", ours), ("  first round", first),
                                        ("naive scan", naive)):
            print(f"{label:<22}{method:<16}{p50:8.3f}{p99:8.3f}{top:8.3f}")
        print(f"{'':<22}{'naive / index':<16}{naive[0] / ours[0]:7.1f}x{naive[1] / ours[1]:7.1f}x")
    target = results[f"synthetic ({len(big)})"][1]
    verdict = "meets" if target <= 5 else "MISSES"
    print(f"\np99 at {len(big)} items: {target:.2f} ms: {verdict} the 5 ms target")


if __name__ == "__main__":
    main()
