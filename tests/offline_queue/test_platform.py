"""The platform client against the real sandbox: each call's typed result, and each kind of
answer (refused, throttled, unavailable, not found, unreadable) as its one typed error."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from civic.answers import CallMeaning
from civic.identity import IdentifiedBy
from civic.pii import Personal
from offline_queue import credentials
from offline_queue.credentials import Credentials
from offline_queue.errors import (
    AccessRefused,
    BadAnswer,
    CallForbidden,
    CallRejected,
    CredentialsRefused,
    DeviceRefused,
    NoCardSession,
    OutsideArea,
    PlatformError,
    PlatformNotFound,
    PlatformThrottled,
    PlatformUnavailable,
    SessionRateLimited,
    SessionRefused,
)
from offline_queue.platform import ERRORS, HeartbeatReply, PlatformClient, error_for
from tests.conftest import free_port
from tests.offline_queue.conftest import (
    CARD_DIGEST,
    TIMEOUTS,
    apply_item,
    enrolled,
    faults,
    session_for,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer

PIN = "246813"
_numbers = itertools.count(1)


def client(creds: Credentials, transport: httpx.BaseTransport | None = None) -> PlatformClient:
    from offline_queue.tls import ClientSettings

    return PlatformClient.build(creds, ClientSettings(**TIMEOUTS), transport)


def enrolled_agent_terminal(sandbox: SandboxServer, data_dir: Path) -> Credentials:
    from central import admin

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "agent")
    return credentials.enroll(data_dir, sandbox.url, code, "agent", hostname="t",
                              app_version="0.1.0", site={"region_code": "330110", "name": "t"})


def new_agent(sandbox: SandboxServer) -> tuple[str, str]:
    """A fresh agent number on the sandbox (PIN ``PIN``) and its area."""
    from central import admin

    area = sandbox.platform.catalog.residents[0].village
    number = f"P{next(_numbers):04d}-{free_port()}"
    admin.add_agent(sandbox.platform.settings.data_dir, number, PIN, area)
    return number, area


def resident_id(sandbox: SandboxServer) -> Personal:
    return Personal(sandbox.platform.catalog.residents[0].id_number, "id_number")


# -- the table's errors, without I/O ------------------------------------------------------------
def test_every_meaning_but_ok_raises_its_own_error() -> None:
    """Each CallMeaning but OK names exactly one error class, and that class says so."""
    assert set(ERRORS) == set(CallMeaning) - {CallMeaning.OK}
    for meaning, cls in ERRORS.items():
        assert cls.meaning is meaning and issubclass(cls, PlatformError)


@pytest.mark.parametrize(("status", "code", "expected"), [
    (200, "", None), (204, "", None),
    (401, "token_revoked", DeviceRefused), (401, "bad_credentials", CredentialsRefused),
    (403, "agent_token_invalid", SessionRefused), (403, "wrong_device_kind", CallForbidden),
    (403, "agent_sign_in_required", SessionRefused), (403, "forbidden", CallForbidden),
    (403, "no_session", NoCardSession), (403, "outside_area", OutsideArea),
    (429, "session_rate", SessionRateLimited),
    (404, "resident_not_found", PlatformNotFound),
    (429, "too_many_attempts", PlatformThrottled), (503, "", PlatformUnavailable),
    (408, "", PlatformUnavailable), (400, "bad_request", CallRejected),
    (422, "validation", CallRejected),
])
def test_error_for_each_answer(status: int, code: str, expected: type | None) -> None:
    """A status and problem code become the error of their row (None for a 2xx)."""
    error = error_for("GET /v1/x", status, code, retry_after_s=3.0)
    if expected is None:
        assert error is None
        return
    assert type(error) is expected
    assert error.status == status and error.code == code and error.retry_after_s == 3.0
    assert "GET /v1/x" in str(error)


# -- against the sandbox ----------------------------------------------------------------------
def test_prefill_found_and_not_found(sandbox: SandboxServer, data_dir: Path) -> None:
    """The platform's shared data comes back typed; a resident it does not know is None."""
    creds = enrolled(sandbox, data_dir)
    nobody_id = Personal("110105194912310000", "id_number")
    with client(creds) as platform:
        found = platform.prefill(resident_id(sandbox), apply_item(sandbox),
                                 session_for(platform, resident_id(sandbox)))
        nobody = platform.prefill(nobody_id, apply_item(sandbox),
                                  session_for(platform, nobody_id))
    assert found is not None and found.fields
    assert nobody is None
    number = resident_id(sandbox).reveal()
    assert number not in repr(found)
    assert all(value not in repr(found) for value in found.fields.values()
               if isinstance(value, str) and len(value) > 2)


def test_a_request_the_platform_cannot_take_is_rejected(sandbox: SandboxServer,
                                                        data_dir: Path) -> None:
    """A prefill without an item is the platform's 400: our request was wrong."""
    creds = enrolled(sandbox, data_dir)
    with client(creds) as platform, pytest.raises(CallRejected) as info:
        platform.prefill(resident_id(sandbox), "", session_for(platform, resident_id(sandbox)))
    assert info.value.status == 400 and info.value.code == "item_code_missing"
    assert resident_id(sandbox).reveal() not in str(info.value), "the ID number is personal"


def test_heartbeat_reply(sandbox: SandboxServer, data_dir: Path) -> None:
    """A heartbeat returns the platform's time, the cadence it asks for and the card-photo
    threshold it names (typed; a value that is not a similarity in (0, 1] is none)."""
    creds = enrolled(sandbox, data_dir)
    body = {"app_version": "t", "uptime_s": 1, "clock_skew_s": 0.0,
            "queue": {"pending": 0, "dead": 0, "dead_ids": [], "oldest_pending_at": None},
            "devices": {}, "last_sync_at": None}
    with client(creds) as platform:
        reply = platform.heartbeat(body)
    assert reply.server_time and reply.config["heartbeat_interval_s"] == 300
    assert reply.card_photo_threshold == sandbox.platform.identity_rule.card_photo_threshold
    for named in (None, True, "0.7", 0, 1.5, -0.2):
        assert HeartbeatReply(config={"card_photo_threshold": named}).card_photo_threshold \
            is None
    assert HeartbeatReply().card_photo_threshold is None


def test_agent_sign_in_and_work_list(sandbox: SandboxServer, data_dir: Path) -> None:
    """An agent terminal signs an agent in (the token hidden from repr) and gets the work
    list on that session; without a session, or on a stale one, the session is refused."""
    creds = enrolled_agent_terminal(sandbox, data_dir)
    number, area = new_agent(sandbox)
    with client(creds) as platform:
        grant = platform.sign_in_agent(number, PIN)
        assert grant.area == area and grant.offline_days > 0
        assert grant.agent_token not in repr(grant)
        worklist = platform.worklist(grant.agent_token)
        assert worklist["salt"] and worklist["residents"]
        for token in (None, "not-a-token"):
            with pytest.raises(SessionRefused) as info:
                platform.worklist(token)
            assert info.value.status == 403 and isinstance(info.value, AccessRefused)


def test_wrong_pin_then_throttled(sandbox: SandboxServer, data_dir: Path) -> None:
    """A wrong PIN is CredentialsRefused; after the platform's lock, 429 is PlatformThrottled
    with its Retry-After in seconds."""
    creds = enrolled_agent_terminal(sandbox, data_dir)
    number, _ = new_agent(sandbox)
    with client(creds) as platform:
        for _ in range(5):
            with pytest.raises(CredentialsRefused):
                platform.sign_in_agent(number, "111111")
        with pytest.raises(PlatformThrottled) as info:
            platform.sign_in_agent(number, PIN)
    assert info.value.status == 429 and info.value.retry_after_s is not None
    assert 800 < info.value.retry_after_s <= 900
    assert isinstance(info.value, PlatformUnavailable), "throttling is transient too"


def test_kiosk_may_not_make_agent_calls(sandbox: SandboxServer, data_dir: Path) -> None:
    """A kiosk asking for a work list or signing an agent in: CallForbidden (403)."""
    creds = enrolled(sandbox, data_dir)
    with client(creds) as platform:
        with pytest.raises(CallForbidden) as info:
            platform.worklist("any")
        assert info.value.code == "wrong_device_kind"
        with pytest.raises(CallForbidden):
            platform.sign_in_agent("A1", PIN)


def test_revoked_token_is_device_refused(sandbox: SandboxServer, data_dir: Path) -> None:
    """A device whose token the platform revoked gets DeviceRefused, whichever the call."""
    from central import admin

    creds = enrolled(sandbox, data_dir)
    with client(creds) as platform:
        session_id = session_for(platform, resident_id(sandbox))
    admin.revoke(sandbox.platform.settings.data_dir, creds.device_id)
    with client(creds) as platform:
        with pytest.raises(DeviceRefused) as info:
            platform.heartbeat({})
        with pytest.raises(DeviceRefused):
            platform.prefill(resident_id(sandbox), apply_item(sandbox), session_id)
        with pytest.raises(DeviceRefused):
            platform.open_session(resident_id(sandbox), IdentifiedBy.ID_CARD, CARD_DIGEST)
    assert info.value.code == "token_revoked" and "enrol" in str(info.value)


def test_no_answer_is_unavailable(data_dir: Path) -> None:
    """Nothing listening: PlatformUnavailable with no status."""
    creds = Credentials(f"http://127.0.0.1:{free_port()}", "kiosk-x", "token", "", "kiosk")
    with client(creds) as platform, pytest.raises(PlatformUnavailable) as info:
        platform.heartbeat({})
    assert info.value.status is None and "ConnectError" in info.value.detail


@pytest.mark.parametrize(("plan", "expected", "status"), [
    ({"error_503": 1.0, "retry_after_s": 7}, PlatformUnavailable, 503),
    ({"error_500": 1.0}, PlatformUnavailable, 500),
    ({"error_429": 1.0, "retry_after_s": 7}, PlatformThrottled, 429),
    ({"drop_before": 1.0}, PlatformUnavailable, None),
    ({"truncate": 1.0}, PlatformUnavailable, None),
])
def test_a_misbehaving_platform(sandbox: SandboxServer, data_dir: Path,
                                plan: dict[str, object], expected: type[PlatformError],
                                status: int | None) -> None:
    """5xx, 429, a dropped connection and a body cut short are transient, with the
    platform's Retry-After when it sent one."""
    creds = enrolled(sandbox, data_dir)
    with client(creds) as platform:
        session_id = session_for(platform, resident_id(sandbox))
    faults(sandbox, routes=["/v1/residents/{id_number}/prefill"], **plan)
    with client(creds) as platform, pytest.raises(expected) as info:
        platform.prefill(resident_id(sandbox), apply_item(sandbox), session_id)
    assert type(info.value) is expected and info.value.status == status
    if "retry_after_s" in plan:
        assert info.value.retry_after_s == 7


def test_an_unreadable_success_is_a_bad_answer() -> None:
    """A 2xx whose body is not the JSON object asked for is BadAnswer; a heartbeat the
    platform took (2xx) stays taken, only its hints are missing. (The sandbox always answers
    JSON: the answer comes from httpx's MockTransport, the seam the client takes.)"""
    creds = Credentials("http://127.0.0.1:9", "kiosk-x", "token", "", "kiosk")
    bodies = iter([b"[1, 2]", b"<html>", b"not json"])

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=next(bodies))

    with client(creds, httpx.MockTransport(answer)) as platform:
        with pytest.raises(BadAnswer) as info:
            platform.worklist("any")
        assert info.value.status == 200 and "not a JSON object" in info.value.detail
        with pytest.raises(BadAnswer):
            platform.sign_in_agent("A1", PIN)
        reply = platform.heartbeat({})
    assert reply.server_time is None and dict(reply.config) == {}
