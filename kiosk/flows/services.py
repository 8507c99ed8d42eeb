"""What the flow needs from outside, as small protocols, and the plain data they exchange.

Every service is asynchronous in the same way: the flow calls it on the GUI thread with a
``done`` callback; the implementation does its I/O elsewhere (a worker thread) and arranges
for ``done`` to be called back *on the GUI thread* (the Qt bridges do that). A synchronous
implementation that calls ``done`` at once is equally valid, which is how the flow's own
tests run without Qt or threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from civic.identity import IdentifiedBy
from civic.pii import Personal
from civic.text import Text
from kiosk.flows.states import PrefillOutcome
from kiosk.lazy import lazy

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

    from kiosk.flows.certify import RecordResult
    from offline_queue import errors as queue_errors
    from offline_queue import platform
else:
    platform, queue_errors = lazy("offline_queue.platform"), lazy("offline_queue.errors")

log = logging.getLogger(__name__)


# -- the outbox -----------------------------------------------------------------------------

class SubmissionQueue(Protocol):
    """What the flow needs of the outbox: :class:`offline_queue.Outbox`, or the agent's
    wrappers over it (the signed-in agent recorded, a correction replacing a dead item)."""

    def enqueue(self, submission: dict[str, Any],
                attachments: Iterable[bytes | Path] = ()) -> str: ...

    def get(self, submission_id: str) -> dict[str, Any]: ...


# -- card sessions and prefill --------------------------------------------------------------

@dataclass(frozen=True)
class SessionRequest:
    """What opening a card session names: the resident, how they were identified, and the
    SHA-256 of the card's public data (None for ``agent_verified``)."""

    id_number: Personal
    identified_by: IdentifiedBy
    card_digest: str | None


@dataclass(frozen=True)
class SessionResult:
    """A card session opened (``session_id``), or why none was."""

    outcome: PrefillOutcome
    session_id: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PrefillResult:
    """The platform's answer for one resident and item, or why there is none."""

    fields: dict[str, Any] = field(default_factory=dict)
    exempt_materials: tuple[str, ...] = ()
    outcome: PrefillOutcome = PrefillOutcome.OK

    def __repr__(self) -> str:     # the values are personal data
        return f"PrefillResult({self.outcome}, {len(self.fields)} fields)"


class PrefillClient(Protocol):
    """The platform's shared data: a card session around the reads, and the reads."""

    def open_session(self, request: SessionRequest,
                     done: Callable[[SessionResult], None]) -> None: ...

    def fetch(self, id_number: Personal, item_code: str, session_id: str,
              done: Callable[[PrefillResult], None]) -> None: ...

    def close_session(self, session_id: str) -> None:
        """Close it in the background: returns at once, a failure is only logged."""

    def fetch_record(self, id_number: Personal, item_code: str, session_id: str,
                     done: Callable[[RecordResult], None]) -> None:
        """A query_print item's certified record, verified (``kiosk.flows.certify``)."""


def _as_client(client: platform.PlatformClient | httpx.Client) -> platform.PlatformClient:
    return client if isinstance(client, platform.PlatformClient) \
        else platform.PlatformClient(client)


def _refusal(exc: queue_errors.PlatformError) -> PrefillOutcome:
    """What a refused session or read means for the flow (the client's table decided)."""
    if isinstance(exc, queue_errors.NoCardSession):
        return PrefillOutcome.NO_SESSION
    if isinstance(exc, queue_errors.OutsideArea):
        return PrefillOutcome.OUTSIDE_AREA
    if isinstance(exc, queue_errors.SessionRateLimited):
        return PrefillOutcome.RATE_LIMITED
    if isinstance(exc, queue_errors.PlatformUnavailable):     # no answer, 5xx, 429
        return PrefillOutcome.OFFLINE
    if isinstance(exc, queue_errors.AccessRefused):           # 401, other 403s
        return PrefillOutcome.REFUSED
    return PrefillOutcome.ERROR                               # a wrong request, a bad answer


def open_card_session(client: platform.PlatformClient | httpx.Client, request: SessionRequest,
                      agent_token: str | None = None) -> SessionResult:
    """``POST /v1/sessions`` (blocking: call it from a worker thread)."""
    try:
        opened = _as_client(client).open_session(request.id_number, request.identified_by,
                                                 request.card_digest, agent_token=agent_token)
    except queue_errors.PlatformError as exc:
        outcome = _refusal(exc)
        log.info("session.not_opened", extra={"ctx": {"outcome": str(outcome),
                                                       "status": exc.status,
                                                       "code": exc.code}})
        return SessionResult(outcome)
    return SessionResult(PrefillOutcome.OK, opened.session_id)


def close_card_session(client: platform.PlatformClient | httpx.Client, session_id: str,
                       agent_token: str | None = None) -> None:
    """``DELETE /v1/sessions/{id}`` (blocking: call it from a worker thread). A session the
    platform no longer has, or a platform out of reach, is logged and left: it expires by
    itself within 15 minutes."""
    try:
        closed = _as_client(client).close_session(session_id, agent_token=agent_token)
    except queue_errors.PlatformError as exc:
        log.warning("session.close_failed", extra={"ctx": {"error": exc.meaning.value,
                                                            "status": exc.status}})
        return
    if not closed:
        log.info("session.close_failed", extra={"ctx": {"error": "not_found",
                                                         "status": 404}})


def fetch_prefill(client: platform.PlatformClient | httpx.Client, id_number: Personal,
                  item_code: str, session_id: str,
                  agent_token: str | None = None) -> PrefillResult:
    """``GET /v1/residents/{id}/prefill`` in the card session ``session_id`` (blocking: call
    it from a worker thread) through the platform client (an httpx client is wrapped in
    one), the answer's meaning (the client's table) told as the flow's
    :class:`PrefillOutcome`."""
    try:
        found = _as_client(client).prefill(id_number, item_code, session_id,
                                           agent_token=agent_token)
    except queue_errors.PlatformError as exc:
        outcome = _refusal(exc)
        level = logging.INFO if outcome is PrefillOutcome.OFFLINE else logging.WARNING
        log.log(level, "prefill.failed", extra={"ctx": {"item": item_code,
                                                         "outcome": str(outcome),
                                                         "status": exc.status,
                                                         "code": exc.code}})
        return PrefillResult(outcome=outcome)
    if found is None:
        return PrefillResult(outcome=PrefillOutcome.NOT_FOUND)
    return PrefillResult(dict(found.fields), found.exempt_materials)


# -- printing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PrintOutcome:
    """How a print job went. ``preview`` is PNG bytes of exactly what was (to be) printed."""

    printed: bool
    preview: bytes = b""
    message: Text | None = None   # what happened and what to do, when not printed
    paper_state: str = "ok"         # the printer's state after (or instead of) the job


@dataclass(frozen=True)
class ProofContent:
    """An A4 proof, Qt-free: the printer service lays it out (kiosk.documents)."""

    title: str
    rows: tuple[tuple[str, str | Personal], ...]
    verification_url: str
    issued_at_iso: str


class PrinterService(Protocol):
    def print_receipt(self, slip: Any, done: Callable[[PrintOutcome], None]) -> None:
        """``slip`` is a ``devices.printer.Receipt``; the outcome carries its preview."""

    def preview_proof(self, proof: ProofContent,
                      done: Callable[[list[bytes]], None]) -> None:
        """PNG pages of the proof, rendered from the very PDF that would be printed."""

    def print_proof(self, proof: ProofContent, done: Callable[[PrintOutcome], None]) -> None:
        ...
