"""Search over the catalog by Chinese text, full pinyin, initials or a mix of them.

Everything is precomputed when the catalog is built: each item's name in tone-less pinyin
(``gongjijintiqu``, with the syllable boundaries) and initials (``gjjtq``), its keywords
the same way, its English name, department and materials; posting lists from every
character and every latin bigram to the items holding it; and the ranked answers of the
one- and two-character queries that a large share of items contain, so the first
keystrokes (which match the most items) cost a dictionary look-up.

A term matches, best tier first:

0. the name starts with it (Chinese, pinyin from a syllable start, or initials);
1. the name contains it, the same three ways;
2. the name matches it syllable by syllable, each syllable typed in full, as its initial,
   or as the character itself, the last one possibly in part (``gjjtiqu``, ``yanglaobx``,
   ``养老bx``, ``gjj提取``);
3. a keyword (colloquial name: 社保, 低保) matches it like a name;
4. the English name contains it;
5. the department's name or a material's name contains it.

Within a tier, common items (higher ``popularity``) come first. A query of several words
separated by spaces needs every word to match; the weakest word decides the tier.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pypinyin import lazy_pinyin

if TYPE_CHECKING:
    from kiosk.catalog.model import Department, Item

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
TIER_NAMES = ("name", "name", "pinyin", "keyword", "english", "material")
_PRECOMPUTED = 50         # answers kept per precomputed query
_COMMON_MIN = 400         # a gram held by at least this many items ...
_COMMON_SHARE = 20        # ... and by at least 1/20 of them has its answers precomputed


@dataclass(frozen=True)
class Hit:
    item: Item
    tier: int               # 0 best; see the module docstring

    @property
    def matched(self) -> str:
        return TIER_NAMES[self.tier]


@dataclass(frozen=True)
class _Spelling:
    """One text (a name or a keyword) in the forms a query may take."""

    zh: str                              # lower-cased, punctuation removed
    py: str                              # "gongjijintiqu"
    starts: frozenset[int]               # offsets in py where a syllable starts
    ini: str                             # "gjjtq"
    tokens: tuple[tuple[str, str], ...]  # (character, syllable) for syllable-wise matching


def spell(text: str, cache: dict[str, _Spelling] | None = None) -> _Spelling:
    if cache is not None and text in cache:
        return cache[text]
    tokens: list[tuple[str, str]] = []
    for run in _RUN.findall(text.lower()):
        if _HAN.match(run):
            # one syllable per character, even for characters pypinyin cannot read
            syllables = lazy_pinyin(run, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
            if len(syllables) != len(run):       # a character pypinyin does not know
                syllables = [lazy_pinyin(ch)[0] for ch in run]
            tokens.extend(zip(run, syllables, strict=True))
        else:
            tokens.append((run, run))
    py, starts = "", set()
    for _, syllable in tokens:
        starts.add(len(py))
        py += syllable
    result = _Spelling("".join(ch for ch, _ in tokens), py, frozenset(starts),
                       "".join(s[0] for _, s in tokens), tuple(tokens))
    if cache is not None:
        cache[text] = result
    return result


def _name_tier(s: _Spelling, term: str, latin: bool) -> int | None:
    """Tier 0 or 1 when ``term`` matches the spelling as plain text, else None."""
    if not latin:
        if s.zh.startswith(term):
            return 0
        return 1 if term in s.zh else None
    if s.ini.startswith(term) or s.py.startswith(term):
        return 0
    if term in s.ini:
        return 1
    at = s.py.find(term)
    while at != -1:
        if at in s.starts:
            return 1
        at = s.py.find(term, at + 1)
    return None


def _syllable_match(tokens: Sequence[tuple[str, str]], term: str) -> bool:
    """Does ``term`` match consecutive tokens, each typed as its character, its full syllable
    or its initial (``zh``/``ch``/``sh`` count as one), the last one possibly in part?

    ``gjjtiqu`` matches 公积金提取 and ``养老bx`` matches 养老保险; ``shebao`` does not match
    申报 (``she`` is neither the syllable ``shen`` nor its initial), which keeps noise out.
    """
    n = len(term)
    first = term[0]
    for start, (ch, syllable) in enumerate(tokens):
        if ch[0] != first and syllable[0] != first:
            continue
        reach = {0}
        for ch, syllable in tokens[start:]:
            nxt: set[int] = set()
            initial = syllable[:2] if syllable[:2] in ("zh", "ch", "sh") else syllable[0]
            for pos in reach:
                if syllable.startswith(term[pos:]):
                    return True                  # the rest is the start of this syllable
                for way in {ch, syllable, initial, syllable[0]}:
                    if term.startswith(way, pos):
                        if pos + len(way) == n:
                            return True
                        nxt.add(pos + len(way))
            if not nxt:
                break
            reach = nxt
    return False


class _Entry:
    __slots__ = ("department", "english", "item", "keywords", "materials", "name")

    def __init__(self, item: Item, department: str, cache: dict[str, _Spelling]) -> None:
        self.item = item
        self.name = spell(item.name.zh, cache)
        self.keywords = tuple(spell(k, cache) for k in item.keywords)
        self.english = item.name.en.lower()
        self.department = department
        self.materials = "|".join(m.name.zh for m in item.materials)

    def cheap_tier(self, term: str, latin: bool) -> int | None:
        return _name_tier(self.name, term, latin)

    def other_tier(self, term: str, latin: bool) -> int | None:
        """Tiers 2-5, for an entry whose name did not match as plain text."""
        # Two letters typed syllable-wise are always a syllable start or two initials, which
        # the plain tests have covered; the syllable matcher adds something from three on.
        syllables = len(term) > 2 or not latin
        if syllables and _syllable_match(self.name.tokens, term):
            return 2
        for keyword in self.keywords:
            if _name_tier(keyword, term, latin) is not None or (
                    syllables and _syllable_match(keyword.tokens, term)):
                return 3
        if latin and len(term) > 2 and term in self.english:
            return 4
        if not latin and (term in self.department or term in self.materials):
            return 5
        return None

    def tier(self, term: str, latin: bool) -> int | None:
        cheap = self.cheap_tier(term, latin)
        return cheap if cheap is not None else self.other_tier(term, latin)

    def grams(self) -> Iterable[str]:
        """Every character and latin bigram that a matching term could be made of."""
        texts = [self.name.zh, self.name.py, self.name.ini, self.english, self.department,
                 self.materials]
        for k in self.keywords:
            texts += [k.zh, k.py, k.ini]
        for text in texts:
            yield from text
            yield from (text[i:i + 2] for i in range(len(text) - 1) if text[i:i + 2].isascii())
        for spelling in (self.name, *self.keywords):
            for (_, syllable), (_, following) in itertools.pairwise(spelling.tokens):
                if syllable[:2] in ("zh", "ch", "sh"):   # "zh" typed as an initial, then more
                    yield "h" + following[0]


class SearchIndex:
    def __init__(self, items: Iterable[Item], departments: Mapping[str, Department]) -> None:
        cache: dict[str, _Spelling] = {}
        ranked = sorted(items, key=lambda i: (-i.popularity, i.code))
        self._entries = [_Entry(item, departments[item.department].name.zh
                                if item.department in departments else "", cache)
                         for item in ranked]
        postings: dict[str, set[int]] = {}
        for rank, entry in enumerate(self._entries):
            for gram in entry.grams():
                postings.setdefault(gram, set()).add(rank)
        self._postings = {g: sorted(ranks) for g, ranks in postings.items()}
        # A term of one or two characters that most items contain ("a", "证") would have to
        # be checked against all of them; their answers are ranked once, here.
        common = max(_COMMON_MIN, len(self._entries) // _COMMON_SHARE)
        self._short: dict[str, list[tuple[int, int]]] = {
            gram: self._rank_term(gram, ranks, _PRECOMPUTED)
            for gram, ranks in self._postings.items() if len(ranks) >= common}

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        terms = [t for t in re.split(r"[\s,，、]+", query.strip().lower()) if t]
        if not terms or limit <= 0:
            return []
        if len(terms) == 1:
            term = terms[0]
            if limit <= _PRECOMPUTED and term in self._short:
                found = self._short[term][:limit]
            else:
                found = self._rank_term(term, self._candidates(term), limit)
        else:
            found = self._rank_terms(terms, limit)
        return [Hit(self._entries[rank].item, tier) for rank, tier in found]

    def _candidates(self, term: str) -> Sequence[int]:
        """Items holding every character (Chinese) and latin bigram of the term."""
        grams = {ch for ch in term if not ch.isascii()}
        latin_runs = re.findall(r"[\x00-\x7f]+", term)
        for run in latin_runs:
            grams |= {run} if len(run) == 1 else {run[i:i + 2] for i in range(len(run) - 1)}
        lists = sorted((self._postings.get(g, []) for g in grams), key=len)
        if not lists or not lists[0]:
            return []
        if len(lists) == 1:
            return lists[0]
        return sorted(set(lists[0]).intersection(*lists[1:]))

    def _rank_term(self, term: str, candidates: Sequence[int],
                   limit: int) -> list[tuple[int, int]]:
        latin = term.isascii()
        entries = self._entries
        first: list[tuple[int, int]] = []
        second: list[tuple[int, int]] = []
        rest: list[int] = []
        for rank in candidates:          # candidates are in static rank order
            tier = entries[rank].cheap_tier(term, latin)
            if tier == 0:
                first.append((rank, 0))
                if len(first) >= limit:  # nothing later can beat these
                    return first
            elif tier is None:
                rest.append(rank)
            else:
                second.append((rank, tier))
        found = first + second
        if len(found) >= limit:
            return found[:limit]
        for rank in rest:
            tier = entries[rank].other_tier(term, latin)
            if tier is not None:
                found.append((rank, tier))
        found.sort(key=lambda hit: (hit[1], hit[0]))
        return found[:limit]

    def _rank_terms(self, terms: list[str], limit: int) -> list[tuple[int, int]]:
        candidates = set(self._candidates(terms[0]))
        for term in terms[1:]:
            candidates &= set(self._candidates(term))
        found = []
        for rank in sorted(candidates):
            tiers = [self._entries[rank].tier(t, t.isascii()) for t in terms]
            if all(t is not None for t in tiers):
                found.append((rank, max(t for t in tiers if t is not None)))
        found.sort(key=lambda hit: (hit[1], hit[0]))
        return found[:limit]
