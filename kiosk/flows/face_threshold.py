"""The least score a card-photo comparison (``card_photo_face``) needs on this terminal.

Two sources name one: this terminal's configuration (``identity.face_threshold``) and the
platform, in every heartbeat reply (``config.card_photo_threshold``, docs/central.md). The
platform accepts a ``card_photo_face`` submission only with a score at least its own value,
and it cannot verify a score; so the terminal applies the STRICTER (higher) of the two, and
a citizen is never told "matched" for a check the platform would refuse.

The platform's value is kept in memory only (each heartbeat names it again); before any
heartbeat has answered, the configured value applies alone. The heartbeat thread writes it
and the faces thread reads it, hence the lock. No Qt: the flow's comparison reads a plain
:class:`CardPhotoThreshold`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardPhotoThreshold:
    """The two thresholds as they stand; :attr:`applied` is the one a comparison uses."""

    configured: float
    named: float | None = None      # by the platform's last heartbeat reply that named one

    @property
    def applied(self) -> float:
        return self.configured if self.named is None else max(self.configured, self.named)


class CardPhotoThresholds:
    """``CardPhotoThresholds(configured)``; :meth:`platform_named` from heartbeat replies,
    :meth:`current` where a comparison is decided."""

    def __init__(self, configured: float) -> None:
        self._lock = threading.Lock()
        self._current = CardPhotoThreshold(configured)

    def current(self) -> CardPhotoThreshold:
        with self._lock:
            return self._current

    def platform_named(self, value: float | None) -> None:
        """A heartbeat reply's ``config.card_photo_threshold`` (None: it named none, and the
        last value named stays: a reply without it is not a platform lowering it)."""
        if value is None:
            return
        with self._lock:
            before, self._current = self._current, CardPhotoThreshold(
                self._current.configured, value)
        if before.named != value:
            log.info("face.card_photo_threshold", extra={"ctx": {
                "configured": before.configured, "named": value,
                "applied": self._current.applied}})
