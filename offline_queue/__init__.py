"""The durable, encrypted outbox and the engine that delivers it to the platform once.

No Qt here and nothing from ``kiosk``, ``devices`` or ``central``.
"""

from offline_queue.errors import OutboxError
from offline_queue.outbox import Outbox
from offline_queue.states import State

__all__ = ["Outbox", "OutboxError", "State"]
