"""A query_print item's certified record: fetched in the citizen's card session, verified
against the platform's keys, and told to the flow as a :class:`RecordResult`.

The blocking half (:func:`fetch_certified_record`) runs on the platform worker (the bridge,
``kiosk.ui.bridges.platform``), like prefill. The platform's keys are public and kept in
memory by a :class:`KeyRing` for the terminal's life; a record signed by a key the ring does
not know makes it fetch the list again, once, so a key the platform rotated in is learnt
without trusting anything unsigned. The record itself is personal data: it lives in the
flow until the wipe and is never logged (its repr masks the holder).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from civic.errors import RecordRefused, Refusal, UnknownKey
from civic.pii import Personal
from civic.records import PublicKey, Record, verify

if TYPE_CHECKING:
    from offline_queue.platform import PlatformClient

log = logging.getLogger(__name__)


class RecordOutcome(StrEnum):
    """What came of asking the platform for a record."""

    VERIFIED = "verified"      # signed by a platform key: it may be printed
    REFUSED = "refused"        # it came, but cannot be trusted (``refusal`` says why)
    NOT_FOUND = "not_found"    # the platform holds no such record for this resident
    NO_SESSION = "no_session"  # the card session is gone (closed, expired, never opened)
    OFFLINE = "offline"        # no answer, a server error, busy: the platform cannot now
    ERROR = "error"            # another answer (a bug here or there)


@dataclass(frozen=True)
class RecordResult:
    outcome: RecordOutcome
    record: Record | None = field(default=None, repr=False)
    refusal: Refusal | None = None


class KeyRing:
    """The platform's record-signing keys, fetched when first needed and kept in memory."""

    def __init__(self) -> None:
        self._keys: tuple[PublicKey, ...] | None = None
        self._lock = threading.Lock()

    def verify(self, record: Record, fetch: Callable[[], tuple[PublicKey, ...]],
               now: dt.datetime) -> None:
        """Verify ``record``; ``fetch`` reads the platform's list (at first, and once more
        for a key the ring does not know). Raises :class:`~civic.errors.RecordRefused`."""
        with self._lock:
            fetched = self._keys is None
            if self._keys is None:
                self._keys = fetch()
            try:
                verify(record, self._keys, now)
            except UnknownKey:
                if fetched:
                    raise
                self._keys = fetch()
                verify(record, self._keys, now)

    def forget(self) -> None:
        with self._lock:
            self._keys = None


def fetch_certified_record(client: PlatformClient, keys: KeyRing, id_number: Personal,
                           item_code: str, session_id: str, *, agent_token: str | None = None,
                           now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
                           ) -> RecordResult:
    """``GET /v1/residents/{id}/records`` in the card session, then verified (blocking: call
    it from a worker thread)."""
    from offline_queue import errors as queue_errors

    try:
        record = client.records(id_number, item_code, session_id, agent_token=agent_token)
        if record is None:
            return RecordResult(RecordOutcome.NOT_FOUND)
        keys.verify(record, client.keys, now())
    except RecordRefused as exc:
        log.warning("record.refused", extra={"ctx": {"item": item_code,
                                                      "refusal": str(exc.refusal)}})
        return RecordResult(RecordOutcome.REFUSED, refusal=exc.refusal)
    except queue_errors.PlatformError as exc:
        outcome = (RecordOutcome.NO_SESSION if isinstance(exc, queue_errors.NoCardSession)
                   else RecordOutcome.OFFLINE if isinstance(exc, queue_errors.PlatformUnavailable)
                   else RecordOutcome.ERROR)
        log.info("record.failed", extra={"ctx": {"item": item_code, "outcome": str(outcome),
                                                  "status": exc.status, "code": exc.code}})
        return RecordResult(outcome)
    log.info("record.verified", extra={"ctx": {"item": item_code,
                                                "key_id": record.signature.key_id}})
    return RecordResult(RecordOutcome.VERIFIED, record)
