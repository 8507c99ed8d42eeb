"""The halls' live queues, simulated: people arrive and windows serve them as the platform's
clock moves, the same way every time for one seed.

A real platform reads each hall's queue-ticket machine; the sandbox has none, so it runs a
small queueing process instead, enough for a terminal to show and sort honest-looking
figures and for tests to know what they will see:

* a hall's day is simulated minute by minute from its opening: walk-ins arrive as a Poisson
  process at the hall's rate for that hour (``arrivals`` in ``seeds/halls.toml``), and its
  windows together serve a Poisson number a minute at ``windows / service_min``;
* at closing time arrivals stop, the windows go on until everyone holding a ticket is
  served, so the queue drains;
* the random draws come from a generator seeded by (seed, hall, local date), so one seed and
  one moment always give the same figures, on any machine (``random.Random`` seeded with a
  string hashes it with SHA-512, independent of ``PYTHONHASHSEED``).

``waiting`` is the queue at that minute, ``average_wait_min`` what a person arriving then
can expect to wait: the queue divided among the windows, times the mean service time.
Figures are computed at most once a minute per hall (:class:`HallQueues` keeps them).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
from dataclasses import dataclass
from typing import Final

from central.halls import LOCAL, Hall

MINUTE: Final = dt.timedelta(minutes=1)
_CACHE_LIMIT: Final = 2000


@dataclass(frozen=True)
class QueueFigures:
    waiting: int
    average_wait_min: int
    at: dt.datetime           # the minute these figures describe (UTC)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method: the means here are a few people a minute at most)."""
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def simulate(hall: Hall, seed: int, moment: dt.datetime) -> QueueFigures:
    """The hall's queue at the minute of ``moment`` (an aware datetime)."""
    minute = moment.astimezone(LOCAL).replace(second=0, microsecond=0)
    at = minute.astimezone(dt.UTC)
    span = hall.opening(minute.date())
    if span is None or minute <= span[0]:
        return QueueFigures(0, 0, at)
    opens, closes = span
    rng = random.Random(f"{seed}/{hall.hall_id}/{minute.date().isoformat()}")
    served_per_minute = hall.windows / hall.service_min
    queue = 0
    clock = opens
    while clock < minute:
        arriving = clock < closes
        if arriving:
            queue += _poisson(rng, hall.arrivals_per_hour(clock.hour) / 60)
        queue -= min(queue, _poisson(rng, served_per_minute))
        if not arriving and queue == 0:
            break             # drained after closing: nothing moves until tomorrow
        clock += MINUTE
    return QueueFigures(queue, math.ceil(queue * hall.service_min / hall.windows), at)


class HallQueues:
    """Figures per hall and minute, computed once and kept (a terminal polls; the process
    replays the day from its opening each time it is asked for a new minute)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, dt.datetime], QueueFigures] = {}

    def figures(self, hall: Hall, moment: dt.datetime) -> QueueFigures:
        minute = moment.astimezone(dt.UTC).replace(second=0, microsecond=0)
        key = (hall.hall_id, minute)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None:
            return kept
        figures = simulate(hall, self.seed, minute)
        with self._lock:
            if len(self._kept) >= _CACHE_LIMIT:
                self._kept.clear()
            self._kept[key] = figures
        return figures
