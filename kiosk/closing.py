"""Stopping what was started, last first, whatever fails on the way."""

from __future__ import annotations

import logging
from collections.abc import Callable


def close_in_reverse(closers: list[Callable[[], object]], log: logging.Logger,
                     event: str) -> None:
    """Call and remove every closer, the last added first. One that raises is logged as
    ``event`` with its traceback and the rest still run: a stuck printer must not keep
    the outbox open. What a closer returns is ignored (``QWidget.close`` returns a bool)."""
    while closers:
        closer = closers.pop()
        try:
            closer()
        except Exception:  # keep stopping the rest; the traceback is logged
            log.exception(event, extra={"ctx": {}})
