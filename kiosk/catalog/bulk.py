"""Building a large structure without the cyclic garbage collector in the way.

Python runs its cycle collector after every few hundred new container objects (lists,
tuples, sets, instances), and a full collection walks every object the process holds.
Building a catalog of ten thousand items with its search index makes a few hundred
thousand containers, none of them garbage, and so sets off collections that walk the
whole process (two or three full ones, a third of the index's build time in
``bench/catalog_search.py``, more in the running terminal, whose heap is larger). Mercurial
pauses the collector the same way around its large builds (``util.nogc``).

Reference counting still frees everything as usual; only cycles wait until the collector
runs again. The pause is process-wide, so it is kept to one build and ended even if the
build fails; a build nested in another leaves the resuming to the outer one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_gc() -> Iterator[None]:
    """The cycle collector paused for the ``with`` block (if it was running)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
