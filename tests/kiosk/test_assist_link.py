"""The call engine's signalling over the platform client: the assist calls' requests and
typed answers, and each failure as the reason the call ends with (kiosk/assist_link.py,
offline_queue/platform.py), through httpx's MockTransport; the real sandbox's side is
tests/assist/test_sandbox_calls.py."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from assist.errors import SignallingError
from civic.assist import CallPhase, EndReason
from kiosk.assist_link import HANG_UP_TIMEOUT_S, PlatformSignalling, end_reason
from offline_queue.credentials import Credentials
from offline_queue.errors import NoClerks, PlatformThrottled, PlatformUnavailable
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings

CREDS = Credentials("http://platform.test", "dev-1", "secret-token", "", "kiosk")
Handler = Callable[[httpx.Request], httpx.Response]


def signalling(handler: Handler) -> PlatformSignalling:
    client = PlatformClient.build(CREDS, ClientSettings(connect_timeout_s=2,
                                                        read_timeout_s=4),
                                  httpx.MockTransport(handler))
    return PlatformSignalling(client)


def problem(status: int, code: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"type": "about:blank", "title": code, "code": code},
                          headers={"Content-Type": "application/problem+json", **headers})


def test_placing_a_call_posts_the_offer_and_reads_the_call_id() -> None:
    """POST /v1/assist/calls carries the offer, language, item and session as the API says;
    the 201 is a PlacedCall."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"call_id": "c-1", "status": "waiting",
                                         "queue_position": 2})

    placed = signalling(handler).place("v=0 offer", "en", "330000000001", "sess-9")
    assert (placed.call_id, placed.queue_position) == ("c-1", 2)
    body = json.loads(seen[0].content)
    assert seen[0].method == "POST" and seen[0].url.path == "/v1/assist/calls"
    assert body == {"offer": {"type": "offer", "sdp": "v=0 offer"}, "language": "en",
                    "item_code": "330000000001", "session_id": "sess-9"}
    assert seen[0].headers["Authorization"] == "Bearer secret-token"


def test_a_long_poll_asks_for_its_wait_and_reads_for_ten_seconds_more() -> None:
    """GET /v1/assist/calls/{id}?wait=S with a read time-out of S + 10 s (a long poll must
    not time out before the platform answers); the answer is a CallStatus."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={
            "call_id": "c-1", "status": "answered", "queue_position": None,
            "answer": {"type": "answer", "sdp": "v=0 answer"},
            "clerk": {"display_name": "窗口3"}, "ended_reason": None})

    status = signalling(handler).status("c-1", 25)
    assert status.phase is CallPhase.ANSWERED and status.answer_sdp == "v=0 answer"
    assert status.clerk_name == "窗口3"
    assert seen[0].url.params["wait"] == "25"
    timeout = seen[0].extensions["timeout"]
    assert timeout["read"] == 35 and timeout["connect"] == 2


def test_a_wait_over_the_apis_limit_is_capped() -> None:
    """A caller asking for more than 25 s is sent 25 (the platform refuses more)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"call_id": "c-1", "status": "ended",
                                         "ended_reason": "clerk_hung_up"})

    status = signalling(handler).status("c-1", 90)
    assert status.ended_reason is EndReason.CLERK_HUNG_UP
    assert seen[0].url.params["wait"] == "25"


def test_hanging_up_is_a_short_delete_and_a_call_already_gone_is_fine() -> None:
    """DELETE /v1/assist/calls/{id} with the short time-out; 404 (the call is gone) is not
    an error."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404) if len(seen) > 1 else httpx.Response(204)

    link = signalling(handler)
    link.hang_up("c-1")
    link.hang_up("c-1")
    assert [r.method for r in seen] == ["DELETE", "DELETE"]
    assert seen[0].extensions["timeout"]["read"] == HANG_UP_TIMEOUT_S


def test_the_config_names_ice_servers_and_hours() -> None:
    """GET /v1/assist/config: availability, the hours in both languages, the ICE servers."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={
            "available": False, "hours": {"zh": "工作日 9:00-17:00", "en": "weekdays 9-17"},
            "waiting": 0, "ice_servers": [{"urls": ["turn:turn.test:3478"],
                                           "username": "u", "credential": "p"}]})

    config = signalling(handler).config()
    assert config.available is False and config.hours.en == "weekdays 9-17"
    assert config.ice_servers[0].urls == ("turn:turn.test:3478",)
    assert "p" not in repr(config.ice_servers[0])


def test_nobody_on_duty_is_no_clerks_with_the_platforms_retry_after() -> None:
    """503 no_clerks ends the call as NO_CLERKS and carries Retry-After; it is NoClerks,
    not PlatformUnavailable or PlatformThrottled, so nothing treats it as the platform
    being down or backs the terminal (its outbox) off for it."""
    link = signalling(lambda request: problem(503, "no_clerks", **{"Retry-After": "30"}))
    with pytest.raises(SignallingError) as caught:
        link.place("v=0", "zh", None, None)
    assert caught.value.reason is EndReason.NO_CLERKS
    assert caught.value.retry_after_s == 30
    cause = caught.value.__cause__
    assert isinstance(cause, NoClerks)
    assert not isinstance(cause, PlatformUnavailable | PlatformThrottled)
    # a 429 with the same code is that call's limit too
    with pytest.raises(SignallingError) as caught:
        signalling(lambda request: problem(429, "no_clerks")).place("v=0", "zh", None, None)
    assert caught.value.reason is EndReason.NO_CLERKS


@pytest.mark.parametrize(("answer", "reason"), [
    (lambda request: httpx.Response(502), EndReason.NETWORK_LOST),
    (lambda request: problem(503, "maintenance"), EndReason.NETWORK_LOST),
    (lambda request: problem(401, "token_invalid"), EndReason.PLATFORM_FAILED),
    (lambda request: problem(404, "not_found"), EndReason.PLATFORM_FAILED),
    (lambda request: problem(409, "ended"), EndReason.PLATFORM_FAILED),
    (lambda request: httpx.Response(200, text="not json"), EndReason.PLATFORM_FAILED),
    (lambda request: httpx.Response(200, json={"status": "nonsense"}),
     EndReason.PLATFORM_FAILED),
])
def test_each_failure_ends_the_call_with_its_reason(answer: Handler,
                                                    reason: EndReason) -> None:
    """No answer or a 5xx is NETWORK_LOST (try again later); a refusal or an answer that
    cannot be read is PLATFORM_FAILED."""
    with pytest.raises(SignallingError) as caught:
        signalling(answer).status("c-1", 5)
    assert caught.value.reason is reason


def test_an_unreachable_platform_is_network_lost() -> None:
    """Refused or timed out: NETWORK_LOST, with the client's words."""
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    for handler in (refuse, slow):
        with pytest.raises(SignallingError) as caught:
            signalling(handler).place("v=0", "zh", None, None)
        assert caught.value.reason is EndReason.NETWORK_LOST
        assert "v=0" not in str(caught.value)


def test_end_reason_maps_the_clients_errors() -> None:
    """The one table: NoClerks → NO_CLERKS, unavailable → NETWORK_LOST, else PLATFORM_FAILED."""
    assert end_reason(NoClerks("POST /v1/assist/calls", 503, "no_clerks")) \
        is EndReason.NO_CLERKS
    assert end_reason(PlatformThrottled("x", 429)) is EndReason.NETWORK_LOST
    assert end_reason(PlatformUnavailable("x")) is EndReason.NETWORK_LOST
