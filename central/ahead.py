"""Thinking ahead for the citizen (platform-api.md, "少操心"): the parts the sandbox loads
once — the "For you" rules, the halls and their simulated queues — and the halls list as
``GET /v1/halls`` and ``kiosk central halls`` show it.

The queue seed is kept in the database (``sandbox_values``) by the running server, so the
operator's command, which runs without it, shows the very figures terminals see.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from central.clock import rfc3339
from central.db import write
from central.eligible import ForYouRules
from central.hall_queues import HallQueues
from central.halls import Hall, Halls
from civic import catalog as catalog_model

DEFAULT_QUEUE_SEED: Final = 19
_SEED_NAME: Final = "queue_seed"


def save_queue_seed(conn: sqlite3.Connection, seed: int) -> None:
    with write(conn):
        conn.execute("INSERT INTO sandbox_values VALUES (?, ?) ON CONFLICT(name) "
                     "DO UPDATE SET value = excluded.value", (_SEED_NAME, str(seed)))


def load_queue_seed(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM sandbox_values WHERE name = ?",
                       (_SEED_NAME,)).fetchone()
    return int(row["value"]) if row else DEFAULT_QUEUE_SEED


@dataclass(frozen=True)
class Ahead:
    rules: ForYouRules
    halls: Halls
    queues: HallQueues

    @classmethod
    def load(cls, seeds_dir: Path, catalog: catalog_model.Catalog, seed: int) -> Ahead:
        """Read ``for_you.toml`` and ``halls.toml``; ``SeedDataInvalid`` when wrong."""
        return cls(ForYouRules.load(seeds_dir, (item.code for item in catalog.items)),
                   Halls.load(seeds_dir, catalog.departments), HallQueues(seed))

    def halls_for(self, catalog: catalog_model.Catalog, item_code: str | None) -> list[Hall]:
        """The halls that handle the item (every hall without one); [] for an unknown item."""
        if item_code is None:
            return list(self.halls.all)
        if item_code not in catalog:
            return []
        return self.halls.for_department(catalog.get(item_code).department)

    def board(self, halls: Iterable[Hall], now: dt.datetime,
              lag_min: Callable[[str], int] = lambda _hall: 0) -> list[dict[str, Any]]:
        """Each hall with its live queue (``lag_min``: how old a hall's feed is, the
        ``stale_halls_min`` fault), open halls by expected wait first, closed ones last."""
        rows = []
        for hall in halls:
            figures = self.queues.figures(hall, now - dt.timedelta(minutes=lag_min(hall.hall_id)))
            rows.append({"hall_id": hall.hall_id, "name": hall.name.as_dict(),
                         "address": hall.address.as_dict(),
                         "hours": hall.hours_text().as_dict(),
                         "open_now": hall.is_open(now), "waiting": figures.waiting,
                         "average_wait_min": figures.average_wait_min,
                         "updated_at": rfc3339(figures.at)})
        # sorted() is stable: halls alike keep the seed file's order.
        return sorted(rows, key=lambda r: (not r["open_now"], r["average_wait_min"]
                                           if r["open_now"] else 0))
