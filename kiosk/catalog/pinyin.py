"""Chinese text as a query may type it: tone-less pinyin with its syllable starts, and
initials (``公积金提取``: ``gongjijintiqu``, ``gjjtq``), read as pypinyin reads it.

:func:`spell` spells one text; :class:`PinyinReader` is the reader an index build uses,
converting each distinct word once. :mod:`kiosk.catalog.search` builds on them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, RE_HANS
from pypinyin.core import Pinyin
from pypinyin.seg.mmseg import seg as phrase_cut

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ALL_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


@dataclass(frozen=True)
class Spelling:
    """One text (a name or a keyword) in the forms a query may take."""

    zh: str                              # lower-cased, punctuation removed
    py: str                              # "gongjijintiqu"
    starts: tuple[int, ...]              # offsets in py where a syllable starts
    ini: str                             # "gjjtq"
    syllables: tuple[str, ...]           # of each character; a latin run as itself


def _each(chars: str) -> list[str]:
    """pypinyin's answer for characters it cannot read: each one as itself."""
    return list(chars)


def read_run(run: str) -> list[str]:
    """The syllables of a run of Chinese characters, as pypinyin reads it."""
    return lazy_pinyin(run, errors=_each)  # type: ignore[arg-type]


def spell(text: str, read: Callable[[str], list[str]] = read_run) -> Spelling:
    """``text`` spelled; ``read`` gives the syllables of a run of Chinese characters."""
    runs = RUN.findall(text.lower())
    syllables: list[str] = []
    for run in runs:
        if HAN.match(run):
            # one syllable per character, even for characters pypinyin cannot read
            read_as = read(run)
            if len(read_as) != len(run):
                read_as = [lazy_pinyin(ch)[0] for ch in run]
            syllables += read_as
        else:
            syllables.append(run)
    starts = tuple(itertools.accumulate(map(len, syllables[:-1]), initial=0)) if runs else ()
    return Spelling("".join(runs), "".join(syllables), starts,
                     "".join([syllable[0] for syllable in syllables]), tuple(syllables))


def typed_reading(term: str) -> tuple[str, str]:
    """A mixed term as typed pinyin (养老bx -> yanglaobx) and its Chinese characters."""
    return spell(term).py, "".join(ch for ch in term if HAN.match(ch))


class PinyinReader:
    """Reads runs of Chinese characters as pypinyin would, each distinct word once.

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

    def _word(self, word: str) -> list[str]:
        known = self._words.get(word)
        if known is None:
            known = self._words[word] = read_run(word)
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
