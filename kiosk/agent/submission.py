"""Submissions through the agent channel.

The agent fills in the same forms as a citizen at a kiosk; the citizen flow builds the
Submission (``kiosk.flows.submission``) and :func:`as_agent_submission` turns it into an
agent one: ``channel: "agent"``, ``agent: {"agent_id"}``, and ``applicant.identified_by``
as the card was read (or ``agent_verified`` when the agent checked the person another
way). :class:`AgentOutbox` does that on every enqueue, so the citizen flow can be given it
in place of the outbox in agent mode.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civic.identity import IdentifiedBy
from kiosk.agent.signin import AgentAuth
from offline_queue import Outbox
from offline_queue.events import Listener

if TYPE_CHECKING:
    from kiosk.agent.dashboard import QueueDashboard


def as_agent_submission(submission: dict[str, Any], agent_id: str,
                        identified_by: IdentifiedBy | str | None = None) -> dict[str, Any]:
    """A copy of ``submission`` sent through the agent channel by ``agent_id``."""
    if not agent_id:
        raise ValueError("an agent submission needs the agent's id")
    body = copy.deepcopy(submission)
    body["channel"] = "agent"
    body["agent"] = {"agent_id": agent_id}
    applicant = body.get("applicant")
    if isinstance(applicant, dict):
        if identified_by is not None:
            applicant["identified_by"] = str(IdentifiedBy(identified_by))
        elif not applicant.get("identified_by"):
            applicant["identified_by"] = str(IdentifiedBy.AGENT_VERIFIED)
    return body


class AgentOutbox:
    """The outbox as the citizen flow uses it, recording the signed-in agent on each item."""

    def __init__(self, outbox: Outbox, auth: AgentAuth) -> None:
        self.outbox, self.auth = outbox, auth

    def enqueue(self, submission: dict[str, Any],
                attachments: Iterable[bytes | Path] = ()) -> str:
        session = self.auth.session()           # NotSignedIn after an inactivity sign-out
        self.auth.activity()
        return self.outbox.enqueue(as_agent_submission(submission, session.agent_id),
                                   attachments)

    def get(self, submission_id: str) -> dict[str, Any]:
        return self.outbox.get(submission_id)

    def add_listener(self, callback: Listener) -> Callable[[], None]:
        return self.outbox.add_listener(callback)


class VisitQueue:
    """The citizen flow's queue in agent mode, one for the whole mode: an application goes
    in as the signed-in agent's (:class:`~kiosk.agent.submission.AgentOutbox`); while a
    correction is open (:attr:`replacing`), the submission is the corrected copy that
    replaces the dead item."""

    def __init__(self, outbox: AgentOutbox, dashboard: QueueDashboard) -> None:
        self.outbox, self.dashboard = outbox, dashboard
        #: the dead item the next submission replaces (set by the visit for a correction)
        self.replacing: str | None = None

    def enqueue(self, submission: dict[str, Any],
                attachments: Iterable[bytes | Path] = ()) -> str:
        if self.replacing is not None:
            return self.dashboard.resend(self.replacing, submission, attachments)
        return self.outbox.enqueue(submission, attachments)

    def get(self, submission_id: str) -> dict[str, Any]:
        return self.outbox.get(submission_id)
