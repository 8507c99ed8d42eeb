"""On whose behalf a submission is sent, and the headers that sending needs.

A kiosk-channel submission goes out on the device's own token. An agent-channel one is
accepted only with ``X-Agent-Token`` of the agent it names, signed in on this terminal
(API spec, ``POST /v1/agents/sign-in``): without it the platform can only refuse it. So
the engine asks the application, per :class:`Sender`, for the extra request headers, and
an answer of ``None`` means "not now": that sender's items are *held*, neither sent nor
counted as an attempt, until the application has the headers (the agent signs in online).

The sender (channel, agent id) is kept in clear next to each item so the queue can hold
one sender's items without opening any sealed body; neither is a citizen's personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from civic.answers import ANSWERS, Meaning

__all__ = ["REFUSED_SENDER_CODES", "RequestHeaders", "Sender", "SenderHolds", "device_only",
           "not_held_sql", "sender_of"]


@dataclass(frozen=True)
class Sender:
    """``channel`` as in the Submission; ``agent_id`` for the agent channel, else None."""

    channel: str
    agent_id: str | None = None


#: ``request_headers(sender)``: extra headers for that sender's submissions, or None to hold
RequestHeaders = Callable[[Sender], Mapping[str, str] | None]

#: problem codes meaning "the sender's session is missing or stale", not "this content is
#: wrong" (``civic.answers``): the item is held (back to pending, no attempt counted) instead
#: of becoming dead, and the headers that were refused are not used again.
REFUSED_SENDER_CODES = frozenset(code for (_, code), meaning in ANSWERS.items()
                                 if meaning is Meaning.SENDER_REFUSED and code is not None)


def device_only(sender: Sender) -> Mapping[str, str] | None:
    """The default: kiosk-channel items go on the device token alone; agent-channel items
    are held, since only the signed-in agent's session can send them (a plain
    ``kiosk queue sync`` on an agent laptop must not turn them into rejections)."""
    return None if sender.channel == "agent" else {}


def sender_of(submission: Mapping[str, Any]) -> Sender:
    """The sender of a well-formed Submission."""
    channel = str(submission.get("channel") or "kiosk")
    agent = submission.get("agent")
    agent_id = agent.get("agent_id") if isinstance(agent, Mapping) else None
    if channel != "agent" or not isinstance(agent_id, str):
        return Sender(channel)
    return Sender(channel, agent_id)


def not_held_sql(held: Iterable[Sender]) -> tuple[str, list[Any]]:
    """SQL continuing a WHERE clause that leaves out the items of ``held`` senders."""
    senders = list(held)
    sql = "".join(" AND NOT (channel = ? AND agent_id IS ?)" for _ in senders)
    return sql, [v for s in senders for v in (s.channel, s.agent_id)]


class SenderHolds:
    """Which senders may be sent for now: asks ``request_headers`` and remembers refusals.

    Headers the platform refused (:data:`REFUSED_SENDER_CODES`) are not used again: the
    sender stays held until ``request_headers`` gives different ones (a fresh sign-in), so
    a stale session never makes the worker resend in a loop. Used on the sync thread.
    """

    def __init__(self, request_headers: RequestHeaders | None = None) -> None:
        self._ask = request_headers or device_only
        self._refused: dict[Sender, frozenset[tuple[str, str]]] = {}

    def headers(self, sender: Sender) -> dict[str, str] | None:
        """The headers to send ``sender``'s items with now, or None: hold them."""
        given = self._ask(sender)
        if given is None:
            return None
        if self._refused.get(sender) == frozenset(given.items()):
            return None
        self._refused.pop(sender, None)
        return dict(given)

    def refused(self, sender: Sender, headers: Mapping[str, str]) -> None:
        self._refused[sender] = frozenset(headers.items())

    def held(self, senders: Iterable[Sender]) -> set[Sender]:
        return {s for s in senders if self.headers(s) is None}
