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

from civic.pii import Personal
from civic.text import Text
from kiosk.flows.states import PrefillOutcome
from kiosk.lazy import lazy

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

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


# -- prefill --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PrefillResult:
    """The platform's answer for one resident and item, or why there is none."""

    fields: dict[str, Any] = field(default_factory=dict)
    exempt_materials: tuple[str, ...] = ()
    outcome: PrefillOutcome = PrefillOutcome.OK

    def __repr__(self) -> str:     # the values are personal data
        return f"PrefillResult({self.outcome}, {len(self.fields)} fields)"


class PrefillClient(Protocol):
    def fetch(self, id_number: Personal, item_code: str,
              done: Callable[[PrefillResult], None]) -> None: ...


def fetch_prefill(client: platform.PlatformClient | httpx.Client, id_number: Personal,
                  item_code: str) -> PrefillResult:
    """``GET /v1/residents/{id}/prefill`` (blocking: call it from a worker thread) through
    the platform client (an httpx client is wrapped in one), the answer's meaning (the
    client's table) told as the flow's :class:`PrefillOutcome`."""
    if not isinstance(client, platform.PlatformClient):
        client = platform.PlatformClient(client)
    try:
        found = client.prefill(id_number, item_code)
    except queue_errors.PlatformUnavailable as exc:      # no answer, 5xx, 429
        log.info("prefill.offline", extra={"ctx": {"item": item_code,
                                                     "error": exc.meaning.value}})
        return PrefillResult(outcome=PrefillOutcome.OFFLINE)
    except queue_errors.AccessRefused as exc:           # 401/403
        log.warning("prefill.refused", extra={"ctx": {"status": exc.status,
                                                        "code": exc.code}})
        return PrefillResult(outcome=PrefillOutcome.REFUSED)
    except queue_errors.PlatformError as exc:           # a wrong request, an unreadable answer
        log.warning("prefill.failed", extra={"ctx": {"item": item_code,
                                                       "error": exc.meaning.value}})
        return PrefillResult(outcome=PrefillOutcome.ERROR)
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
