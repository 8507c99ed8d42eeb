"""The agent's calls to the platform, on the outbox's one client factory.

Every call is built by :func:`offline_queue.sync.build_client` (base URL, device token,
time-outs from ``config.platform``) and adds ``X-Agent-Token`` when an agent is signed in.
The sync engine, which sends agent-channel submissions, asks for the same header per
sender through ``AgentAuth.request_headers`` (the platform only accepts an agent
submission from that agent, signed in on the terminal).

Failures of the world become :mod:`kiosk.agent.errors` here, and only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kiosk.agent.errors import PlatformUnreachable, TerminalNotReady
from offline_queue import credentials
from offline_queue.errors import KeyPermissionError, NotEnrolledError
from offline_queue.sync import build_client
from offline_queue.tls import ClientSettings

AGENT_TOKEN_HEADER = "X-Agent-Token"


@dataclass(frozen=True)
class Platform:
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

    def call(self, method: str, path: str, *, agent_token: str | None = None,
             json: Any = None) -> httpx.Response:
        """One request; network failures and transient answers raise PlatformUnreachable.

        A 401 other than ``bad_credentials`` (the agent's wrong PIN) means the device token
        is gone: :class:`TerminalNotReady`. 403, 429 and the rest are returned for the
        caller to interpret.
        """
        creds = self.credentials()
        headers = {AGENT_TOKEN_HEADER: agent_token} if agent_token else {}
        try:
            with build_client(creds, self.transport, ClientSettings.resolve(
                    self.client_settings, connect_timeout_s=self.connect_timeout_s,
                    read_timeout_s=self.read_timeout_s)) as client:
                answer = client.request(method, path, json=json, headers=headers)
                answer.read()
        except httpx.TimeoutException as exc:
            raise PlatformUnreachable(f"time-out, {type(exc).__name__}") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise PlatformUnreachable(f"connection failed, {type(exc).__name__}") from exc
        if answer.status_code >= 500 or answer.status_code in (408, 425):
            raise PlatformUnreachable(f"the platform answered {answer.status_code}")
        if answer.status_code == 401 and problem_code(answer) != "bad_credentials":
            raise TerminalNotReady(
                "The platform no longer accepts this terminal (token revoked or unknown); ask "
                "a technician to enrol it again. Queued work is kept.",
                "平台不再接受本终端（凭据已失效），请联系技术人员重新登记。已保存的办件不会丢失。")
        return answer


def problem_code(answer: httpx.Response) -> str:
    """The ``code`` of a problem+json answer, or "" when it has none or is unreadable."""
    try:
        doc = answer.json()
    except ValueError:
        return ""
    return str(doc.get("code", "")) if isinstance(doc, dict) else ""
