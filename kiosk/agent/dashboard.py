"""The agent's queue dashboard as plain data: pending, sent, dead, and what to do about them.

Only the signed-in agent's items are shown (the outbox keeps each item's sender in
clear). The applicant appears masked (``张**``). Dead items carry the platform's reasons
(``fields`` with zh/en messages) and can be corrected and resent with
:meth:`QueueDashboard.resend` (``Outbox.retry``: a new submission that ``replaces`` the dead
one). While the agent has no platform session (signed in offline), the outbox holds the
agent's items: :attr:`DashboardView.held` says how many wait for an online sign-in.

:meth:`QueueDashboard.sync_now` does network I/O (renewing the agent's token): call it on
a worker thread. Everything else reads the local outbox.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from civic.pii import mask_name
from kiosk.agent.errors import AgentError
from kiosk.agent.signin import AgentAuth
from kiosk.agent.submission import as_agent_submission
from offline_queue import Outbox, State
from offline_queue.errors import NotFoundError
from offline_queue.events import OutboxEvent, Progress, SenderRefused
from offline_queue.senders import Sender

log = logging.getLogger(__name__)

#: platform codes meaning "the agent's session was not valid", not "the content is wrong";
#: the outbox now holds such items instead, but older builds let them die
SESSION_REFUSALS = ("agent_token_invalid", "agent_sign_in_required", "agent_mismatch")
_WAITING = (State.PENDING, State.IN_FLIGHT, State.RETRY_WAIT)


@dataclass(frozen=True)
class QueueEntry:
    submission_id: str
    state: str
    item_code: str
    applicant_masked: str
    enqueued_at: str
    local_receipt: str | None = None
    case_number: str | None = None
    platform_status: str | None = None
    last_error: str | None = None
    status_updates: tuple[dict[str, Any], ...] = ()
    #: dead items: {"code", "title", "detail", "fields": {key: {"zh", "en"}}}
    reasons: dict[str, Any] | None = None
    replaces: str | None = None
    #: a dead item someone dealt with (corrected and resent, or dismissed)
    resolved: bool = False


@dataclass(frozen=True)
class DashboardView:
    pending: tuple[QueueEntry, ...]
    sent: tuple[QueueEntry, ...]
    dead: tuple[QueueEntry, ...]
    progress: Progress = field(default_factory=Progress)
    #: pending items the outbox holds until the agent signs in online (0 while online)
    held: int = 0


class QueueDashboard:
    """``QueueDashboard(outbox, auth, trigger=worker.trigger, progress=engine.progress)``."""

    def __init__(self, outbox: Outbox, auth: AgentAuth, *,
                 trigger: Callable[[], None] = lambda: None,
                 progress: Callable[[], Progress] | None = None) -> None:
        self.outbox, self.auth = outbox, auth
        self._trigger, self._progress_source = trigger, progress
        self._progress = Progress()
        self._lock = threading.Lock()
        self._remove = outbox.add_listener(self._on_event)

    def close(self) -> None:
        self._remove()

    def _on_event(self, event: OutboxEvent) -> None:     # the sync thread
        if isinstance(event, Progress):
            with self._lock:
                self._progress = event
        elif isinstance(event, SenderRefused):
            # The platform no longer accepts this agent's session: drop the token, so the
            # screen says "offline" and the sync button signs in again with the PIN.
            current = self.auth.current
            if current is not None and current.agent_id == event.sender.agent_id:
                self.auth.token_rejected()

    def progress(self) -> Progress:
        """The last run event, with the engine's record of the last successful sync and
        the last error (an event carries them only when its run set them)."""
        with self._lock:
            current = self._progress
        if self._progress_source is not None:
            stored = self._progress_source()
            current = replace(current, last_sync_at=stored.last_sync_at,
                              last_error=current.last_error or stored.last_error)
        return current

    # -- reading ---------------------------------------------------------------------------
    def _entry(self, view: dict[str, Any], body: dict[str, Any],
               detail: bool) -> QueueEntry:
        applicant = body.get("applicant") or {}
        updates = (tuple(self.outbox.get(view["submission_id"])["status_updates"])
                   if detail else ())
        return QueueEntry(
            view["submission_id"], view["state"], str(body.get("item_code", "")),
            mask_name(str(applicant.get("name", ""))), view["enqueued_at"],
            view["local_receipt"], view["case_number"], view["platform_status"],
            view["last_error"], updates, view.get("reasons"), view["replaces"],
            view.get("resolved_at") is not None)

    def entries(self, agent_id: str) -> list[tuple[QueueEntry, dict[str, Any]]]:
        """This agent's items (another agent's and the kiosk's are never opened)."""
        out = []
        for view in self.outbox.items(sender=Sender("agent", agent_id)):
            body = self.outbox.body(view["submission_id"])
            if body is None:
                continue                        # delivered long ago and purged
            out.append((self._entry(view, body, view["state"] == State.SENT), body))
        return out

    def view(self) -> DashboardView:
        session = self.auth.session()
        entries = [e for e, _ in self.entries(session.agent_id)]
        pending = tuple(e for e in entries if e.state in _WAITING)
        return DashboardView(
            pending=pending,
            sent=tuple(e for e in entries if e.state == State.SENT),
            dead=tuple(e for e in entries if e.state == State.DEAD and not e.resolved),
            progress=self.progress(),
            held=0 if session.online else sum(e.state != State.IN_FLIGHT for e in pending))

    # -- acting ----------------------------------------------------------------------------
    def correction(self, submission_id: str) -> dict[str, Any]:
        """The dead submission's body, for the form to be corrected (this agent's only)."""
        agent_id = self.auth.session().agent_id
        try:
            item = self.outbox.get(submission_id)
        except NotFoundError:
            item = None
        mine = item is not None and (item["channel"], item["agent_id"]) == ("agent", agent_id)
        body = self.outbox.body(submission_id) if mine else None
        if body is None:
            raise AgentError("This item is not in your queue.", "该办件不在您的队列中。")
        return body

    def resend(self, submission_id: str, corrected: dict[str, Any],
               attachments: Iterable[bytes | Path] = ()) -> str:
        """Queue the corrected copy of a dead item; returns the new submission id."""
        session = self.auth.session()
        self.correction(submission_id)
        new_id = self.outbox.retry(submission_id,
                                   as_agent_submission(corrected, session.agent_id),
                                   attachments)
        log.info("agent.resent", extra={"ctx": {"replaces": submission_id,
                                                 "submission_id": new_id}})
        return new_id

    def resend_session_refusals(self) -> list[str]:
        """Resend, unchanged, this agent's items refused only for a lapsed session."""
        agent_id = self.auth.session().agent_id
        resent = []
        for entry, body in self.entries(agent_id):
            code = (entry.reasons or {}).get("code")
            if entry.state == State.DEAD and not entry.resolved and code in SESSION_REFUSALS:
                resent.append(self.outbox.retry(entry.submission_id, body))
        return resent

    def sync_now(self) -> bool:
        """The sync button (worker thread): renew the agent's token, send everything now
        (items in retry back-off too, never before a platform's Retry-After), wake the sync.

        False when the platform cannot be reached (the queue waits; nothing is lost).
        """
        online = self.auth.renew_token()
        if online:
            self.resend_session_refusals()
            self.outbox.retry_waiting_now()
        self._trigger()
        return online

