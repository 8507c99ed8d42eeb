"""The outbox the screens and the command line use (see docs/outbox.md and cli.md)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from civic.submission import shape_problems, uuid7
from offline_queue.crypto import create_key, key_path, load_key
from offline_queue.dbfile import DB_NAME, create_database, sealed_rows
from offline_queue.errors import (
    AlreadyReplacedError,
    DamagedQueueError,
    InvalidSubmissionError,
    KeyMissingError,
    NotDeadError,
    NotFoundError,
)
from offline_queue.events import ItemChanged, ItemDismissed, Listener, OutboxEvent
from offline_queue.senders import Sender
from offline_queue.states import State
from offline_queue.store import Store

log = logging.getLogger(__name__)

DEFAULT_RETENTION_S = 7 * 24 * 3600


class Outbox:
    """Durable, encrypted queue of submissions. ``with Outbox(data_dir) as box: ...``"""

    def __init__(self, data_dir: Path | str, *, retention_s: float = DEFAULT_RETENTION_S,
                 max_db_bytes: int | None = None, clock: Callable[[], float] = time.time) -> None:
        self.data_dir = Path(data_dir)
        self.retention_s = retention_s
        self.clock = clock
        self._max_db_bytes = max_db_bytes
        self._store: Store | None = None
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()

    def open(self) -> Outbox:
        """Open the queue, or refuse one that cannot be read as it is (never replace it).

        The order of a new queue's files is what makes the refusals safe: the database is
        made (whole, under its name) before the key, so a key without a database means a
        database that was lost, and a database of zero bytes was emptied, not just made.
        Opening an open outbox does nothing.
        """
        if self._store is not None:
            return self
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        db, key = self.data_dir / DB_NAME, key_path(self.data_dir)
        if not db.exists():
            if key.exists():
                raise DamagedQueueError(f"the queue database {db} is missing, but its key is "
                                        "there: a queue existed here")
            create_database(db)
        elif db.stat().st_size == 0:
            raise DamagedQueueError(f"the queue database {db} is empty (0 bytes)")
        if not key.exists():
            if sealed_rows(db):
                raise KeyMissingError(key)
            create_key(self.data_dir)
        self._store = Store(self.data_dir, load_key(self.data_dir),
                            max_db_bytes=self._max_db_bytes).open()
        self.purge()
        return self

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Outbox:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("Outbox used before open() or after close()")
        return self._store

    # -- listeners ---------------------------------------------------------------------
    def add_listener(self, callback: Listener) -> Callable[[], None]:
        """Register ``callback(event)``; called from the sync thread. Returns a remover."""
        with self._listeners_lock:
            self._listeners.append(callback)

        def remove() -> None:
            with self._listeners_lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)
        return remove

    def notify(self, event: OutboxEvent) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not stop delivery
                log.exception("outbox.listener_failed",
                              extra={"ctx": {"event": type(event).__name__}})

    # -- queueing ----------------------------------------------------------------------
    def enqueue(self, submission: dict[str, Any],
                attachments: Iterable[bytes | Path] = ()) -> str:
        """Queue one submission; returns its id once it is committed and fsynced."""
        return self._enqueue(submission, attachments, strict_replace=False)

    def _enqueue(self, submission: dict[str, Any], attachments: Iterable[bytes | Path], *,
                 strict_replace: bool) -> str:
        if not isinstance(submission, dict):
            raise InvalidSubmissionError({"": "a submission must be a JSON object"})
        sub = dict(submission)
        if not sub.get("submission_id"):
            sub["submission_id"] = uuid7()
        problems = {path: text.en for path, text in shape_problems(sub).items()}
        if problems:
            raise InvalidSubmissionError(problems)
        store = self.store
        given: set[str] = set()
        for content in attachments:  # blobs are fsynced before the row that names them
            data = content.read_bytes() if isinstance(content, Path) else bytes(content)
            given.add(store.blobs.put(data))
        named = sorted({a["sha256"] for a in sub.get("attachments", [])})
        missing = [sha for sha in named if sha not in given and not store.blobs.has(sha)]
        if missing:
            raise InvalidSubmissionError({"attachments": "no content given for "
                                          + ", ".join(s[:12] for s in missing)})
        sid = store.insert(sub, named, self.clock(), strict_replace=strict_replace)
        log.info("outbox.enqueued", extra={"ctx": {"submission_id": sid}})
        self.notify(ItemChanged(sid, State.PENDING))
        return sid

    def retry(self, submission_id: str, corrected: dict[str, Any],
              attachments: Iterable[bytes | Path] = ()) -> str:
        """Queue a corrected copy of a dead item as a new submission that ``replaces`` it."""
        row = self.store.row(submission_id)
        if row is None:
            raise NotFoundError(submission_id)
        if row["state"] != State.DEAD:
            raise NotDeadError(submission_id, row["state"])
        if row["replaced_by"] is not None:
            raise AlreadyReplacedError(submission_id, row["replaced_by"])
        # The store checks all this again in the commit that queues the correction.
        sub = {k: v for k, v in corrected.items() if k not in ("submission_id", "local_receipt")}
        sub["replaces"] = submission_id
        return self._enqueue(sub, attachments, strict_replace=True)

    def retry_waiting_now(self) -> int:
        """"Sync now": every item waiting out its back-off becomes due at once, but never
        before a platform's ``Retry-After`` hold ends (the platform's instruction, not our
        guess). Returns how many items were rescheduled.

        The queue-wide hold is enough: every per-item ``Retry-After`` also set it, and a
        later one can only be set once the earlier has passed (no run starts during one).
        """
        at = max(self.clock(), float(self.store.get_meta("hold_until", 0.0)))
        n = self.store.make_due(at)
        log.info("outbox.retry_waiting_now", extra={"ctx": {"rescheduled": n}})
        return n

    def resume(self) -> bool:
        """The terminal was enrolled again: a queue paused by a refused token may send
        again. Returns whether it was paused."""
        paused = bool(self.store.get_meta("paused", False))
        self.store.set_meta(paused=False, paused_token=None)
        if paused:
            log.info("outbox.resumed", extra={"ctx": {}})
        return paused

    # -- reading -----------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        counts: dict[str, Any] = dict(self.store.counts())
        counts["paused"] = bool(self.store.get_meta("paused", False))
        oldest = self.store.oldest_pending_at()
        counts["oldest_pending_at"] = None if oldest is None else _rfc3339(oldest)
        return counts

    def damaged(self, limit: int = 100) -> tuple[int, list[str]]:
        """Applications accepted here that can no longer be read (a damaged record or
        attachment, or lost in a reset): how many, and the first ``limit`` ids."""
        return self.store.damaged_ids(limit)

    def get(self, submission_id: str) -> dict[str, Any]:
        row = self.store.row(submission_id)
        if row is None:
            raise NotFoundError(submission_id)
        return self._view(row, detail=True)

    def body(self, submission_id: str) -> dict[str, Any] | None:
        """The queued Submission itself, decrypted (personal data: for the person correcting
        a rejected item, never for logs); None once a delivered item has been purged."""
        row = self.store.row(submission_id)
        if row is None:
            raise NotFoundError(submission_id)
        return self.store.body(row)

    def items(self, state: State | str | None = None, *, open_only: bool = False,
              sender: Sender | None = None, after: int = 0,
              limit: int | None = None) -> list[dict[str, Any]]:
        """Items in queue order; ``limit`` and ``after`` (an item's ``seq``) page through a
        long queue, ``open_only`` keeps dead items nobody has dealt with yet, ``sender``
        keeps one sender's (an agent's) items."""
        return list(self.iter_items(state, open_only=open_only, sender=sender, after=after,
                                    limit=limit))

    def iter_items(self, state: State | str | None = None, *, open_only: bool = False,
                   sender: Sender | None = None, after: int = 0,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Like :meth:`items`, streamed: memory stays flat however long the queue is."""
        rows = self.store.rows(None if state is None else str(State(state)),
                               open_only=open_only, sender=sender, after=after, limit=limit)
        return (self._view(r, detail=False) for r in rows)

    def dismiss(self, submission_id: str) -> None:
        """Mark a dead item as dealt with (no correction will follow); its reasons stay."""
        self.store.dismiss(submission_id, self.clock())
        self.notify(ItemDismissed(submission_id))

    def _view(self, row: dict[str, Any], *, detail: bool) -> dict[str, Any]:
        view: dict[str, Any] = {
            "seq": row["seq"], "submission_id": row["id"], "state": row["state"],
            "local_receipt": row["local_receipt"], "case_number": row["case_number"],
            "platform_status": row["platform_status"], "attempts": row["attempts"],
            "last_error": row["last_error"], "http_status": row["http_status"],
            "enqueued_at": _rfc3339(row["enqueued_at"]), "replaces": row["replaces"],
            "replaced_by": row["replaced_by"],
            "resolved_at": None if row["resolved_at"] is None else _rfc3339(row["resolved_at"]),
            "purged": bool(row["purged"]), "channel": row["channel"],
            "agent_id": row["agent_id"]}
        if row["state"] == State.DEAD:
            view["reasons"] = self.store.reasons(row)
        if detail:
            view["status_updates"] = self.store.status_updates(row["id"])
        return view

    def purge(self) -> int:
        return self.store.purge(self.clock() - self.retention_s)


def _rfc3339(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
