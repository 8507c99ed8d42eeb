"""Agent sign-in: online through the platform, offline against a slow salted PIN hash.

Online (``POST /v1/agents/sign-in``): on success the terminal keeps, sealed in the data
dir, the agent's id, name, area and an scrypt hash of the PIN (``civic.pin``), valid
for the ``offline_days`` the platform gave. Offline (network down, time-out, 5xx), the PIN
is checked against that hash until then. Wrong PINs, online or offline, count towards a
lock-out kept in the same sealed file, so restarting the app does not reset it. A 401
``bad_credentials`` online also drops the stored hash: the platform just said that PIN is
not (or no longer) the agent's.

The wall clock is not trusted to go backwards: the latest time seen is kept, and an
earlier clock counts as that time, so turning the clock back neither extends offline
sign-in nor ends a lock-out.

The inactivity sign-out and the lock-out come from ``config.toml`` (``[agent]``,
:class:`kiosk.config.AgentConfig`), handed in by the composition root.

For the outbox, :meth:`AgentAuth.request_headers` gives the signed-in agent's
``X-Agent-Token`` for that agent's submissions and None (hold them) otherwise; listeners
added with :meth:`AgentAuth.add_online_listener` hear when a platform session starts, so
the sync worker can send what was held at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any, NoReturn

from civic.pin import hash_pin, verify_pin
from kiosk.agent.errors import (
    LockedOut,
    NotSignedIn,
    OfflineSignInUnavailable,
    PlatformRefused,
    PlatformUnreachable,
    SignInRefused,
    SignInThrottled,
    TerminalNotReady,
)
from kiosk.agent.lockout import Attempts, LockoutPolicy
from kiosk.agent.platform import AGENT_TOKEN_HEADER, AgentPlatform
from kiosk.agent.session import AgentProfile, AgentSession, Inactivity
from kiosk.agent.vault import Vault
from kiosk.config import AgentConfig
from offline_queue.errors import (
    AccessRefused,
    CredentialsRefused,
    PlatformError,
    PlatformThrottled,
)
from offline_queue.platform import AgentGrant
from offline_queue.senders import Sender

log = logging.getLogger(__name__)

RECORDS = "agents"
DAY_S = 86400.0
#: offline sign-in never lasts longer than this, whatever the platform says
MAX_OFFLINE_DAYS = 30


class SignOutReason(StrEnum):
    """Why an agent's session ended (logged; the visit tells the agent about inactivity)."""

    AGENT = "agent"                  # the agent signed out
    INACTIVITY = "inactivity"        # away longer than ``agent.inactivity_s``
    PIN_REFUSED = "pin_refused"      # the platform refused the PIN on renewal
    CLOSING = "closing"              # the application is closing


class AgentAuth:
    """Signs agents in and out; ``current`` is the signed-in session or None.

    ``limits`` is the ``[agent]`` section of the configuration (inactivity sign-out,
    wrong PINs before a lock-out, its length); ``clock`` is the wall clock (offline
    validity and lock-outs survive restarts); ``monotonic`` drives the inactivity sign-out.
    """

    def __init__(self, platform: AgentPlatform, vault: Vault, limits: AgentConfig, *,
                 clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.platform, self.vault = platform, vault
        self.policy = LockoutPolicy(limits.max_pin_failures, limits.lockout_minutes * 60.0)
        self.inactivity_s = float(limits.inactivity_sign_out_s)
        self.clock, self.monotonic = clock, monotonic
        self.current: AgentSession | None = None
        self._idle: Inactivity | None = None
        self._online_listeners: list[Callable[[], None]] = []
        self._listeners_lock = threading.Lock()

    # -- records ----------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        doc = self.vault.get(RECORDS) or {}
        doc.setdefault("agents", {})
        return doc

    def _now(self, doc: dict[str, Any]) -> float:
        seen = doc.get("latest_time_seen")
        now = self.clock()
        if isinstance(seen, int | float) and seen > now:
            log.warning("agent.clock_behind", extra={"ctx": {"behind_s": round(seen - now)}})
            return float(seen)
        doc["latest_time_seen"] = now
        return now

    def _save(self, doc: dict[str, Any]) -> None:
        self.vault.put(RECORDS, doc)

    # -- signing in --------------------------------------------------------------------------
    def sign_in(self, agent_number: str, pin: str, *, allow_offline: bool = True) -> AgentSession:
        """Sign in online if the platform answers, offline if it cannot be reached.

        With ``allow_offline=False`` an unreachable platform raises PlatformUnreachable.
        """
        # One sign-in at a time, across threads and processes: the wrong-PIN count is read,
        # checked and written back under the records' lock (the platform's answer is awaited
        # under it too), so parallel guesses cannot all read the same count.
        with self.vault.exclusive(RECORDS):
            session = self._sign_in(agent_number.strip(), pin, allow_offline)
        if session.online:
            # After the lock: a listener may sign in again (renew_token), and would wait
            # for a lock its own thread holds.
            self._went_online()
        return session

    def _sign_in(self, number: str, pin: str, allow_offline: bool) -> AgentSession:
        doc = self._load()
        now = self._now(doc)
        record: dict[str, Any] = doc["agents"].setdefault(number, {})
        attempts = Attempts.from_dict(record.get("attempts"))
        if attempts.locked(now):
            self._save(doc)
            assert attempts.locked_until is not None
            raise LockedOut(attempts.locked_until, now)
        try:
            grant = self.platform.sign_in(number, pin)
        except PlatformUnreachable as down:
            if not allow_offline:
                self._save(doc)
                raise
            log.info("agent.sign_in_offline", extra={"ctx": {"why": down.detail}})
            return self._offline(doc, number, pin, now)
        except CredentialsRefused:
            record.pop("pin_hash", None)
            self._failed(doc, number, now)
        except PlatformThrottled as throttled:
            self._save(doc)
            after = throttled.retry_after_s
            raise SignInThrottled(after if after is not None else 15 * 60) from throttled
        except AccessRefused as refused:            # 403: not an agent terminal
            self._save(doc)
            raise TerminalNotReady(
                "This terminal is not enrolled as an agent terminal, so agents cannot sign in "
                "here; ask a technician.",
                "本终端未登记为代办终端，代办员不能在此登录，请联系技术人员。") from refused
        except PlatformError as other:
            self._save(doc)
            raise PlatformRefused(f"The platform refused the sign-in ({other.detail}).",
                                  "平台拒绝了登录请求，请稍后再试或联系技术人员。") from other
        return self._online(doc, number, pin, now, grant)

    def _online(self, doc: dict[str, Any], number: str, pin: str, now: float,
                grant: AgentGrant) -> AgentSession:
        days = min(grant.offline_days, MAX_OFFLINE_DAYS)
        profile = AgentProfile(grant.agent_id, grant.display_name, grant.area, number)
        doc["agents"][number] = {
            "agent_id": profile.agent_id, "display_name": profile.display_name,
            "area": profile.area, "pin_hash": hash_pin(pin),
            "offline_until": now + days * DAY_S, "attempts": Attempts().as_dict()}
        self._save(doc)
        log.info("agent.signed_in", extra={"ctx": {"agent_id": profile.agent_id,
                                                    "online": True}})
        return self._start(AgentSession(profile, token=grant.agent_token, pin=pin,
                                        signed_in_at=now, offline_until=now + days * DAY_S))

    def _offline(self, doc: dict[str, Any], number: str, pin: str,
                 now: float) -> AgentSession:
        record = doc["agents"][number]
        stored = record.get("pin_hash")
        if not stored:
            self._save(doc)
            raise OfflineSignInUnavailable("never")
        if float(record.get("offline_until", 0)) <= now:
            self._save(doc)
            raise OfflineSignInUnavailable("expired")
        if not verify_pin(pin, stored):
            self._failed(doc, number, now)
        record["attempts"] = Attempts().as_dict()
        self._save(doc)
        profile = AgentProfile(str(record["agent_id"]), str(record.get("display_name", "")),
                               str(record.get("area", "")), number)
        log.info("agent.signed_in", extra={"ctx": {"agent_id": profile.agent_id,
                                                    "online": False}})
        return self._start(AgentSession(profile, token=None, pin=pin, signed_in_at=now,
                                        offline_until=float(record["offline_until"])))

    def _failed(self, doc: dict[str, Any], number: str, now: float) -> NoReturn:
        """Count a wrong PIN, persist it, and raise what the agent should see."""
        record = doc["agents"][number]
        attempts = Attempts.from_dict(record.get("attempts")).after_failure(self.policy, now)
        record["attempts"] = attempts.as_dict()
        self._save(doc)
        log.warning("agent.sign_in_refused", extra={"ctx": {"locked": attempts.locked(now)}})
        if attempts.locked_until is not None:
            raise LockedOut(attempts.locked_until, now)
        raise SignInRefused(attempts.left(self.policy))

    def _start(self, session: AgentSession) -> AgentSession:
        if self.current is not None:
            self.current.forget()
        self.current = session
        self._idle = Inactivity(self.inactivity_s, self.monotonic)
        return session

    # -- during a session ---------------------------------------------------------------------
    def activity(self) -> None:
        """A touch, key or card event: the agent is there."""
        if self._idle is not None:
            self._idle.activity()

    def check_inactivity(self) -> bool:
        """Sign out if the agent has been away too long; True when that happened now."""
        if self.current is not None and self._idle is not None and self._idle.due():
            self.sign_out(SignOutReason.INACTIVITY)
            return True
        return False

    def session(self) -> AgentSession:
        """The signed-in session (after the inactivity check), or :class:`NotSignedIn`."""
        self.check_inactivity()
        if self.current is None:
            raise NotSignedIn()
        return self.current

    def token(self) -> str | None:
        """The signed-in agent's platform session token, if any (any thread)."""
        current = self.current
        return current.token() if current is not None else None

    def request_headers(self, sender: Sender) -> dict[str, str] | None:
        """``SyncEngine(request_headers=auth.request_headers)`` (the sync thread): kiosk
        items need nothing more; an agent's items need that agent's platform session, and
        are held (None) while it is signed out or signed in offline."""
        if sender.channel != "agent":
            return {}
        current = self.current
        token = current.token() if current is not None else None
        if current is None or token is None or current.agent_id != sender.agent_id:
            return None
        return {AGENT_TOKEN_HEADER: token}

    def add_online_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback()`` (on the signing-in thread) whenever a platform session starts:
        an online sign-in, or a renewal when signal returns. Returns a remover."""
        with self._listeners_lock:
            self._online_listeners.append(callback)

        def remove() -> None:
            with self._listeners_lock:
                if callback in self._online_listeners:
                    self._online_listeners.remove(callback)
        return remove

    def _went_online(self) -> None:
        with self._listeners_lock:
            listeners = list(self._online_listeners)
        for listener in listeners:
            try:
                listener()
            except Exception:   # a listener's bug must not undo the sign-in
                log.exception("agent.online_listener_failed", extra={"ctx": {}})

    def renew_token(self) -> bool:
        """Get a platform token for an offline session with the PIN it holds in memory.

        True when the session is online afterwards; False when the platform still cannot
        be reached. A PIN the platform refuses ends the session (:class:`SignInRefused`).
        """
        session = self.session()
        if session.online:
            return True
        pin = session.pin()
        if pin is None:
            raise NotSignedIn()
        try:
            fresh = self.sign_in(session.profile.agent_number, pin, allow_offline=False)
        except PlatformUnreachable:
            return False
        except SignInRefused:
            self.sign_out(SignOutReason.PIN_REFUSED)
            raise
        return fresh.online

    def token_rejected(self) -> None:
        """The platform said the session token is unknown or expired: drop it."""
        if self.current is not None:
            self.current.set_token(None)

    def sign_out(self, reason: SignOutReason = SignOutReason.AGENT) -> None:
        if self.current is not None:
            log.info("agent.signed_out", extra={"ctx": {"agent_id": self.current.agent_id,
                                                         "reason": str(reason)}})
            self.current.forget()
        self.current = None
        self._idle = None
