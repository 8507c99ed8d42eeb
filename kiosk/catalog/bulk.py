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

After a build that succeeded, what the process holds is frozen (``gc.freeze``): the
collector would otherwise meet the hundreds of thousands of new, long-lived objects in
its next full collection and walk them all in one go, a pause of seconds that holds
the interpreter (the GUI thread with it) while a catalog update is being swapped in.
Frozen objects are still freed by reference counting when a newer catalog replaces them;
a catalog holds no reference cycles, which alone would outlive it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_gc() -> Iterator[None]:
    """The cycle collector paused for the ``with`` block (if it was running); what was
    built is frozen out of later collections when the block ends without an error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if was_enabled:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
