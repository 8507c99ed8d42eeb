"""The agent's work list: fetched online, kept sealed for offline visits until ``valid_until``.

``GET /v1/worklist`` gives the residents of the agent's area and what each can apply for
now. It carries no plain ID numbers: each resident has ``id_hash``, the SHA-256 of the
list's ``salt`` followed by the ID number (final ``x`` upper-cased), so a card read at the
door is matched by hashing its number the same way. The list is still stored encrypted
(names are masked, but who lives where and may claim what is personal too), one document
per agent, and an expired list is refused and deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from civic.identity import Identity
from kiosk.agent.errors import (
    PlatformRefused,
    PlatformUnreachable,
    TerminalNotReady,
    WorklistExpired,
    WorklistUnavailable,
)
from kiosk.agent.platform import AgentPlatform
from kiosk.agent.signin import AgentAuth
from kiosk.agent.vault import Vault
from offline_queue.errors import BadAnswer, CallForbidden, PlatformError, SessionRefused

log = logging.getLogger(__name__)


def id_hash(salt: str, id_number: str) -> str:
    """The platform's matching key: SHA-256 of salt + ID number (final x upper-cased)."""
    number = id_number.strip()
    if number[-1:] == "x":
        number = number[:-1] + "X"
    return hashlib.sha256((salt + number).encode("utf-8")).hexdigest()


def parse_time(text: str) -> float:
    """RFC 3339 (``Z`` or an offset) to a POSIX timestamp; ValueError when it is not one."""
    when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return when.timestamp()


@dataclass(frozen=True)
class EligibleItem:
    item_code: str
    reason_zh: str
    reason_en: str

    def reason(self, language: str) -> str:
        return self.reason_en if language == "en" and self.reason_en else self.reason_zh


@dataclass(frozen=True)
class WorkResident:
    resident_ref: str
    name_masked: str
    id_hash: str
    village: str
    eligible: tuple[EligibleItem, ...]


@dataclass(frozen=True)
class Worklist:
    agent_id: str
    generated_at: str
    valid_until: str
    salt: str
    residents: tuple[WorkResident, ...]

    @classmethod
    def from_document(cls, doc: Any, agent_id: str) -> Worklist:
        """The platform's answer checked field by field; ValueError names what is wrong."""
        if not isinstance(doc, dict):
            raise ValueError("the work list is not a JSON object")
        for key in ("generated_at", "valid_until", "salt"):
            if not isinstance(doc.get(key), str) or not doc[key]:
                raise ValueError(f"the work list has no {key}")
        parse_time(doc["valid_until"])
        residents = []
        for raw in doc.get("residents", []):
            if not isinstance(raw, dict) or not isinstance(raw.get("id_hash"), str):
                raise ValueError("a resident of the work list has no id_hash")
            eligible = tuple(
                EligibleItem(str(e["item_code"]), str(e.get("reason", "")),
                             str(e.get("reason_en", "")))
                for e in raw.get("eligible", []) if isinstance(e, dict) and "item_code" in e)
            residents.append(WorkResident(
                str(raw.get("resident_ref", "")), str(raw.get("name_masked", "")),
                raw["id_hash"].lower(), str(raw.get("village", "")), eligible))
        return cls(agent_id, doc["generated_at"], doc["valid_until"], doc["salt"],
                   tuple(residents))

    def to_document(self) -> dict[str, Any]:
        return {"generated_at": self.generated_at, "valid_until": self.valid_until,
                "salt": self.salt, "residents": [
                    {"resident_ref": r.resident_ref, "name_masked": r.name_masked,
                     "id_hash": r.id_hash, "village": r.village,
                     "eligible": [{"item_code": e.item_code, "reason": e.reason_zh,
                                   "reason_en": e.reason_en} for e in r.eligible]}
                    for r in self.residents]}

    def expired(self, now: float) -> bool:
        return parse_time(self.valid_until) <= now

    def match(self, identity: Identity) -> WorkResident | None:
        """The resident whose card was read, or None when they are not on the list."""
        wanted = id_hash(self.salt, identity.id_number.reveal())
        return next((r for r in self.residents if r.id_hash == wanted), None)

    def __repr__(self) -> str:
        return (f"Worklist({self.agent_id}, {len(self.residents)} residents, "
                f"valid_until={self.valid_until})")


class WorklistBook:
    """Fetches, keeps and opens the signed-in agent's work list."""

    def __init__(self, platform: AgentPlatform, vault: Vault, auth: AgentAuth, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.platform, self.vault, self.auth, self.clock = platform, vault, auth, clock

    @staticmethod
    def _name(agent_id: str) -> str:
        return "worklist-" + hashlib.sha256(agent_id.encode()).hexdigest()[:16]

    def sync(self) -> Worklist:
        """Fetch the list online (renewing the agent's token if needed) and keep it sealed."""
        session = self.auth.session()
        for attempt in (1, 2):                  # once more after renewing a stale token
            if not self.auth.renew_token():
                raise PlatformUnreachable("no agent session on the platform yet")
            try:
                doc = self.platform.worklist(self.auth.token())
                break
            except SessionRefused as stale:
                self.auth.token_rejected()
                if attempt == 2:
                    raise _not_given(stale) from stale
            except CallForbidden as exc:        # a kiosk asking (403 wrong_device_kind)
                raise TerminalNotReady("Only agent terminals receive work lists; this one "
                                       "is enrolled as a kiosk.",
                                       "只有代办终端可以获取走访清单。") from exc
            except BadAnswer as exc:
                raise _unreadable(exc.detail) from exc
            except PlatformError as exc:
                raise _not_given(exc) from exc
        try:
            worklist = Worklist.from_document(doc, session.agent_id)
        except (ValueError, KeyError, TypeError) as exc:
            raise _unreadable(str(exc)) from exc
        self.vault.put(self._name(session.agent_id), {"agent_id": session.agent_id,
                                                      "worklist": worklist.to_document()})
        log.info("agent.worklist_synced", extra={"ctx": {"agent_id": session.agent_id,
                                                          "residents": len(worklist.residents)}})
        return worklist

    def load(self) -> Worklist:
        """The stored list of the signed-in agent; refused (and deleted) once expired."""
        session = self.auth.session()
        name = self._name(session.agent_id)
        doc = self.vault.get(name)
        if doc is None or doc.get("agent_id") != session.agent_id:
            raise WorklistUnavailable()
        try:
            worklist = Worklist.from_document(doc["worklist"], session.agent_id)
        except (ValueError, KeyError) as exc:
            raise WorklistUnavailable() from exc
        if worklist.expired(self.clock()):
            self.vault.delete(name)
            log.info("agent.worklist_expired", extra={"ctx": {"agent_id": session.agent_id}})
            raise WorklistExpired(worklist.valid_until)
        return worklist

    def match(self, identity: Identity) -> WorkResident | None:
        return self.load().match(identity)


def _not_given(exc: PlatformError) -> PlatformRefused:
    return PlatformRefused(f"The platform did not give a work list ({exc.detail}).",
                           "平台未能提供走访清单，请稍后再试。")


def _unreadable(why: str) -> PlatformRefused:
    log.error("agent.worklist_unreadable", extra={"ctx": {"error": why}})
    return PlatformRefused(f"The platform sent a work list this terminal cannot read ({why}).",
                           "平台发来的走访清单无法读取，请联系技术人员。")
