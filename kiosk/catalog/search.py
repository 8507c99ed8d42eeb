"""Search over the catalog by Chinese text, full pinyin, initials or a mix of them.

Everything is precomputed when the catalog is built: each item's name and keywords in
tone-less pinyin (``gongjijintiqu``, with syllable boundaries) and initials (``gjjtq``);
a sorted table of every suffix a query may start at (each Chinese character, each syllable
start, each initial, each English word), so that all plain matches of a term are one
binary search and one slice; posting lists from every character and latin bigram to the
items holding it (candidates for the slower matches); and the ranked answers of the few
one- and two-character terms that a large share of items contain.

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
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pypinyin import lazy_pinyin

from civic.catalog.model import Hit

if TYPE_CHECKING:
    from civic.catalog.model import Department, Item

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALL_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_CAP = 24                 # suffixes are indexed up to this length; longer terms are verified
_TOP = "\U0010ffff"       # sorts after every character: key + _TOP bounds a prefix range
_PRECOMPUTED = 50         # answers kept per precomputed term
_COMMON_MIN = 400         # a gram held by at least this many items ...
_COMMON_SHARE = 20        # ... and by at least 1/20 of them has its answers precomputed
_CACHE = 64               # complete match sets remembered for the next keystroke ...
_CACHE_CHECK = 1000       # ... and checked one by one when they are at most this large


@dataclass(frozen=True)
class _Spelling:
    """One text (a name or a keyword) in the forms a query may take."""

    zh: str                              # lower-cased, punctuation removed
    py: str                              # "gongjijintiqu"
    starts: tuple[int, ...]              # offsets in py where a syllable starts
    ini: str                             # "gjjtq"
    tokens: tuple[tuple[str, str], ...]  # (character, syllable)


def spell(text: str, cache: dict[str, _Spelling] | None = None) -> _Spelling:
    if cache is not None and text in cache:
        return cache[text]
    tokens: list[tuple[str, str]] = []
    for run in _RUN.findall(text.lower()):
        if _HAN.match(run):
            # one syllable per character, even for characters pypinyin cannot read
            syllables = lazy_pinyin(run, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
            if len(syllables) != len(run):
                syllables = [lazy_pinyin(ch)[0] for ch in run]
            tokens.extend(zip(run, syllables, strict=True))
        else:
            tokens.append((run, run))
    py, starts = "", []
    for _, syllable in tokens:
        starts.append(len(py))
        py += syllable
    result = _Spelling("".join(ch for ch, _ in tokens), py, tuple(starts),
                       "".join(s[0] for _, s in tokens), tuple(tokens))
    if cache is not None:
        cache[text] = result
    return result


def _reading(term: str) -> tuple[str, str]:
    """A mixed term as typed pinyin (养老bx -> yanglaobx) and its Chinese characters."""
    return spell(term).py, "".join(ch for ch in term if _HAN.match(ch))


def _plain_tier(s: _Spelling, term: str) -> int | None:
    """0 (starts with), 1 (contains) or None, as Chinese, pinyin or initials."""
    if s.zh.startswith(term) or s.py.startswith(term) or s.ini.startswith(term):
        return 0
    if term in s.zh or term in s.ini or (
            term in s.py and any(s.py.startswith(term, at) for at in s.starts)):
        return 1
    return None


def syllable_pattern(term: str) -> re.Pattern[str]:
    """A regex over ``\x01``-delimited syllables (``\x01gong\x01ji\x01jin\x01``) matching
    where ``term`` (latin) types consecutive syllables each in full or as its initial
    (``zh``/``ch``/``sh`` count as one), the last one possibly in part.

    ``gjjtiqu`` matches 公积金提取 and ``yanglaobx`` 养老保险; ``shebao`` does not match 申报
    (``she`` is neither the syllable ``shen`` nor its initial), which keeps noise out. After
    each typed letter the pattern may move to the next syllable only if that letter ended
    an initial (look-behind) or the syllable itself; the skip is possessive, so a search
    never backtracks into it.
    """
    step = "(?:(?:(?<=\x01.)|(?<=\x01[zcs]h))[^\x01\x02]*+\x01|\x01)?"
    return re.compile("\x01" + "".join(re.escape(c) + step for c in term[:-1])
                      + re.escape(term[-1]))


class _Entry:
    __slots__ = ("department", "english", "item", "keywords", "materials", "name", "syllables")

    def __init__(self, item: Item, department: str, cache: dict[str, _Spelling]) -> None:
        self.item = item
        self.name = spell(item.name.zh, cache)
        self.keywords = tuple(spell(k, cache) for k in item.keywords)
        self.english = item.name.en.lower()
        self.department = department
        self.materials = "|".join(m.name.zh for m in item.materials)
        self.syllables = "\x02".join("\x01" + "\x01".join(s for _, s in sp.tokens) + "\x01"
                                      for sp in (self.name, *self.keywords))

    def syllable_tier(self, term: str, pattern: re.Pattern[str] | None = None) -> int | None:
        """3 when the name or a keyword matches ``term`` (latin) syllable by syllable."""
        found = (pattern or syllable_pattern(term)).search(self.syllables)
        return None if found is None else 3

    def has_characters(self, hanzi: str) -> bool:
        return all(ch in self.name.zh or any(ch in k.zh for k in self.keywords) for ch in hanzi)

    def tier(self, term: str, reading: tuple[str, str] | None = None,
             pattern: re.Pattern[str] | None = None) -> int | None:
        """This entry's tier for ``term``, computed directly (multi-word and long terms);
        ``reading`` (``_reading``) and ``pattern`` (``syllable_pattern`` of the latin
        reading) may be computed once by the caller."""
        latin = term.isascii()
        plain = _plain_tier(self.name, term)
        if plain is not None:
            return plain
        if any(_plain_tier(k, term) is not None for k in self.keywords):
            return 2
        if not latin and not _ALL_HAN.fullmatch(term):          # mixed: 养老bx
            latin_term, hanzi = reading or _reading(term)
            if not self.has_characters(hanzi):
                return None
            plain = _plain_tier(self.name, latin_term)
            if plain is not None:
                return plain
            if any(_plain_tier(k, latin_term) is not None for k in self.keywords):
                return 2
            return self.syllable_tier(latin_term, pattern) if len(latin_term) > 1 else None
        if latin and len(term) > 2 and self.syllable_tier(term, pattern) is not None:
            return 3
        if latin and len(term) > 2 and re.search(r"\b" + re.escape(term), self.english):
            return 4
        if not latin and (term in self.department or term in self.materials):
            return 5
        return None

    def suffixes(self) -> Iterable[tuple[str, int]]:
        """(suffix, tier) for every place a plain match may start."""
        for spelling, keyword in ((self.name, False), *((k, True) for k in self.keywords)):
            for text, offsets in ((spelling.zh, range(len(spelling.zh))),
                                  (spelling.py, spelling.starts),
                                  (spelling.ini, range(len(spelling.ini)))):
                for at in offsets:
                    yield text[at:at + _CAP], 2 if keyword else int(at > 0)
        for word in re.finditer(r"[a-z0-9]+", self.english):
            yield self.english[word.start():word.start() + _CAP], 4

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
        n = self._n = len(self._entries)
        pairs = sorted((suffix, tier * n + rank) for rank, entry in enumerate(self._entries)
                       for suffix, tier in entry.suffixes())
        self._keys = [key for key, _ in pairs]
        self._codes = [code for _, code in pairs]     # tier * n + rank: sorts best first
        postings: dict[str, set[int]] = {}
        for rank, entry in enumerate(self._entries):
            for gram in entry.grams():
                postings.setdefault(gram, set()).add(rank)
        self._postings = {g: sorted(ranks) for g, ranks in postings.items()}
        self._lock = threading.Lock()     # guards the keystroke cache (searches may run on
        self._recent: dict[str, dict[int, int]] = {}   # several threads in the sandbox)
        # A term of one or two characters that most items contain ("a", "证") would match
        # too many suffixes to sort at every keystroke; their answers are ranked once.
        common = max(_COMMON_MIN, n // _COMMON_SHARE)
        self._short = {gram: self._rank_term(gram, _PRECOMPUTED)
                       for gram, ranks in self._postings.items()
                       if len(ranks) >= common and len(gram) <= 2}

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
        elif limit <= _PRECOMPUTED and terms[0] in self._short:
            found = self._short[terms[0]][:limit]
        else:
            found = self._rank_term(terms[0], limit)
        return [Hit(self._entries[rank].item, tier) for rank, tier in found]

    def _plain_codes(self, term: str) -> list[int]:
        """Sorted codes (tier * n + rank) of every plain match: tiers 0, 1, 2 and 4."""
        key = term[:_CAP]
        lo = bisect_left(self._keys, key)
        hi = bisect_left(self._keys, key + _TOP, lo)
        codes = sorted(set(self._codes[lo:hi]))
        if len(term) > _CAP:             # the table held only the first _CAP characters
            codes = [c for c in codes
                     if self._entries[c % self._n].tier(term) == c // self._n]
        if len(term) <= 2:               # English words only from three letters
            codes = codes[:bisect_left(codes, 4 * self._n)]
        return codes

    def _candidates(self, term: str) -> Sequence[int]:
        """Items holding every character (Chinese) and latin bigram of the term."""
        grams = {ch for ch in term if not ch.isascii()}
        for run in re.findall(r"[\x00-\x7f]+", term):
            grams |= {run} if len(run) == 1 else {run[i:i + 2] for i in range(len(run) - 1)}
        lists = sorted((self._postings.get(g, []) for g in grams), key=len)
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

        Every tier is closed under prefixes (whatever matches ``养老bx`` matches ``养老b``),
        so when the previous keystroke's complete match set is small, only its members are
        checked; otherwise plain matches come from the suffix table, and the slower tiers
        are computed only if the plain ones leave room.
        """
        latin = term.isascii()
        mixed = not latin and not _ALL_HAN.fullmatch(term)
        reading, hanzi = _reading(term) if mixed else (term, "")
        pattern = syllable_pattern(reading) if len(reading) > 1 else None
        found = self._from_recent(
            term, lambda rank: self._entries[rank].tier(term, (reading, hanzi), pattern))
        if found is not None:
            return self._remember(term, found, limit)
        n = self._n
        codes = self._plain_codes(reading)
        if mixed:        # the pinyin matched; the characters typed must be there too
            codes = [c for c in codes if c < 4 * n and self._entries[c % n].has_characters(hanzi)]
        found = {}
        for code in codes:               # ascending: best tier first, then common items
            tier, rank = divmod(code, n)
            if tier >= 3:
                break
            if rank not in found:
                found[rank] = tier
                if len(found) >= limit:  # nothing later can beat these
                    return list(found.items())
        if len(reading) > 2 and reading.isascii():
            for rank in self._syllable_matches(reading, found, term):
                if not mixed or self._entries[rank].has_characters(hanzi):
                    found[rank] = 3
        if not mixed:
            for code in codes[bisect_left(codes, 4 * n):]:
                found.setdefault(code % n, 4)
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
            previous = self._recent.get(key[:-1])
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
        readings = {t: _reading(t) for t in terms}
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
        if driver.isascii() or _ALL_HAN.fullmatch(driver):
            n = self._n
            for code in self._plain_codes(driver):
                tier, rank = divmod(code, n)
                if tier >= 3:
                    break
                if rank not in found and (rest := tier_of(rank, others)) is not None:
                    found[rank] = max(tier, rest)
            if sum(1 for t in found.values() if t <= 2) >= limit:
                return sorted(found.items(), key=lambda hit: (hit[1], hit[0]))[:limit]
        for rank, tier in self._rank_term(driver, len(self._entries)):
            if rank not in found and (rest := tier_of(rank, others)) is not None:
                found[rank] = max(tier, rest)
        return self._remember(key, found, limit)
