"""Village agent mode as plain Python: the services the agent's screens call (no Qt).

* :mod:`.signin` — :class:`AgentAuth`: online sign-in, offline sign-in against a sealed
  scrypt hash for ``offline_days``, persisted lock-out, inactivity sign-out;
* :mod:`.worklist` — the work list: fetched, sealed for offline use until ``valid_until``,
  matched to a read card through the salted ID hash;
* :mod:`.submission` — :func:`as_agent_submission` and :class:`AgentOutbox`;
* :mod:`.dashboard` — the agent's queue: pending, sent with status updates, dead with the
  platform's reasons, correct-and-resend, sync now;
* :mod:`.platform` — the agent's calls through the outbox's platform client, ``X-Agent-Token``;
* :mod:`.vault`, :mod:`.lockout`, :mod:`.session`, :mod:`.errors` — the pieces under them.

See ``docs/agent-technician.md``.
"""

from kiosk.agent.dashboard import DashboardView, QueueDashboard, QueueEntry
from kiosk.agent.errors import AgentError
from kiosk.agent.platform import AgentPlatform
from kiosk.agent.session import AgentSession, Inactivity, sign_out_due
from kiosk.agent.signin import AgentAuth
from kiosk.agent.submission import AgentOutbox, as_agent_submission
from kiosk.agent.vault import Vault
from kiosk.agent.worklist import Worklist, WorklistBook, WorkResident, id_hash

__all__ = [
    "AgentAuth",
    "AgentError",
    "AgentOutbox",
    "AgentPlatform",
    "AgentSession",
    "DashboardView",
    "Inactivity",
    "QueueDashboard",
    "QueueEntry",
    "Vault",
    "WorkResident",
    "Worklist",
    "WorklistBook",
    "as_agent_submission",
    "id_hash",
    "sign_out_due",
]
