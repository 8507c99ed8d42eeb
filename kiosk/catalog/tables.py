"""The index's two kinds of table: sorted suffixes with the items holding each (a prefix
range is one binary search and one slice), and one text per item joined into one string
(a term is found where it stands, best items first).
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence

_TOP = "\U0010ffff"       # sorts after every character: key + _TOP bounds a prefix range


class SuffixTable:
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

    def done(self) -> SuffixTable:
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


class JoinedTexts:
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


def joined(texts: Sequence[str], holding: Callable[[str], bool] | None = None) -> JoinedTexts:
    """``texts`` (one per item, by rank) joined; only those ``holding`` says so of."""
    if holding is None:
        return JoinedTexts(texts, range(len(texts)))
    ranks = [rank for rank, text in enumerate(texts) if holding(text)]
    return JoinedTexts([texts[rank] for rank in ranks], ranks)
