"""One item as the search index holds it: its name's and keywords' spellings (each
distinct text spelled once per build) and the tier of a term computed directly, which the
index uses for what its tables do not settle (several words, long terms, the keystroke
cache's checks). The tiers are listed in :mod:`kiosk.catalog.search`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiosk.catalog.pinyin import ALL_HAN, PinyinReader, Spelling, spell, typed_reading

if TYPE_CHECKING:
    from civic.catalog.model import Item

CAP = 24                  # suffixes are indexed up to this length; longer terms are verified


def suffixes_at(text: str, offsets: Sequence[int]) -> map[str]:
    """The suffixes of ``text`` starting at ``offsets``, as the tables keep them."""
    return map(text.__getitem__, map(slice, offsets, map(CAP.__add__, offsets)))


class Spelled:
    """A name's or keyword's spelling with what the index takes from it, made once for each
    distinct text of a build (a province lists the same names in every county)."""

    __slots__ = ("delimited", "heads", "later", "spelling", "text")

    def __init__(self, spelling: Spelling) -> None:
        s = self.spelling = spelling
        #: where a plain match may start: at the start, and at each later syllable of the
        #: pinyin (the Chinese and the initials are searched where they stand)
        self.heads = frozenset(text[:CAP] for text in (s.zh, s.py, s.ini) if text)
        self.later = frozenset(suffixes_at(s.py, s.starts[1:]))
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
        return self.heads | self.later | frozenset(suffixes_at(s.zh, range(1, len(s.zh)))) \
            | frozenset(suffixes_at(s.ini, range(1, len(s.ini))))


class Speller:
    """Spells the texts of one build, each distinct text once, with one
    :class:`~kiosk.catalog.pinyin.PinyinReader` (each distinct word read once)."""

    def __init__(self) -> None:
        self._reader = PinyinReader()
        self._texts: dict[str, Spelled] = {}

    def __call__(self, text: str) -> Spelled:
        spelled = self._texts.get(text)
        if spelled is None:
            spelled = self._texts[text] = Spelled(spell(text, self._reader.read))
        return spelled


def plain_tier(s: Spelling, term: str) -> int | None:
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


class Entry:
    __slots__ = ("department", "english", "item", "keywords", "materials", "name", "syllables",
                 "text")

    def __init__(self, item: Item, department: str, name: Spelled,
                 keywords: tuple[Spelled, ...]) -> None:
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
        ``reading`` (``pinyin.typed_reading``) and ``pattern`` (``syllable_pattern`` of
        the latin reading) may be computed once by the caller."""
        latin = term.isascii()
        plain = plain_tier(self.name, term)
        if plain is not None:
            return plain
        if any(plain_tier(k, term) is not None for k in self.keywords):
            return 2
        if not latin and not ALL_HAN.fullmatch(term):          # mixed: 养老bx
            latin_term, hanzi = reading or typed_reading(term)
            if not self.has_characters(hanzi):
                return None
            plain = plain_tier(self.name, latin_term)
            if plain is not None:
                return plain
            if any(plain_tier(k, latin_term) is not None for k in self.keywords):
                return 2
            return self.syllable_tier(latin_term, pattern) if len(latin_term) > 1 else None
        if latin and len(term) > 2 and self.syllable_tier(term, pattern) is not None:
            return 3
        if latin and len(term) > 2 and re.search(r"\b" + re.escape(term), self.english):
            return 4
        if not latin and (term in self.department or term in self.materials):
            return 5
        return None
