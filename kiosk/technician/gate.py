"""Entering technician mode: the technician PIN (scrypt hash in config) with a lock-out.

Wrong PINs are counted in a sealed document in the data dir, so restarting the app does
not reset the count; every attempt, good or bad, is audited (who, when, outcome). A try
reads, checks and writes the count while holding the document's lock (threads and
processes alike), so parallel guesses cannot all read the same count and get a try each.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from civic.pin import verify_pin
from kiosk.agent.lockout import Attempts, LockoutPolicy
from kiosk.agent.vault import Vault
from kiosk.technician.audit import AuditLog
from kiosk.technician.errors import AccessDenied

ATTEMPTS_DOC = "technician-attempts"


class TechnicianGate:
    def __init__(self, vault: Vault, audit: AuditLog, pin_hash: Callable[[], str], *,
                 policy: LockoutPolicy | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.vault, self.audit, self._pin_hash = vault, audit, pin_hash
        self.policy = policy or LockoutPolicy()
        self.clock = clock

    def enter(self, technician: str, pin: str) -> None:
        """Returns when the PIN is right; :class:`AccessDenied` otherwise."""
        technician = technician.strip() or "unknown"
        # Held over the PIN check too (about 50 ms): tries simply take turns, so each one
        # reads the count the one before it wrote.
        with self.vault.exclusive(ATTEMPTS_DOC):
            self._try(technician, pin)

    def _try(self, technician: str, pin: str) -> None:
        now = self.clock()
        attempts = Attempts.from_dict(self.vault.get(ATTEMPTS_DOC))
        if attempts.locked(now):
            self.audit.record(technician, "technician.enter", "refused", {"why": "locked"})
            raise AccessDenied("Too many wrong PINs: technician mode is locked for a while.",
                               "技术人员密码错误次数过多，已暂时锁定。")
        stored = self._pin_hash()
        if not stored:
            self.audit.record(technician, "technician.enter", "refused", {"why": "no_pin"})
            raise AccessDenied("No technician PIN is set on this terminal; set one with "
                               "`kiosk config pin`.", "本终端未设置技术人员密码。")
        if not verify_pin(pin, stored):
            attempts = attempts.after_failure(self.policy, now)
            self.vault.put(ATTEMPTS_DOC, attempts.as_dict())
            self.audit.record(technician, "technician.enter", "refused",
                              {"why": "wrong_pin", "locked": attempts.locked(now)})
            raise AccessDenied("Wrong technician PIN.", "技术人员密码不正确。")
        self.vault.put(ATTEMPTS_DOC, Attempts().as_dict())
        self.audit.record(technician, "technician.enter", "ok")
