"""The platform client: every call a terminal makes besides delivering submissions.

The sync engine delivers the outbox (``offline_queue.sync`` over ``offline_queue.wire``);
everything else the terminal asks the platform goes through :class:`PlatformClient`, one
typed method per call:

* :meth:`~PlatformClient.open_session` — ``POST /v1/sessions``: a :class:`CardSession`;
* :meth:`~PlatformClient.close_session` — ``DELETE /v1/sessions/{id}``: True, or False when
  the platform had no such open session (404);
* :meth:`~PlatformClient.prefill` — ``GET /v1/residents/{id}/prefill`` inside a card session
  (``X-Session-Id``): a :class:`Prefill`, or None when the platform holds nothing (404);
* :meth:`~PlatformClient.put_blob` — ``PUT /v1/blobs/{sha256}``: the blob's digest;
* :meth:`~PlatformClient.face_check` — ``POST /v1/identity/face-checks`` inside a card
  session: a :class:`FaceCheck`;
* :meth:`~PlatformClient.records` — ``GET /v1/residents/{id}/records`` inside a card session:
  a :class:`civic.records.Record` (parsed, not yet verified), or None when none is held (404);
* :meth:`~PlatformClient.keys` — ``GET /v1/keys``: the keys that sign records;
* :meth:`~PlatformClient.heartbeat` — ``POST /v1/heartbeat``: a :class:`HeartbeatReply`;
* :meth:`~PlatformClient.sign_in_agent` — ``POST /v1/agents/sign-in``: an :class:`AgentGrant`;
* :meth:`~PlatformClient.worklist` — ``GET /v1/worklist``: the list, a JSON object;
* :meth:`~PlatformClient.eligible` (in a card session), :meth:`~PlatformClient.halls`,
  :meth:`~PlatformClient.slots`, :meth:`~PlatformClient.book` and
  :meth:`~PlatformClient.cancel_appointment` (in a card session) — thinking ahead for the
  citizen (``civic.ahead`` types); a refused booking is a
  :class:`~offline_queue.errors.BookingRefused`, a limit of that booking alone;
* :meth:`~PlatformClient.assist_config`, :meth:`~PlatformClient.place_call`,
  :meth:`~PlatformClient.call_status` (a long poll), :meth:`~PlatformClient.hang_up_call` —
  a video call to a clerk (``/v1/assist/...``), answered as ``civic.assist`` types.

Each group of calls lives in its own module over one request
(``offline_queue.platform_http``); this module holds the core and the whole client. It is
built on the one HTTP client factory (:func:`offline_queue.wire.build_client`: base
URL, device token, connection as ``ClientSettings`` say). Every answer is classified by one
table, ``civic.answers.CALL_ANSWERS``: a 2xx is read into the method's result, anything
else raises the :class:`~offline_queue.errors.PlatformError` its meaning names, and httpx's
errors (refused, time-out, a body cut short, a certificate refused) become
:class:`~offline_queue.errors.PlatformUnavailable` here. No caller looks at a status code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from civic.errors import MalformedRecord
from civic.extensions import Extension, extensions_of
from civic.identity import IdentifiedBy
from civic.pii import Personal
from civic.records import PublicKey, Record, parse_keys, parse_record
from offline_queue.errors import BadAnswer, PlatformNotFound
from offline_queue.platform_ahead import AheadCalls
from offline_queue.platform_assist import AssistCalls
from offline_queue.platform_http import (  # re-exported: the terminal's one client module
    AGENT_TOKEN_HEADER,
    ERRORS,
    SESSION_HEADER,
    error_for,
)

__all__ = ["AGENT_TOKEN_HEADER", "ERRORS", "SESSION_HEADER", "AgentGrant", "CardSession",
           "FaceCheck", "HeartbeatReply", "PlatformClient", "Prefill", "error_for"]


OPEN_SESSION: Final = "POST /v1/sessions"
CLOSE_SESSION: Final = "DELETE /v1/sessions/{session_id}"
PREFILL: Final = "GET /v1/residents/{id_number}/prefill"
HEARTBEAT: Final = "POST /v1/heartbeat"
PUT_BLOB: Final = "PUT /v1/blobs/{sha256}"
FACE_CHECK: Final = "POST /v1/identity/face-checks"
AGENT_SIGN_IN: Final = "POST /v1/agents/sign-in"
WORKLIST: Final = "GET /v1/worklist"
RECORDS: Final = "GET /v1/residents/{id_number}/records"
KEYS: Final = "GET /v1/keys"
HEALTH: Final = "GET /v1/health"


@dataclass(frozen=True)
class Prefill:
    """The shared data the platform holds for one resident and item."""

    fields: Mapping[str, Any] = field(default_factory=dict)
    exempt_materials: tuple[str, ...] = ()

    def __repr__(self) -> str:     # the values are personal data
        return f"Prefill({len(self.fields)} fields, {len(self.exempt_materials)} exempt)"


@dataclass(frozen=True)
class CardSession:
    """A card session the platform opened: reads of this resident's data name it until it
    is closed or ``expires_at`` passes. The id is not personal data, but it is kept no
    longer than the citizen's session, and out of reprs."""

    session_id: str = field(repr=False)
    expires_at: str
    resident_known: bool


@dataclass(frozen=True)
class FaceCheck:
    """The platform's comparison of a live face with the resident's reference photo."""

    check_id: str
    match: bool
    score: float
    threshold: float
    reference: str = ""


@dataclass(frozen=True)
class HeartbeatReply:
    """The platform's answer to a heartbeat: its time, and settings it asks the terminal to
    follow (``heartbeat_interval_s``...)."""

    server_time: str | None = None
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def card_photo_threshold(self) -> float | None:
        """The least score the platform accepts for a ``card_photo_face`` check (a
        similarity in (0, 1]), or None when the reply names no usable one."""
        value = self.config.get("card_photo_threshold")
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0.0 < value <= 1.0:
            return None
        return float(value)


@dataclass(frozen=True)
class AgentGrant:
    """An agent signed in on the platform: who, and the session token for later calls."""

    agent_id: str
    display_name: str
    area: str
    agent_token: str = field(repr=False)     # a secret: never in logs or tracebacks
    #: how long the terminal may sign this agent in offline (0 when the platform says nothing)
    offline_days: float = 0.0


class PlatformClient(AssistCalls, AheadCalls):
    """The terminal's calls to the platform, answered in types (see the module docstring):
    card sessions, shared data, records, heartbeats and agents here, video help
    (:class:`~offline_queue.platform_assist.AssistCalls`) and thinking ahead
    (:class:`~offline_queue.platform_ahead.AheadCalls`) in their own modules, one request
    (:class:`~offline_queue.platform_http.PlatformHttp`) under all of them.
    """

    # -- the calls ------------------------------------------------------------------------
    def open_session(self, id_number: Personal, identified_by: IdentifiedBy,
                     card_digest: str | None, *, agent_token: str | None = None
                     ) -> CardSession:
        """Open a card session for the resident whose card was just read (``card_digest``:
        SHA-256 of the card's public data) or, on an agent terminal, whom the agent checked
        (``agent_verified``, no digest; the agent's token is required there). Refusals:
        :class:`~offline_queue.errors.OutsideArea`, :class:`~offline_queue.errors.
        SessionRateLimited`, :class:`~offline_queue.errors.CallForbidden`..."""
        answer = self._call("POST", OPEN_SESSION, "/v1/sessions", agent_token=agent_token,
                            json={"id_number": id_number.reveal(),
                                  "identified_by": str(identified_by),
                                  "card_digest": card_digest})
        doc = self._object(OPEN_SESSION, answer)
        session_id, expires = doc.get("session_id"), doc.get("expires_at")
        if not isinstance(session_id, str) or not session_id or not isinstance(expires, str):
            raise BadAnswer(OPEN_SESSION, answer.status_code,
                            detail="no session_id or expires_at in the answer")
        return CardSession(session_id, expires, doc.get("resident_known") is True)

    def close_session(self, session_id: str, *, agent_token: str | None = None) -> bool:
        """Close a card session; False when the platform had it no longer (404: unknown,
        already closed, or expired)."""
        answer = self._send("DELETE", CLOSE_SESSION, f"/v1/sessions/{session_id}",
                            agent_token=agent_token)
        error = self._error(CLOSE_SESSION, answer)
        if isinstance(error, PlatformNotFound):
            return False
        if error is not None:
            raise error
        return True

    def prefill(self, id_number: Personal, item_code: str, session_id: str, *,
                agent_token: str | None = None) -> Prefill | None:
        """The platform's shared data for this resident and item, or None when it holds
        none (404). Only inside the card session ``session_id`` opened for this resident;
        otherwise :class:`~offline_queue.errors.NoCardSession`."""
        answer = self._send("GET", PREFILL, f"/v1/residents/{id_number.reveal()}/prefill",
                            params={"item_code": item_code}, agent_token=agent_token,
                            session_id=session_id)
        error = self._error(PREFILL, answer)
        if isinstance(error, PlatformNotFound):
            return None
        if error is not None:
            raise error
        doc = self._object(PREFILL, answer)
        fields, exempt = doc.get("fields") or {}, doc.get("exempt_materials") or ()
        if not isinstance(fields, dict) or not isinstance(exempt, list | tuple):
            raise BadAnswer(PREFILL, answer.status_code,
                            detail="fields is not an object or exempt_materials not a list")
        return Prefill(dict(fields), tuple(str(m) for m in exempt))

    def put_blob(self, data: bytes, media_type: str) -> str:
        """Upload an attachment (content-addressed: ``PUT /v1/blobs/{sha256}``); its digest.
        Stored now or already: both fine. The body is sent from memory, never a file."""
        sha = hashlib.sha256(data).hexdigest()
        self._call("PUT", PUT_BLOB, f"/v1/blobs/{sha}", content=data,
                   headers={"Content-Type": media_type})
        return sha

    def face_check(self, session_id: str, image_sha256: str, challenge: str, frames: int
                   ) -> FaceCheck:
        """Compare the uploaded live image with the resident's reference photo, inside the
        card session ``session_id``. Refusals by code: ``no_reference``
        (:class:`~offline_queue.errors.PlatformNotFound`), ``no_face``
        (:class:`~offline_queue.errors.CallRejected`), ``too_many_checks``
        (:class:`~offline_queue.errors.PlatformThrottled`, final for the session),
        :class:`~offline_queue.errors.NoCardSession`."""
        answer = self._call("POST", FACE_CHECK, "/v1/identity/face-checks",
                            session_id=session_id,
                            json={"image_sha256": image_sha256,
                                  "liveness": {"challenge": challenge, "passed": True,
                                               "frames": frames}})
        doc = self._object(FACE_CHECK, answer)
        check_id, match, score, threshold = (doc.get("check_id"), doc.get("match"),
                                             doc.get("score"), doc.get("threshold"))
        if not isinstance(check_id, str) or not isinstance(match, bool) \
                or not isinstance(score, int | float) or not isinstance(threshold, int | float):
            raise BadAnswer(FACE_CHECK, answer.status_code,
                            detail="no check_id, match, score or threshold in the answer")
        return FaceCheck(check_id, match, float(score), float(threshold),
                         str(doc.get("reference") or ""))

    def records(self, id_number: Personal, item_code: str, session_id: str, *,
                agent_token: str | None = None) -> Record | None:
        """The certified record of this resident for a ``query_print`` item, or None when
        the platform holds none (404). Only inside the resident's card session (else
        :class:`~offline_queue.errors.NoCardSession`). The record is parsed, not trusted:
        ``civic.records.verify`` it before printing; one that is not a record raises
        :class:`civic.errors.MalformedRecord` (the flow refuses it like a bad signature)."""
        answer = self._send("GET", RECORDS, f"/v1/residents/{id_number.reveal()}/records",
                            params={"item_code": item_code}, agent_token=agent_token,
                            session_id=session_id)
        error = self._error(RECORDS, answer)
        if isinstance(error, PlatformNotFound):
            return None
        if error is not None:
            raise error
        return parse_record(self._object(RECORDS, answer))

    def keys(self) -> tuple[PublicKey, ...]:
        """The platform's record-signing keys (``GET /v1/keys``); a list that cannot be read
        is :class:`~offline_queue.errors.BadAnswer`."""
        answer = self._call("GET", KEYS, "/v1/keys")
        try:
            return parse_keys(self._object(KEYS, answer))
        except MalformedRecord as exc:
            raise BadAnswer(KEYS, answer.status_code, detail=str(exc)) from exc

    def heartbeat(self, body: Mapping[str, Any]) -> HeartbeatReply:
        """Send one heartbeat (the fleet's view of this terminal). A 2xx means the platform
        has it: a reply that cannot be read only leaves its hints out."""
        answer = self._call("POST", HEARTBEAT, "/v1/heartbeat", json=dict(body))
        try:
            doc = self._object(HEARTBEAT, answer)
        except BadAnswer:
            return HeartbeatReply()
        config, server_time = doc.get("config"), doc.get("server_time")
        return HeartbeatReply(server_time if isinstance(server_time, str) else None,
                              dict(config) if isinstance(config, dict) else {})

    def sign_in_agent(self, agent_number: str, pin: str) -> AgentGrant:
        """Sign an agent in (agent terminals only); a wrong number or PIN raises
        :class:`~offline_queue.errors.CredentialsRefused`, too many attempts
        :class:`~offline_queue.errors.PlatformThrottled`."""
        answer = self._call("POST", AGENT_SIGN_IN, "/v1/agents/sign-in",
                            json={"agent_number": agent_number, "pin": pin})
        doc = self._object(AGENT_SIGN_IN, answer)
        agent_id, token = doc.get("agent_id"), doc.get("agent_token")
        if not isinstance(agent_id, str) or not agent_id or not isinstance(token, str) \
                or not token:
            raise BadAnswer(AGENT_SIGN_IN, answer.status_code,
                            detail="no agent_id or agent_token in the answer")
        days = doc.get("offline_days")
        return AgentGrant(agent_id, str(doc.get("display_name") or ""),
                          str(doc.get("area") or ""), token,
                          float(days) if isinstance(days, int | float) else 0.0)

    def worklist(self, agent_token: str | None) -> dict[str, Any]:
        """The signed-in agent's work list as the platform sent it (a JSON object; its
        fields are checked by whoever keeps it). Without a token the platform refuses the
        session (:class:`~offline_queue.errors.SessionRefused`)."""
        answer = self._call("GET", WORKLIST, "/v1/worklist", agent_token=agent_token)
        return self._object(WORKLIST, answer)

    # -- what the platform offers ---------------------------------------------------------
    def extensions(self) -> frozenset[Extension]:
        """The December 2026 extensions the platform names in ``GET /v1/health``: a feature
        whose extension is not named is not used (never inferred from an endpoint's 404)."""
        answer = self._call("GET", HEALTH, "/v1/health")
        doc = self._object(HEALTH, answer)
        names = doc.get("extensions")
        return extensions_of(names if isinstance(names, list) else ())
