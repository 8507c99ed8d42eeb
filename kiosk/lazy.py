"""Modules loaded on first use: the one place the application defers an import, and why.

A street kiosk must show its first screen fast (target: at most 1.5 × a bare PySide6
window, ``bench/startup.py``). Most of what the application is made of is not needed for
that screen, and importing it costs more than drawing it (measured on the 2-core reference
machine, in-process, warm disk):

=====================================  =======  ============================================
module (and what it pulls in)          import   needed
=====================================  =======  ============================================
``offline_queue`` (sqlite3, crypto)    ~100 ms  after the first frame (outbox, sync)
``kiosk.ui.bridges`` (httpx, devices)  ~100 ms  after the first frame (prefill, printer)
``devices.printer`` (Pillow, qrcode)    ~70 ms  after the first frame
``kiosk.catalog`` (pypinyin, index)    ~150 ms  a card on the reader (catalog, search)
the screens after the attract screen    ~40 ms  a card on the reader
=====================================  =======  ============================================

A module that needs one of these only after start-up declares it with :func:`lazy`::

    if TYPE_CHECKING:                   # the type checker sees an ordinary import
        from offline_queue import sync
    else:
        sync = lazy("offline_queue.sync")

and uses ``sync.SyncEngine`` where it needs it: the module is executed at that first
attribute access (``importlib.util.LazyLoader``), once, and is then an ordinary module.

The ``kiosk`` command line imports a command's module when that command is chosen
(``kiosk.cli.main``), which is the same rule: nothing is loaded for a command that does
not run. PySide6 itself is imported by ``kiosk.app.launch`` once the command line is
read, after the Qt-free modules (its import hook makes every later first import slower).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

__all__ = ["lazy"]

_lock = threading.Lock()


def lazy(name: str) -> ModuleType:
    """The module ``name``, executed at its first attribute access (at once if it has been
    imported already). Its packages are imported now, as an import would: they must stay
    cheap (``offline_queue`` and ``kiosk.ui`` are; see their ``__init__``). Raises
    ``ModuleNotFoundError`` now if there is no such module: a misspelt name fails at
    start-up, not in front of a citizen."""
    with _lock:
        module = sys.modules.get(name)
        if module is not None:
            return module
        parent, _, child = name.rpartition(".")
        package = importlib.import_module(parent) if parent else None
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            raise ModuleNotFoundError(f"no module named {name!r}", name=name)
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)          # arms the load; nothing of the module runs yet
        if package is not None:
            setattr(package, child, module)     # as the import system binds what it loads
        return module
