"""The platform's video-help desk: its settings, the calls and the clerks on duty together.

``SandboxSettings.assist`` holds an :class:`AssistSettings`; ``SandboxPlatform.assist`` is
the :class:`AssistDesk` the routes of ``central.api.assist`` and ``central.api.clerks`` use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from central.assist_calls import CallBoard
from central.clerks import DutyRoster
from civic.assist import IceServer, ice_servers_of
from civic.errors import CallMessageInvalid

DEFAULT_HOURS: dict[str, str] = {"zh": "工作日 8:30–12:00、13:30–17:00",
                                 "en": "Weekdays 8:30–12:00 and 13:30–17:00"}
#: how long a terminal waits before placing a call again when nobody is on duty
NO_CLERKS_RETRY_S = 60


def parse_ice_server(text: str) -> IceServer:
    """A URL (``stun:host:3478``) or a JSON object ``{"urls", "username", "credential"}``,
    as ``kiosk central serve --ice-server`` takes it; ValueError names what is wrong."""
    text = text.strip()
    if not text.startswith("{"):
        if not text.startswith(("stun:", "stuns:", "turn:", "turns:")):
            raise ValueError("an ICE server URL starts with stun:, stuns:, turn: or turns:")
        return IceServer((text,))
    try:
        return ice_servers_of([json.loads(text)])[0]
    except (ValueError, CallMessageInvalid) as exc:
        raise ValueError(f"not an ICE server: {exc}") from None


@dataclass(frozen=True)
class AssistSettings:
    """What ``GET /v1/assist/config`` names: the clerks' hours and the ICE servers.

    No ICE server by default: on loopback none is needed, and a public STUN server would
    leak the sandbox's calls to a third party (production names its own coturn,
    docs/central.md)."""

    hours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    ice_servers: tuple[IceServer, ...] = ()

    def ice_json(self) -> list[dict[str, Any]]:
        return [server.as_dict() for server in self.ice_servers]


class AssistDesk:
    def __init__(self, settings: AssistSettings) -> None:
        self.settings = settings
        self.calls = CallBoard()
        self.roster = DutyRoster()

    def close(self) -> None:
        """Answer every long poll now, so the server's threads can be joined."""
        self.calls.close()
