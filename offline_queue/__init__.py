"""The durable, encrypted outbox and the engine that delivers it to the platform once.

No Qt here and nothing from ``kiosk``, ``devices`` or ``central``.
"""
