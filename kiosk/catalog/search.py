"""Search over the catalog by Chinese text, full pinyin, initials or a mix of them.

Built with the catalog (on the thread that loads it): each item's name and keywords in
tone-less pinyin (``gongjijintiqu``, with syllable boundaries) and initials (``gjjtq``),
each distinct text spelled once; sorted tables of the suffixes a plain match may start at
(the start of each name, each later syllable of its pinyin, every place in a keyword,
each English word), so that those matches of a term are one binary search and one slice;
and the names' Chinese and initials as one string each, in which a term is found where it
stands, best items first, stopping once enough are found. The items holding a character or
latin bigram (the candidates for the slower matches) are listed the first time a term
needs them and kept.

A term matches, best tier first:

0. the name starts with it (Chinese, pinyin from a syllable start, or initials);
1. the name contains it, the same three ways;
2. a keyword (colloquial name: 社保, 低保, 公积金提取) matches it the same ways;
3. the name or a keyword matches it syllable by syllable, each syllable typed in full, as
   its initial or as the character itself, the last one possibly in part (``gjjtiqu``,
   ``yanglaobx``, ``养老bx``, ``gjj提取``);
4. a word of the English name starts with it (three letters or more);
5. the department's name or a material's name contains it (Chinese).

Within a tier, common items (higher ``popularity``) come first. A query of several words
separated by spaces needs every word to match; the weakest word decides the tier.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from civic.catalog.model import Hit
from kiosk.catalog.bulk import without_gc
from kiosk.catalog.entry import CAP, Entry, Speller, syllable_pattern
from kiosk.catalog.pinyin import ALL_HAN, typed_reading
from kiosk.catalog.tables import SuffixTable, joined

if TYPE_CHECKING:
    from civic.catalog.model import Department, Item

#: each suffix (up to CAP characters) that starts a word of an English name
_WORD_START = re.compile(rf"(?<![a-z0-9])(?=([a-z0-9](?s:.){{0,{CAP - 1}}}))")
_CACHE = 64               # complete match sets remembered for the next keystroke ...
_CACHE_CHECK = 1000       # ... and checked one by one when they are at most this large


def _narrows(term: str) -> bool:
    """Whether every match of ``term`` is a match of ``term[:-1]``, so that the keystroke
    cache may check only those: so when both are latin, both Chinese or both mixed (a mixed
    term is matched by its pinyin and its characters, the others as typed), except when a
    latin term reaches its third letter, where English words begin to count."""
    shorter = term[:-1]
    if term.isascii():
        return len(term) != 3
    if ALL_HAN.fullmatch(term):
        return ALL_HAN.fullmatch(shorter) is not None
    return not shorter.isascii() and ALL_HAN.fullmatch(shorter) is None


def _has_latin(text: str) -> bool:
    return not text.isascii() and any(ch.isascii() for ch in text)


def _word_starts(english: str) -> frozenset[str]:
    """The suffixes of an English name that start a word."""
    return frozenset(_WORD_START.findall(english))


class SearchIndex:
    def __init__(self, items: Iterable[Item], departments: Mapping[str, Department]) -> None:
        with without_gc():    # a few hundred thousand containers, none of them garbage
            speller = Speller()
            ranked = sorted(items, key=lambda i: (-i.popularity, i.code))
            spelled = [(speller(item.name.zh), tuple(speller(k) for k in item.keywords))
                       for item in ranked]
            self._entries = [Entry(item, departments[item.department].name.zh
                                    if item.department in departments else "", name, keywords)
                             for item, (name, keywords) in zip(ranked, spelled, strict=True)]
            self._n = len(self._entries)
            # The plain matches by tier: the name starts with the term (0); the name's pinyin
            # has it from a later syllable (1; the Chinese and the initials are the joined
            # strings below); a keyword has it (2); a word of the English name starts with it.
            starts, later, keyword, english = (SuffixTable() for _ in range(4))
            keyword_suffixes: dict[str, frozenset[str]] = {}
            english_words: dict[str, frozenset[str]] = {}
            for rank, (entry, (name, keywords)) in enumerate(zip(self._entries, spelled,
                                                                 strict=True)):
                starts.add(name.heads, rank)
                later.add(name.later, rank)
                for k in keywords:
                    text = k.spelling.zh
                    if (suffixes := keyword_suffixes.get(text)) is None:
                        suffixes = keyword_suffixes[text] = k.everywhere()
                    keyword.add(suffixes, rank)
                if (words := english_words.get(entry.english)) is None:
                    words = english_words[entry.english] = _word_starts(entry.english)
                english.add(words, rank)
            self._starts, self._later = starts.done(), later.done()
            self._keyword, self._english = keyword.done(), english.done()
            # The names' Chinese and initials, for the matches inside them (tier 1). A latin
            # term is looked for only in the Chinese that has latin in it (12315), a Chinese
            # one only in the initials that have a character pypinyin could not read.
            zh, ini = [e.name.zh for e in self._entries], [e.name.ini for e in self._entries]
            self._zh, self._zh_latin = joined(zh), joined(zh, _has_latin)
            self._ini, self._ini_other = joined(ini), joined(ini, lambda t: not t.isascii())
            self._texts = [entry.text for entry in self._entries]
            # The items holding each character and latin bigram: listed as terms need them
            # (each typed letter adds at most one), so that the build does not pay for every
            # bigram of every name's pinyin.
            self._postings: dict[str, list[int]] = {}
        self._lock = threading.Lock()     # guards the keystroke cache (searches may run on
        self._recent: dict[str, dict[int, int]] = {}   # several threads in the sandbox)

    def __len__(self) -> int:
        return len(self._entries)

    def forget_recent(self) -> None:
        """Drop the keystroke cache (a new search box session; benchmarks of cold queries)."""
        with self._lock:
            self._recent.clear()

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        terms = [t for t in re.split(r"[\s,，、]+", query.strip().lower()) if t]
        if not terms or limit <= 0:
            return []
        if len(terms) > 1:
            found = self._rank_terms(terms, limit)
        else:
            found = self._rank_term(terms[0], limit)
        return [Hit(self._entries[rank].item, tier) for rank, tier in found]

    def _plain(self, term: str, limit: int, found: Mapping[int, int],
               take: Callable[[int], bool] = lambda _: True,
               ) -> Iterator[tuple[int, list[int]]]:
        """(tier, ranks ascending) of the plain matches of ``term``, tiers 0, 1 and 2 in
        turn, of items not yet ``found`` and that ``take`` accepts; of tier 1, the best
        ``limit`` minus those found (a caller stops at ``limit``)."""
        key = term[:CAP]
        yield 0, [r for r in self._verified(term, 0, self._starts.starting(key))
                  if r not in found and take(r)]

        def new(rank: int) -> bool:
            return rank not in found and take(rank)

        want = limit - len(found)
        zh, ini = (self._zh_latin, self._ini) if term.isascii() else (self._zh, self._ini_other)
        contains = set(zh.find(term, want, new)) | set(ini.find(term, want, new))
        later = filter(new, self._verified(term, 1, self._later.starting(key)))
        contains.update(itertools.islice(later, want))
        yield 1, sorted(contains)[:want]
        yield 2, [r for r in self._verified(term, 2, self._keyword.starting(key))
                  if r not in found and take(r)]

    def _english_matches(self, term: str) -> list[int]:
        """Ranks, sorted, whose English name has a word starting with ``term`` (tier 4)."""
        return self._verified(term, 4, self._english.starting(term[:CAP]))

    def _verified(self, term: str, tier: int, ranks: list[int]) -> list[int]:
        """``ranks`` where ``term`` matches at ``tier``: the tables hold only the first
        CAP characters of each suffix, so a longer term is checked item by item."""
        if len(term) <= CAP:
            return ranks
        return [rank for rank in ranks if self._entries[rank].tier(term) == tier]

    def _posting(self, gram: str) -> list[int]:
        """The ranks, ascending, of the items whose texts hold ``gram`` (computed once)."""
        ranks = self._postings.get(gram)
        if ranks is None:
            ranks = list(itertools.compress(range(self._n), map(
                operator.contains, self._texts, itertools.repeat(gram))))
            self._postings[gram] = ranks     # another thread may do the same: same answer
        return ranks

    def _candidates(self, term: str) -> Sequence[int]:
        """Items holding every character (Chinese) and latin bigram of the term."""
        grams = {ch for ch in term if not ch.isascii()}
        for run in re.findall(r"[\x00-\x7f]+", term):
            grams |= {run} if len(run) == 1 else {run[i:i + 2] for i in range(len(run) - 1)}
        lists = sorted((self._posting(g) for g in grams), key=len)
        if not lists or not lists[0]:
            return []
        if len(lists) == 1:
            return lists[0]
        return sorted(set(lists[0]).intersection(*lists[1:]))

    def _syllable_matches(self, term: str, exclude: Mapping[int, int],
                          candidates_of: str = "") -> list[int]:
        """Ranks not in ``exclude`` that match the latin ``term`` syllable by syllable
        (candidates: the items holding the grams of ``candidates_of``, default ``term``)."""
        search = syllable_pattern(term).search
        entries = self._entries
        return [rank for rank in self._candidates(candidates_of or term)
                if rank not in exclude and search(entries[rank].syllables)]

    def _rank_term(self, term: str, limit: int) -> list[tuple[int, int]]:
        """The best ``limit`` (rank, tier) for one term.

        Whatever matches ``养老bx`` matches ``养老b`` (``_narrows`` says when this holds), so
        when the previous keystroke's complete match set is small, only its members are
        checked; otherwise plain matches come from the tables and the names' joined
        strings, best first, and the slower tiers are computed only if the plain ones leave
        room.
        """
        latin = term.isascii()
        mixed = not latin and not ALL_HAN.fullmatch(term)
        reading, hanzi = typed_reading(term) if mixed else (term, "")
        pattern = syllable_pattern(reading) if len(reading) > 1 else None
        found = self._from_recent(
            term, lambda rank: self._entries[rank].tier(term, (reading, hanzi), pattern))
        if found is not None:
            return self._remember(term, found, limit)
        found = {}
        entries = self._entries
        # the pinyin matched; for a mixed term the characters typed must be there too
        take = (lambda rank: entries[rank].has_characters(hanzi)) if mixed else (lambda _: True)
        for tier, ranks in self._plain(reading, limit, found, take):   # best tier first,
            for rank in ranks:                                          # then common items
                if rank not in found:
                    found[rank] = tier
                    if len(found) >= limit:  # nothing later can beat these
                        return list(found.items())
        if len(reading) > 2 and reading.isascii():
            for rank in self._syllable_matches(reading, found, term):
                if not mixed or self._entries[rank].has_characters(hanzi):
                    found[rank] = 3
        if not mixed and len(reading) > 2:   # English words only from three letters
            for rank in self._english_matches(reading):
                found.setdefault(rank, 4)
        if not latin and not mixed:
            for rank in self._candidates(term):
                entry = self._entries[rank]
                if rank not in found and (term in entry.department or term in entry.materials):
                    found[rank] = 5
        return self._remember(term, found, limit)

    def _from_recent(self, key: str,
                     tier_of: Callable[[int], int | None]) -> dict[int, int] | None:
        """The complete matches of ``key`` from the keystroke cache: as remembered, or
        checked one by one among the previous keystroke's (a superset), or None."""
        with self._lock:
            same = self._recent.get(key)
            previous = (self._recent.get(key[:-1]) if _narrows(key.rsplit(" ", 1)[-1])
                        else None)
        if same is not None:
            return same
        if previous is None or len(previous) > _CACHE_CHECK:
            return None
        return {rank: tier for rank in previous if (tier := tier_of(rank)) is not None}

    def _remember(self, key: str, found: dict[int, int], limit: int) -> list[tuple[int, int]]:
        """Keep a complete match set for the next keystroke; return the best ``limit``."""
        with self._lock:
            if key not in self._recent and len(self._recent) >= _CACHE:
                self._recent.pop(next(iter(self._recent)))
            self._recent[key] = found
        return sorted(found.items(), key=lambda hit: (hit[1], hit[0]))[:limit]

    def _rank_terms(self, terms: list[str], limit: int) -> list[tuple[int, int]]:
        readings = {t: typed_reading(t) for t in terms}
        patterns = {t: syllable_pattern(readings[t][0]) if len(readings[t][0]) > 1 else None
                    for t in terms}

        def tier_of(rank: int, words: Iterable[str] = terms) -> int | None:
            tiers = [self._entries[rank].tier(t, readings[t], patterns[t]) for t in words]
            return None if None in tiers else max(t for t in tiers if t is not None)

        key = " ".join(terms)
        found = self._from_recent(key, tier_of)
        if found is not None:
            return self._remember(key, found, limit)
        # The most selective word drives; the others are checked on its matches only. Its
        # plain matches (tiers 0-2) come first: if they give enough answers of tier 2 or
        # better, no slower match of the driver (tier 3 and worse) could beat them.
        driver, *others = sorted(terms, key=lambda t: len(self._candidates(t)))
        found = {}
        if driver.isascii() or ALL_HAN.fullmatch(driver):
            for tier, ranks in self._plain(driver, self._n, found):
                for rank in ranks:
                    if rank not in found and (rest := tier_of(rank, others)) is not None:
                        found[rank] = max(tier, rest)
            if sum(1 for t in found.values() if t <= 2) >= limit:
                return sorted(found.items(), key=lambda hit: (hit[1], hit[0]))[:limit]
        for rank, tier in self._rank_term(driver, len(self._entries)):
            if rank not in found and (rest := tier_of(rank, others)) is not None:
                found[rank] = max(tier, rest)
        return self._remember(key, found, limit)
