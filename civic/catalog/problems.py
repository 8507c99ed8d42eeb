"""One problem found in a catalog, named by file, item and place, and the collector of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class CatalogProblem:
    """``file``: the seed file (or ``<document>``); ``item``: the item's code or key, if any."""

    file: str
    item: str | None
    where: str
    message: str

    def __str__(self) -> str:
        item = f" item {self.item}" if self.item else ""
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{item}{where} {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "item": self.item, "where": self.where,
                "message": self.message}


@dataclass
class Problems:
    """Collects problems while a catalog is built, so every problem is reported in one run."""

    items: list[CatalogProblem] = field(default_factory=list)

    def add(self, file: str, item: str | None, where: str, message: str) -> None:
        self.items.append(CatalogProblem(file, item, where, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Place(NamedTuple):
    """Where in the catalog the builder is, so that a message needs to say only what is wrong.

    A named tuple: the builder makes one per field it reads (about fifty per item), and a
    tuple is made several times faster than a frozen dataclass."""

    problems: Problems
    file: str
    item: str | None = None
    where: str = ""

    def at(self, where: str) -> Place:
        joined = f"{self.where}.{where}" if self.where and where else (where or self.where)
        return Place(self.problems, self.file, self.item, joined)

    def for_item(self, item: str) -> Place:
        return Place(self.problems, self.file, item, "")

    def report(self, message: str) -> None:
        self.problems.add(self.file, self.item, self.where, message)
