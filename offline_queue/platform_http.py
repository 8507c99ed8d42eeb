"""One request to the platform, for every group of its calls: send with the device's
token (and an agent's session, a card session) as headers, classify the answer by
``civic.answers`` into the :class:`~offline_queue.errors.PlatformError` it means, read a
2xx body into a ``civic`` type. httpx's errors (refused, time-out, a body cut short, a
certificate refused) become :class:`~offline_queue.errors.PlatformUnavailable` here.

:class:`PlatformHttp` is the base of ``offline_queue.platform.PlatformClient`` and of its
groups of calls (``platform_assist``, ``platform_ahead``); nothing else uses it directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import Any, Final, Self, TypeVar

import httpx

from civic.answers import CallMeaning, call_meaning
from civic.errors import AheadAnswerInvalid, CallMessageInvalid
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

#: the header that carries the signed-in agent's session (platform API, agent sign-in)
AGENT_TOKEN_HEADER: Final = "X-Agent-Token"
#: the header that names the card session on every read of shared data
SESSION_HEADER: Final = "X-Session-Id"

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


class PlatformHttp:
    """``http`` is an httpx client whose base URL and ``Authorization`` are the platform's
    (:meth:`build` makes one from the credentials); the client owns it and closes it.
    ``clock`` reads an HTTP-date ``Retry-After``. Blocking: call it from a worker thread."""

    def __init__(self, http: httpx.Client, *, clock: Callable[[], float] = time.time) -> None:
        self.http, self._clock = http, clock

    @classmethod
    def build(cls, creds: Credentials, settings: ClientSettings | None = None,
              transport: httpx.BaseTransport | None = None) -> Self:
        """A client to the platform of ``creds`` as ``settings`` say (time-outs, proxy, trust
        store, pins); ``transport`` replaces the connection (tests)."""
        return cls(build_client(creds, transport, settings))

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

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
