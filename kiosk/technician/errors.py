"""Errors of the technician's services.

TechnicianError (KioskError)   a technician action that did not happen; ``zh``/``en`` say why
├── AccessDenied               wrong technician PIN, no PIN set, or locked after failures
└── ActionFailed               a device, the platform, the configuration or the disk failed;
                               ``action`` names the audited action

Lower-level known errors (``DeviceError``, ``OutboxError``, ``KioskError``, ``OSError``)
become :class:`ActionFailed` at one boundary, ``TechnicianConsole._run``, which also
audits the outcome. Anything else is a bug: audited as ``bug`` and re-raised.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class TechnicianError(KioskError):
    def __init__(self, en: str, zh: str = "") -> None:
        super().__init__(en)
        self.en, self.zh = en, zh or en

    @property
    def user_message(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


class AccessDenied(TechnicianError):
    pass


class ActionFailed(TechnicianError):
    def __init__(self, action: str, en: str, zh: str = "") -> None:
        super().__init__(en, zh)
        self.action = action
