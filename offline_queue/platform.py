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

It is built on the one HTTP client factory (:func:`offline_queue.wire.build_client`: base
URL, device token, connection as ``ClientSettings`` say). Every answer is classified by one
table, ``civic.answers.CALL_ANSWERS``: a 2xx is read into the method's result, anything
else raises the :class:`~offline_queue.errors.PlatformError` its meaning names, and httpx's
errors (refused, time-out, a body cut short, a certificate refused) become
:class:`~offline_queue.errors.PlatformUnavailable` here. No caller looks at a status code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, TracebackType
from typing import Any, Final, TypeVar

import httpx

from civic.ahead import (
    Appointment,
    DaySlots,
    Eligible,
    Hall,
    appointment_of,
    eligible_of,
    halls_of,
    slots_of,
)
from civic.answers import CallMeaning, call_meaning
from civic.assist import (
    MAX_WAIT_S,
    AssistConfig,
    CallStatus,
    PlacedCall,
    config_of,
    placed_of,
    status_of,
)
from civic.errors import AheadAnswerInvalid, CallMessageInvalid, MalformedRecord
from civic.extensions import Extension, extensions_of
from civic.identity import IdentifiedBy
from civic.pii import Personal
from civic.records import PublicKey, Record, parse_keys, parse_record
from offline_queue.credentials import Credentials
from offline_queue.errors import (
    AlreadyBooked,
    BadAnswer,
    CallForbidden,
    CallRejected,
    CredentialsRefused,
    DeviceRefused,
    NoCardSession,
    NoClerks,
    OutsideArea,
    PlatformError,
    PlatformNotFound,
    PlatformThrottled,
    PlatformUnavailable,
    SessionRateLimited,
    SessionRefused,
    SlotFull,
)
from offline_queue.retry import parse_retry_after
from offline_queue.tls import ClientSettings, connect_problem
from offline_queue.wire import build_client

T = TypeVar("T")

__all__ = ["AGENT_TOKEN_HEADER", "SESSION_HEADER", "AgentGrant", "CardSession",
           "FaceCheck", "HeartbeatReply", "PlatformClient", "Prefill", "error_for"]

#: the header that carries the signed-in agent's session (platform API, agent sign-in)
AGENT_TOKEN_HEADER: Final = "X-Agent-Token"
#: the header that names the card session on every read of shared data
SESSION_HEADER: Final = "X-Session-Id"

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
ASSIST_CONFIG: Final = "GET /v1/assist/config"
PLACE_CALL: Final = "POST /v1/assist/calls"
CALL_STATUS: Final = "GET /v1/assist/calls/{call_id}"
HANG_UP_CALL: Final = "DELETE /v1/assist/calls/{call_id}"
ELIGIBLE: Final = "GET /v1/residents/{id_number}/eligible"
HALLS: Final = "GET /v1/halls"
SLOTS: Final = "GET /v1/halls/{hall_id}/slots"
BOOK: Final = "POST /v1/appointments"
CANCEL_APPOINTMENT: Final = "DELETE /v1/appointments/{appointment_id}"
#: a long poll's read time-out is its wait plus this (platform-api.md)
LONG_POLL_MARGIN_S: Final = 10.0

#: the error each meaning but OK raises
ERRORS: Final[Mapping[CallMeaning, type[PlatformError]]] = MappingProxyType({
    cls.meaning: cls for cls in (PlatformUnavailable, PlatformThrottled, DeviceRefused,
                                 CredentialsRefused, SessionRefused, CallForbidden,
                                 NoCardSession, OutsideArea, SessionRateLimited, NoClerks,
                                 PlatformNotFound, CallRejected, BadAnswer, SlotFull,
                                 AlreadyBooked)})


def error_for(call: str, status: int, code: str = "", *,
              retry_after_s: float | None = None) -> PlatformError | None:
    """The error the answer ``status`` (problem ``code``) to ``call`` means; None for a 2xx."""
    meaning = call_meaning(status, code or None)
    if meaning is CallMeaning.OK:
        return None
    return ERRORS[meaning](call, status, code, retry_after_s=retry_after_s)


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


class PlatformClient:
    """The terminal's calls to the platform, answered in types (see the module docstring).

    ``http`` is an httpx client whose base URL and ``Authorization`` are the platform's
    (:meth:`build` makes one from the credentials); the platform client owns it and closes
    it. ``clock`` reads an HTTP-date ``Retry-After``. Blocking: call it from a worker thread.
    """

    def __init__(self, http: httpx.Client, *, clock: Callable[[], float] = time.time) -> None:
        self.http, self._clock = http, clock

    @classmethod
    def build(cls, creds: Credentials, settings: ClientSettings | None = None,
              transport: httpx.BaseTransport | None = None) -> PlatformClient:
        """A client to the platform of ``creds`` as ``settings`` say (time-outs, proxy, trust
        store, pins); ``transport`` replaces the connection (tests)."""
        return cls(build_client(creds, transport, settings))

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

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

    # -- a video call to a clerk ----------------------------------------------------------
    def extensions(self) -> frozenset[Extension]:
        """The December 2026 extensions the platform names in ``GET /v1/health``: a feature
        whose extension is not named is not used (never inferred from an endpoint's 404)."""
        answer = self._call("GET", HEALTH, "/v1/health")
        doc = self._object(HEALTH, answer)
        names = doc.get("extensions")
        return extensions_of(names if isinstance(names, list) else ())

    # None of these feeds the outbox's back-off: this client never touches the queue, and a
    # 503 no_clerks is NoClerks, not PlatformUnavailable (a limit of that call alone).
    def assist_config(self) -> AssistConfig:
        """Whether a clerk is on duty, the hours to show otherwise, the ICE servers."""
        answer = self._call("GET", ASSIST_CONFIG, "/v1/assist/config")
        return self._read(ASSIST_CONFIG, answer, config_of)

    def place_call(self, offer_sdp: str, language: str, item_code: str | None = None,
                   session_id: str | None = None) -> PlacedCall:
        """Queue a call with a complete offer (no trickle ICE); nobody on duty raises
        :class:`~offline_queue.errors.NoClerks` (``retry_after_s`` as the platform says). A
        new call ends this device's previous one on the platform."""
        answer = self._call("POST", PLACE_CALL, "/v1/assist/calls", json={
            "offer": {"type": "offer", "sdp": offer_sdp}, "language": language,
            "item_code": item_code, "session_id": session_id})
        return self._read(PLACE_CALL, answer, placed_of)

    def call_status(self, call_id: str, wait_s: int) -> CallStatus:
        """The call's status once it changes or after ``wait_s`` seconds (a long poll, at
        most :data:`~civic.assist.MAX_WAIT_S`); read time-out ``wait_s`` + 10 s."""
        wait_s = max(0, min(int(wait_s), MAX_WAIT_S))
        configured = self.http.timeout
        timeout = httpx.Timeout(connect=configured.connect, write=configured.write,
                                pool=configured.pool, read=wait_s + LONG_POLL_MARGIN_S)
        answer = self._call("GET", CALL_STATUS, f"/v1/assist/calls/{call_id}",
                            params={"wait": wait_s}, timeout=timeout)
        return self._read(CALL_STATUS, answer, status_of)

    def hang_up_call(self, call_id: str, *, timeout_s: float | None = None) -> None:
        """End the call on the platform (either side may); a call it no longer has (404)
        is ended already. ``timeout_s`` bounds the whole exchange (a best-effort hang-up
        must not hold a closing call)."""
        kwargs: dict[str, Any] = {} if timeout_s is None else {"timeout": timeout_s}
        answer = self._send("DELETE", HANG_UP_CALL, f"/v1/assist/calls/{call_id}", **kwargs)
        error = self._error(HANG_UP_CALL, answer)
        if error is not None and not isinstance(error, PlatformNotFound):
            raise error

    # -- thinking ahead for the citizen ---------------------------------------------------
    # Per-citizen answers: a refused booking is that booking's alone (never a back-off), and
    # eligibility and appointments are read and made only inside the resident's card session.
    def eligible(self, id_number: Personal, session_id: str, *,
                 agent_token: str | None = None) -> Eligible:
        """What the resident can apply for now, most pressing first ("For you"); only inside
        the card session ``session_id`` (else :class:`~offline_queue.errors.NoCardSession`)."""
        answer = self._call("GET", ELIGIBLE, f"/v1/residents/{id_number.reveal()}/eligible",
                            agent_token=agent_token, session_id=session_id)
        return self._read(ELIGIBLE, answer, eligible_of)

    def halls(self, item_code: str | None = None) -> tuple[Hall, ...]:
        """The service halls (that handle ``item_code``) with their live queues, in the
        platform's order (open ones by expected wait, closed ones last)."""
        params = {"item_code": item_code} if item_code else None
        answer = self._call("GET", HALLS, "/v1/halls", params=params)
        return self._read(HALLS, answer, halls_of)

    def slots(self, hall_id: str, item_code: str, day: dt.date | None = None) -> DaySlots:
        """A hall's appointment slots for the item on ``day`` (None: the next day the hall
        opens); a hall that does not handle the item is
        :class:`~offline_queue.errors.PlatformNotFound`."""
        params = {"item_code": item_code}
        if day is not None:
            params["date"] = day.isoformat()
        answer = self._call("GET", SLOTS, f"/v1/halls/{hall_id}/slots", params=params)
        return self._read(SLOTS, answer, lambda doc: slots_of(doc, hall_id))

    def book(self, session_id: str, idempotency_key: str, hall_id: str, item_code: str,
             slot_start: str, *, agent_token: str | None = None) -> Appointment:
        """Book a slot for the resident of the card session. The same ``idempotency_key``
        again (after a lost answer) returns the same appointment. Refusals:
        :class:`~offline_queue.errors.SlotFull`, :class:`~offline_queue.errors.
        AlreadyBooked` (``existing``: the open appointment, when the answer names it)."""
        answer = self._send("POST", BOOK, "/v1/appointments", agent_token=agent_token,
                            session_id=session_id,
                            headers={"Idempotency-Key": idempotency_key},
                            json={"hall_id": hall_id, "item_code": item_code,
                                  "slot_start": slot_start})
        error = self._error(BOOK, answer)
        if isinstance(error, AlreadyBooked):
            try:
                doc = answer.json()
                error.existing = appointment_of(doc["appointment"])
            except (ValueError, KeyError, TypeError, AheadAnswerInvalid):
                error.existing = None        # refused all the same; only the details lack
        if error is not None:
            raise error
        return self._read(BOOK, answer, appointment_of)

    def cancel_appointment(self, appointment_id: str, session_id: str, *,
                           agent_token: str | None = None) -> bool:
        """Cancel the resident's appointment; False when the platform has no open one with
        this id for this resident (404: unknown or cancelled already)."""
        answer = self._send("DELETE", CANCEL_APPOINTMENT, f"/v1/appointments/{appointment_id}",
                            agent_token=agent_token, session_id=session_id)
        error = self._error(CANCEL_APPOINTMENT, answer)
        if isinstance(error, PlatformNotFound):
            return False
        if error is not None:
            raise error
        return True

    # -- one request ----------------------------------------------------------------------
    def _call(self, method: str, call: str, path: str, *, agent_token: str | None = None,
              **kwargs: Any) -> httpx.Response:
        """Send and read: the 2xx answer, or the error the answer means."""
        answer = self._send(method, call, path, agent_token=agent_token, **kwargs)
        error = self._error(call, answer)
        if error is not None:
            raise error
        return answer

    def _send(self, method: str, call: str, path: str, *, agent_token: str | None = None,
              session_id: str | None = None, **kwargs: Any) -> httpx.Response:
        """Send and read fully; no answer at all is :class:`PlatformUnavailable`."""
        headers: dict[str, str] = dict(kwargs.pop("headers", None) or {})
        if agent_token:
            headers[AGENT_TOKEN_HEADER] = agent_token
        if session_id:
            headers[SESSION_HEADER] = session_id
        try:
            return self.http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise PlatformUnavailable(call, detail=f"time-out ({type(exc).__name__})") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            # refused, reset, a body cut short, or the platform's certificate refused
            why = connect_problem(exc) or f"connection failed ({type(exc).__name__})"
            raise PlatformUnavailable(call, detail=why) from exc

    def _error(self, call: str, answer: httpx.Response) -> PlatformError | None:
        if answer.is_success:
            return None
        after = parse_retry_after(answer.headers.get("Retry-After"), self._clock())
        return error_for(call, answer.status_code, _problem_code(answer), retry_after_s=after)

    def _read(self, call: str, answer: httpx.Response,
              parse: Callable[[Mapping[str, Any]], T]) -> T:
        """The answer's JSON object read by ``parse`` (a ``civic`` reader), or
        :class:`BadAnswer`."""
        try:
            return parse(self._object(call, answer))
        except (CallMessageInvalid, AheadAnswerInvalid) as exc:
            raise BadAnswer(call, answer.status_code, detail=str(exc)) from exc

    @staticmethod
    def _object(call: str, answer: httpx.Response) -> dict[str, Any]:
        """The answer's body as a JSON object, or :class:`BadAnswer`."""
        try:
            doc = answer.json()
        except ValueError as exc:
            raise BadAnswer(call, answer.status_code, detail="the body is not JSON") from exc
        if not isinstance(doc, dict):
            raise BadAnswer(call, answer.status_code, detail="the body is not a JSON object")
        return doc


def _problem_code(answer: httpx.Response) -> str:
    """The ``code`` of a problem+json answer, or "" when it has none or is unreadable."""
    try:
        doc = answer.json()
    except ValueError:
        return ""
    code = doc.get("code") if isinstance(doc, dict) else None
    return code if isinstance(code, str) else ""
