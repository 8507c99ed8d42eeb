"""The agent's calls to the platform, through the outbox's one platform client.

Every call goes through :class:`offline_queue.platform.PlatformClient` (base URL, device
token, time-outs and connection from ``config.platform``), made afresh on the data dir's
credentials of the moment, with the agent's ``X-Agent-Token`` where the call needs it. The
sync engine, which sends agent-channel submissions, asks for the same header per sender
through ``AgentAuth.request_headers`` (the platform only accepts an agent submission from
that agent, signed in on the terminal).

What an answer means is decided once, by the client's table (``civic.answers``); what is
the same for every agent call becomes :mod:`kiosk.agent.errors` here, and only here: no
answer, a time-out or 5xx is :class:`PlatformUnreachable`, a device token the platform no
longer knows :class:`TerminalNotReady`. The callers turn the rest (a wrong PIN, 429, a
refused agent session, 403) into what the agent reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from kiosk.agent.errors import PlatformUnreachable, TerminalNotReady
from offline_queue import credentials
from offline_queue.errors import (
    DeviceRefused,
    KeyPermissionError,
    NotEnrolledError,
    PlatformThrottled,
    PlatformUnavailable,
)
from offline_queue.platform import AGENT_TOKEN_HEADER, AgentGrant, PlatformClient
from offline_queue.tls import ClientSettings

__all__ = ["AGENT_TOKEN_HEADER", "AgentPlatform"]

T = TypeVar("T")


@dataclass(frozen=True)
class AgentPlatform:
    """Where and how to call the platform: the data dir's credentials and how to connect
    (``client_settings``, from ``config.platform``; without them, the time-outs)."""

    data_dir: Path
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    transport: httpx.BaseTransport | None = None
    client_settings: ClientSettings | None = None

    def credentials(self) -> credentials.Credentials:
        try:
            return credentials.load(self.data_dir)
        except NotEnrolledError as exc:
            raise TerminalNotReady(
                "This terminal is not enrolled with the platform; ask a technician to enrol "
                "it as an agent terminal.", "本终端尚未在平台登记，请联系技术人员登记为代办终端。"
            ) from exc
        except KeyPermissionError as exc:
            raise TerminalNotReady(str(exc),
                                   "本终端的平台凭据文件权限不安全，请联系技术人员。") from exc

    def sign_in(self, agent_number: str, pin: str) -> AgentGrant:
        """``POST /v1/agents/sign-in``; see :meth:`PlatformClient.sign_in_agent`."""
        return self._ask(lambda client: client.sign_in_agent(agent_number, pin))

    def worklist(self, agent_token: str | None) -> dict[str, Any]:
        """``GET /v1/worklist`` on the agent's session; see :meth:`PlatformClient.worklist`."""
        return self._ask(lambda client: client.worklist(agent_token))

    def _ask(self, call: Callable[[PlatformClient], T]) -> T:
        """One call on a fresh client. 429 stays the client's
        :class:`~offline_queue.errors.PlatformThrottled` (sign-in tells the agent how long to
        wait); other transient failures are :class:`PlatformUnreachable`, a refused device
        token is :class:`TerminalNotReady`."""
        settings = ClientSettings.resolve(self.client_settings,
                                          connect_timeout_s=self.connect_timeout_s,
                                          read_timeout_s=self.read_timeout_s)
        try:
            with PlatformClient.build(self.credentials(), settings, self.transport) as client:
                return call(client)
        except PlatformThrottled:
            raise
        except PlatformUnavailable as exc:
            raise PlatformUnreachable(exc.detail) from exc
        except DeviceRefused as exc:
            raise TerminalNotReady(
                "The platform no longer accepts this terminal (token revoked or unknown); ask "
                "a technician to enrol it again. Queued work is kept.",
                "平台不再接受本终端（凭据已失效），请联系技术人员重新登记。已保存的办件不会丢失。"
            ) from exc
