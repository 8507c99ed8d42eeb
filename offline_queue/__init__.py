"""The durable, encrypted outbox and the engine that delivers it to the platform once.

No Qt here and nothing from ``kiosk``, ``devices`` or ``central``.

``from offline_queue import Outbox`` is the public entry point. The names are resolved on
first use (PEP 562), so that importing a small submodule — the configuration checks
``offline_queue.credentials.url_problem`` — does not load SQLite and HTTP machinery into
every ``kiosk`` command and into the kiosk's start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from offline_queue.errors import OutboxError
    from offline_queue.outbox import Outbox
    from offline_queue.states import State

__all__ = ["Outbox", "OutboxError", "State"]

_HOMES = {"Outbox": "offline_queue.outbox", "OutboxError": "offline_queue.errors",
          "State": "offline_queue.states"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'offline_queue' has no attribute {name!r}")
