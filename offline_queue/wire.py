"""One request to the platform: sent, read, and every failure of the world translated.

This is the one boundary where httpx's errors and the platform's transient answers (those
whose status alone decides, as ``civic.answers`` says) become the engine's
:class:`~offline_queue.delivery._Transient` (worth retrying) or
:class:`~offline_queue.delivery._Stop` (401: the whole queue pauses). It also counts, per
run, requests that got an answer and requests that got none because the line failed
(refused, connect time-out, connection dropped; a read time-out is a slow platform, and a
body cut short came from one that answered), and reads its clock from ``Date``. A
certificate refused during the handshake (a pinned key that does not match, a CA the trust
store does not know) counts as unreachable too, nothing having been sent, but its error
names the cause for the technician.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx

from civic.answers import Meaning, status_meaning
from offline_queue.credentials import Credentials
from offline_queue.delivery import _Stop, _Transient
from offline_queue.events import RunState
from offline_queue.retry import parse_retry_after
from offline_queue.store import Store
from offline_queue.tls import ClientSettings, connect_problem, http_client


def build_client(creds: Credentials, transport: httpx.BaseTransport | None = None,
                 settings: ClientSettings | None = None, *,
                 connect_timeout_s: float | None = None,
                 read_timeout_s: float | None = None) -> httpx.Client:
    """The one place the platform client is built: base URL and token, over a connection
    made as ``settings`` say (time-outs, proxy, trust store, pins; :mod:`offline_queue.tls`),
    never as the environment says. The time-out arguments serve callers written before
    ``settings``: they give a direct connection trusting the system's store."""
    settings = ClientSettings.resolve(settings, connect_timeout_s=connect_timeout_s,
                                      read_timeout_s=read_timeout_s)
    return http_client(settings, transport, base_url=creds.platform_url,
                       headers={"Authorization": f"Bearer {creds.token}",
                                "User-Agent": "kiosk-outbox/1"})


class Wire:
    """The engine's client and what its answers said, reset by the engine when it starts
    counting: ``answers`` (requests that got at least a status line), ``unreachable``
    (requests that got nothing: refused, connect time-out, connection dropped), ``skew``."""

    def __init__(self, client: httpx.Client, store: Store) -> None:
        self.client, self.store = client, store
        self.answers = self.unreachable = 0
        self.skew: float | None = None
        #: why the last request that got no answer failed, when it was the platform's
        #: certificate (a pin mismatch, an unknown CA): the run's error says so, not "down"
        self.certificate_problem: str | None = None
        #: which token a 401 refused (offline_queue.credentials.token_fingerprint)
        self.token_fingerprint = ""

    def close(self) -> None:
        self.client.close()

    def reachable(self, timeout_s: float = 5.0) -> bool:
        """A cheap check that the platform answers (``GET /v1/health``, no auth, no queue
        change): the worker's probe while the line is down."""
        try:
            answer = self.client.get("/v1/health", timeout=timeout_s)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send and read fully; every failure of the world becomes _Transient or _Stop.

        The head and the body are read apart, so that "no answer at all" (counted in
        ``unreachable``) is told from "an answer cut short" (the platform was reached)."""
        try:
            sent_at = time.time()
            answer = self.client.send(self.client.build_request(method, url, **kwargs),
                                      stream=True)
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.TimeoutException) \
                    and not isinstance(exc, httpx.ConnectTimeout):
                # it has the request and is slow: a resend is safe (the idempotency key)
                raise _Transient(f"time-out ({type(exc).__name__})") from exc
            # refused, reset, or dropped (before or after the platform handled it) with no
            # answer at all: for this run, as good as a line that is down
            self.unreachable += 1
            self.certificate_problem = connect_problem(exc)
            raise _Transient(self.certificate_problem
                             or f"connection failed ({type(exc).__name__})") from exc
        self.answers += 1
        try:
            answer.read()
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _Transient(f"truncated answer {answer.status_code} "
                             f"({type(exc).__name__})", answer.status_code) from exc
        finally:
            answer.close()
        self._note_clock(answer, sent_at)
        settled = status_meaning(answer.status_code)    # what it means whatever its code
        if settled is Meaning.DEVICE_REFUSED:
            self.store.set_meta(paused=True, paused_token=self.token_fingerprint)
            raise _Stop(RunState.PAUSED, "the platform refused this device's token (401): the "
                        "device needs re-enrolment; nothing queued was lost")
        status = answer.status_code
        if settled is Meaning.RETRY:
            after = parse_retry_after(answer.headers.get("Retry-After"), time.time())
            raise _Transient(f"platform answered {status}", status, after)
        return answer

    def _note_clock(self, answer: httpx.Response, sent_at: float) -> None:
        date = answer.headers.get("Date")
        if not date:
            return
        try:
            server = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        # Date has one-second resolution: compare with the middle of the exchange.
        self.skew = round(server - (sent_at + time.time()) / 2, 1)

    def json(self, answer: httpx.Response) -> Any:
        try:
            return answer.json()
        except ValueError as exc:  # a truncated body: we do not know what happened
            raise _Transient(f"unreadable answer to {answer.request.url.path} "
                             f"({answer.status_code})", answer.status_code) from exc
