"""Errors of the application layer.

KioskError                      something the user or technician can act on
├── ConfigError                 a configuration value is invalid (names key, value, allowed)
└── UserFacingError             shown on screen: ``zh`` and ``en`` say what happened and what to do
    ├── IdentityRefused         a card was read but cannot identify the citizen here
    │   ├── CardExpired         (or not yet valid)
    │   └── HolderDataProtected a 3rd-generation social-security card withholds name and ID
    └── kiosk.agent.errors.AgentError   the village agent's services (tree there)

Anything else that escapes is a bug: it is logged with its traceback and the user sees a
generic screen or message.
"""

from __future__ import annotations


class KioskError(Exception):
    """A known, user-facing failure. ``str(exc)`` is the message to show."""

    #: exit code of the ``kiosk`` command for this kind of failure (see docs/cli.md)
    exit_code: int = 3


class ConfigError(KioskError):
    exit_code = 1

    def __init__(self, key: str, value: object, allowed: str, source: str = "") -> None:
        self.key, self.value, self.allowed, self.source = key, value, allowed, source
        where = f" (from {source})" if source else ""
        super().__init__(f"invalid configuration {key} = {value!r}{where}: {allowed}")


class UserFacingError(KioskError):
    """A known failure a person reads on screen: ``str(exc)`` is the English text, ``zh``
    the Chinese one; ``user_message`` gives both, the way device errors do."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh

    @property
    def user_message(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


class IdentityRefused(UserFacingError):
    """A card that was read but cannot identify its holder here."""


class CardExpired(IdentityRefused):
    pass


class HolderDataProtected(IdentityRefused):
    pass
