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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, RE_HANS
from pypinyin.core import Pinyin
from pypinyin.seg.mmseg import seg as phrase_cut

from civic.catalog.model import Hit
from kiosk.catalog.bulk import without_gc

if TYPE_CHECKING:
    from civic.catalog.model import Department, Item

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALL_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_CAP = 24                 # suffixes are indexed up to this length; longer terms are verified
#: each suffix (up to _CAP characters) that starts a word of an English name
_WORD_START = re.compile(rf"(?<![a-z0-9])(?=([a-z0-9](?s:.){{0,{_CAP - 1}}}))")
_TOP = "\U0010ffff"       # sorts after every character: key + _TOP bounds a prefix range
_CACHE = 64               # complete match sets remembered for the next keystroke ...
_CACHE_CHECK = 1000       # ... and checked one by one when they are at most this large


@dataclass(frozen=True)
class _Spelling:
    """One text (a name or a keyword) in the forms a query may take."""

    zh: str                              # lower-cased, punctuation removed
    py: str                              # "gongjijintiqu"
    starts: tuple[int, ...]              # offsets in py where a syllable starts
    ini: str                             # "gjjtq"
    syllables: tuple[str, ...]           # of each character; a latin run as itself


def _each(chars: str) -> list[str]:
    """pypinyin's answer for characters it cannot read: each one as itself."""
    return list(chars)


def _read_run(run: str) -> list[str]:
    """The syllables of a run of Chinese characters, as pypinyin reads it."""
    return lazy_pinyin(run, errors=_each)  # type: ignore[arg-type]


def spell(text: str, read: Callable[[str], list[str]] = _read_run) -> _Spelling:
    """``text`` spelled; ``read`` gives the syllables of a run of Chinese characters."""
    runs = _RUN.findall(text.lower())
    syllables: list[str] = []
    for run in runs:
        if _HAN.match(run):
            # one syllable per character, even for characters pypinyin cannot read
            read_as = read(run)
            if len(read_as) != len(run):
                read_as = [lazy_pinyin(ch)[0] for ch in run]
            syllables += read_as
        else:
            syllables.append(run)
    starts = tuple(itertools.accumulate(map(len, syllables[:-1]), initial=0)) if runs else ()
    return _Spelling("".join(runs), "".join(syllables), starts,
                     "".join([syllable[0] for syllable in syllables]), tuple(syllables))


def _from(text: str, offsets: Sequence[int]) -> map[str]:
    """The suffixes of ``text`` starting at ``offsets``, as the tables keep them."""
    return map(text.__getitem__, map(slice, offsets, map(_CAP.__add__, offsets)))


class _Spelled:
    """A name's or keyword's spelling with what the index takes from it, made once for each
    distinct text of a build (a province lists the same names in every county)."""

    __slots__ = ("delimited", "heads", "later", "spelling", "text")

    def __init__(self, spelling: _Spelling) -> None:
        s = self.spelling = spelling
        #: where a plain match may start: at the start, and at each later syllable of the
        #: pinyin (the Chinese and the initials are searched where they stand)
        self.heads = frozenset(text[:_CAP] for text in (s.zh, s.py, s.ini) if text)
        self.later = frozenset(_from(s.py, s.starts[1:]))
        syllables = s.syllables
        self.delimited = "\x01" + "\x01".join(syllables) + "\x01"   # see syllable_pattern
        #: where a syllable-wise match's letters and characters come from: the three
        #: forms, and after a zh/ch/sh typed as its initial, the "h" and the next initial
        self.text = "\x00".join([s.zh, s.py, s.ini, *(
            "h" + following[0] for syllable, following in itertools.pairwise(syllables)
            if syllable[:2] in ("zh", "ch", "sh"))])

    def everywhere(self) -> frozenset[str]:
        """Every suffix a plain match may start at (a keyword's, all in one table)."""
        s = self.spelling
        return self.heads | self.later | frozenset(_from(s.zh, range(1, len(s.zh)))) \
            | frozenset(_from(s.ini, range(1, len(s.ini))))


class _Speller:
    """Spells the texts of one build, each distinct text once.

    pypinyin cuts a run of characters into the words of its phrase dictionary, which is how
    it reads a character by its word (长期 cháng, 还贷 huán, 弹性 tán: read one by one they
    would be zhǎng, hái, dàn); the run is cut the same way here (pypinyin's own cut, which
    it applies to a run that is all Chinese), but each distinct word is converted once, so
    a catalog of thousands of names converts a few hundred words. The syllables are the
    ones pypinyin gives for the whole run (tests/kiosk/catalog/test_search.py checks it on
    every name and keyword of the catalog).
    """

    def __init__(self) -> None:
        self._seg = Pinyin().seg
        self._words: dict[str, list[str]] = {}
        self._runs: dict[str, list[str]] = {}
        self._texts: dict[str, _Spelled] = {}

    def _word(self, word: str) -> list[str]:
        known = self._words.get(word)
        if known is None:
            known = self._words[word] = _read_run(word)
        return known

    def read(self, run: str) -> list[str]:
        """The syllables of a run of characters. The cut goes word by word from the left,
        each word's end deciding nothing but where the rest starts: the rest of a run (the
        name after its town: 出生登记 in 良渚出生登记) is cut and read once for all runs
        that end with it."""
        if not (PHRASES_DICT and RE_HANS.match(run)):   # what pypinyin cuts otherwise
            return [syllable for word in self._seg(run) for syllable in self._word(word)]
        pending: list[tuple[str, str]] = []
        while run and run not in self._runs:
            first = next(phrase_cut.cut(run))
            pending.append((run, first))
            run = run[len(first):]
        syllables = self._runs[run] if run else []
        for whole, first in reversed(pending):
            syllables = self._runs[whole] = self._word(first) + syllables
        return syllables

    def __call__(self, text: str) -> _Spelled:
        spelled = self._texts.get(text)
        if spelled is None:
            spelled = self._texts[text] = _Spelled(spell(text, self.read))
        return spelled


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


def _narrows(term: str) -> bool:
    """Whether every match of ``term`` is a match of ``term[:-1]``, so that the keystroke
    cache may check only those: so when both are latin, both Chinese or both mixed (a mixed
    term is matched by its pinyin and its characters, the others as typed), except when a
    latin term reaches its third letter, where English words begin to count."""
    shorter = term[:-1]
    if term.isascii():
        return len(term) != 3
    if _ALL_HAN.fullmatch(term):
        return _ALL_HAN.fullmatch(shorter) is not None
    return not shorter.isascii() and _ALL_HAN.fullmatch(shorter) is None


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
    __slots__ = ("department", "english", "item", "keywords", "materials", "name", "syllables",
                 "text")

    def __init__(self, item: Item, department: str, name: _Spelled,
                 keywords: tuple[_Spelled, ...]) -> None:
        self.item = item
        self.name = name.spelling
        self.keywords = tuple(k.spelling for k in keywords)
        self.english = item.name.en.lower()
        self.department = department
        self.materials = "|".join(m.name.zh for m in item.materials)
        self.syllables = "\x02".join([name.delimited, *(k.delimited for k in keywords)])
        #: every text a term's characters and latin bigrams may be found in (``_candidates``)
        self.text = "\x00".join([name.text, *(k.text for k in keywords), self.english,
                                  department, self.materials])

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


class _Table:
    """Suffixes, sorted, each with the ranks of the items having it (ascending): every match
    of a term is one binary search and one slice."""

    __slots__ = ("_building", "_short", "keys", "ranks")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.ranks: list[list[int]] = []
        self._building: dict[str, list[int]] | None = {}
        #: the matches of one- and two-character keys, which most items have ("s", "证"):
        #: merged the first time they are asked for, and kept
        self._short: dict[str, list[int]] = {}

    def add(self, keys: Iterable[str], rank: int) -> None:
        """While building, ranks in ascending order."""
        table = self._building
        assert table is not None
        for key in keys:
            ranks = table.get(key)
            if ranks is None:
                table[key] = [rank]
            else:
                ranks.append(rank)

    def done(self) -> _Table:
        assert self._building is not None
        self.keys = sorted(self._building)
        self.ranks = [self._building[key] for key in self.keys]
        self._building = None
        return self

    def starting(self, key: str) -> list[int]:
        """The ranks, ascending (maybe repeated), of every item holding a suffix that
        starts with ``key``."""
        if (known := self._short.get(key)) is not None:
            return known
        lo = bisect_left(self.keys, key)
        hi = bisect_left(self.keys, key + _TOP, lo)
        if hi - lo == 1:
            return self.ranks[lo]
        ranks = sorted(set().union(*self.ranks[lo:hi]))
        if len(key) <= 2:
            self._short[key] = ranks      # another thread may do the same: same answer
        return ranks


class _Joined:
    """One text of each of some items, in rank order, as one string: a term is found where
    it stands, the best items first."""

    __slots__ = ("_ranks", "_starts", "_text")

    def __init__(self, texts: Sequence[str], ranks: Sequence[int]) -> None:
        self._text = "\n".join(texts)     # no term holds a line break: none spans two items
        self._starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
        self._ranks = ranks

    def find(self, term: str, want: int, take: Callable[[int], bool]) -> list[int]:
        """The first ``want`` ranks, ascending, whose text holds ``term`` and that ``take``
        accepts (all of them when fewer)."""
        found: list[int] = []
        text, starts, last = self._text, self._starts, len(self._ranks) - 1
        at = text.find(term)
        while at >= 0 and len(found) < want:
            index = bisect_right(starts, at) - 1
            if take(rank := self._ranks[index]):
                found.append(rank)
            at = text.find(term, starts[index + 1]) if index < last else -1
        return found


def _joined(texts: Sequence[str], holding: Callable[[str], bool] | None = None) -> _Joined:
    """``texts`` (one per item, by rank) joined; only those ``holding`` says so of."""
    if holding is None:
        return _Joined(texts, range(len(texts)))
    ranks = [rank for rank, text in enumerate(texts) if holding(text)]
    return _Joined([texts[rank] for rank in ranks], ranks)


def _has_latin(text: str) -> bool:
    return not text.isascii() and any(ch.isascii() for ch in text)


def _word_starts(english: str) -> frozenset[str]:
    """The suffixes of an English name that start a word."""
    return frozenset(_WORD_START.findall(english))


class SearchIndex:
    def __init__(self, items: Iterable[Item], departments: Mapping[str, Department]) -> None:
        with without_gc():    # a few hundred thousand containers, none of them garbage
            speller = _Speller()
            ranked = sorted(items, key=lambda i: (-i.popularity, i.code))
            spelled = [(speller(item.name.zh), tuple(speller(k) for k in item.keywords))
                       for item in ranked]
            self._entries = [_Entry(item, departments[item.department].name.zh
                                    if item.department in departments else "", name, keywords)
                             for item, (name, keywords) in zip(ranked, spelled, strict=True)]
            self._n = len(self._entries)
            # The plain matches by tier: the name starts with the term (0); the name's pinyin
            # has it from a later syllable (1; the Chinese and the initials are the joined
            # strings below); a keyword has it (2); a word of the English name starts with it.
            starts, later, keyword, english = _Table(), _Table(), _Table(), _Table()
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
            self._zh, self._zh_latin = _joined(zh), _joined(zh, _has_latin)
            self._ini, self._ini_other = _joined(ini), _joined(ini, lambda t: not t.isascii())
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
        key = term[:_CAP]
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
        return self._verified(term, 4, self._english.starting(term[:_CAP]))

    def _verified(self, term: str, tier: int, ranks: list[int]) -> list[int]:
        """``ranks`` where ``term`` matches at ``tier``: the tables hold only the first
        _CAP characters of each suffix, so a longer term is checked item by item."""
        if len(term) <= _CAP:
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
        mixed = not latin and not _ALL_HAN.fullmatch(term)
        reading, hanzi = _reading(term) if mixed else (term, "")
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
