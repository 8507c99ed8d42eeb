"""What a heartbeat says (``POST /v1/heartbeat``, platform-api.md): the body built from the
queue, the devices' states, the A4 queue and the sync engine's progress; and the ``queue``
of a queue that refused to open. No personal data: counts, times and submission ids.
:mod:`kiosk.fleet` sends it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kiosk.documents.cups import QueueState
from offline_queue import Outbox, State
from offline_queue.errors import OutboxError
from offline_queue.events import Progress

#: at most this many dead (and damaged) ids in one heartbeat
MAX_DEAD_IDS = 100


def _rfc3339(ts: float | None) -> str | None:
    return None if ts is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def queue_summary(outbox: Outbox) -> dict[str, Any]:
    """The heartbeat's ``queue``: counts, oldest pending, dead and damaged ids (platform-api
    "Damaged applications"). No personal data."""
    stats = outbox.stats()
    waiting = sum(int(stats.get(str(s), 0))
                  for s in (State.PENDING, State.IN_FLIGHT, State.RETRY_WAIT))
    # dead items nobody has corrected or dismissed yet: the ones to follow up
    dead = [item["submission_id"] for item in outbox.items(State.DEAD, open_only=True)]
    # accepted here but unreadable now: the platform tells those citizens to apply again
    damaged, damaged_ids = outbox.damaged(MAX_DEAD_IDS)
    return {"pending": waiting, "dead": len(dead), "dead_ids": dead[:MAX_DEAD_IDS],
            "damaged": damaged, "damaged_ids": damaged_ids,
            "oldest_pending_at": stats.get("oldest_pending_at"),
            "paused": bool(stats.get("paused", False))}


def a4_summary(state: QueueState) -> dict[str, Any]:
    return {"state": state.state, "reasons": list(state.reasons),
            "accepting": state.accepting}


def build_heartbeat(*, app_version: str, uptime_s: float, outbox: Outbox,
                    devices: dict[str, Any], a4: QueueState | None,
                    sync: Progress) -> dict[str, Any]:
    """The ``POST /v1/heartbeat`` body. ``sync`` is the engine's progress (or the queue's
    record of it)."""
    body_devices = dict(devices)
    if a4 is not None:
        body_devices["a4_printer"] = a4_summary(a4)
    return {"app_version": app_version, "uptime_s": int(uptime_s),
            "clock_skew_s": sync.clock_skew_s or 0.0,
            "queue": queue_summary(outbox), "devices": body_devices,
            "last_sync_at": _rfc3339(sync.last_sync_at)}


def refused_queue_summary(data_dir: Path, refusal: Exception) -> dict[str, Any]:
    """The heartbeat's ``queue`` for a queue that refused to open: what can still be read
    of it without its key (waiting ids, in clear), reported as damaged, and why."""
    from offline_queue.dbfile import DB_NAME, sealed_rows
    from offline_queue.location import WAITING, outbox_dir

    try:
        waiting = [r["submission_id"] for r in sealed_rows(outbox_dir(data_dir) / DB_NAME)
                   if r["state"] in WAITING]
    except OutboxError:            # the database itself is what cannot be read
        waiting = []
    return {"pending": len(waiting), "dead": 0, "dead_ids": [], "oldest_pending_at": None,
            "damaged": len(waiting), "damaged_ids": waiting[:MAX_DEAD_IDS],
            "refused": str(refusal)[:500]}
