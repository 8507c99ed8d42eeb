"""The platform client's video-call calls against the real sandbox: the config, placing a
call, the long poll through accept, answer and hang-up, and nobody on duty as NoClerks (a
limit of that call, not the platform being down). No media: the SDP is relayed, not read."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from civic.assist import CallPhase, EndReason
from offline_queue.errors import NoClerks, PlatformNotFound, PlatformUnavailable
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.offline_queue.conftest import TIMEOUTS, enrolled

if TYPE_CHECKING:
    from central.platform import SandboxServer

PIN = "135790"
_numbers = itertools.count(1)


def client_for(sandbox: SandboxServer, data_dir: Path) -> PlatformClient:
    return PlatformClient.build(enrolled(sandbox, data_dir), ClientSettings(**TIMEOUTS))


def clerk_on_duty(sandbox: SandboxServer) -> httpx.Client:
    """A clerk signed in whose console has polled the queue (on duty for 60 s)."""
    from central import admin

    number = f"T{next(_numbers):03d}"
    admin.add_clerk(sandbox.platform.settings.data_dir, number, PIN, "测试窗口")
    http = httpx.Client(base_url=sandbox.url, timeout=10)
    token = http.post("/v1/clerks/sign-in", json={"clerk_number": number, "pin": PIN}
                      ).json()["clerk_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    assert http.get("/v1/assist/queue").status_code == 200
    return http


def test_nobody_on_duty_is_no_clerks_not_an_unavailable_platform(
        sandbox: SandboxServer, data_dir: Path) -> None:
    """With no clerk signed in, config says unavailable (with the hours) and placing a call
    raises NoClerks: not PlatformUnavailable, so nothing backs the terminal off for it."""
    with client_for(sandbox, data_dir) as client:
        config = client.assist_config()
        assert config.available is False and config.hours.zh
        with pytest.raises(NoClerks) as caught:
            client.place_call("v=0 offer", "zh")
        assert not isinstance(caught.value, PlatformUnavailable)
        assert caught.value.status == 503 and caught.value.code == "no_clerks"
        assert caught.value.retry_after_s is not None and caught.value.retry_after_s > 0


def test_a_call_is_placed_answered_and_hung_up_through_the_long_poll(
        sandbox: SandboxServer, data_dir: Path) -> None:
    """Placed (waiting, position 1), answered by a clerk (the poll carries the answer and
    the clerk's name), and the clerk's hang-up wakes a waiting long poll at once."""
    clerk = clerk_on_duty(sandbox)
    with client_for(sandbox, data_dir) as client:
        assert client.assist_config().available is True
        placed = client.place_call("v=0 offer", "en", "330000000001", None)
        assert placed.queue_position == 1
        status = client.call_status(placed.call_id, 0)
        assert (status.phase, status.queue_position) == (CallPhase.WAITING, 1)
        assert clerk.post(f"/v1/assist/calls/{placed.call_id}/accept").json()["offer"][
            "sdp"] == "v=0 offer"
        clerk.post(f"/v1/assist/calls/{placed.call_id}/answer",
                   json={"answer": {"type": "answer", "sdp": "v=0 answer"}}).raise_for_status()
        status = client.call_status(placed.call_id, 5)
        assert (status.phase, status.answer_sdp, status.clerk_name) == \
            (CallPhase.ANSWERED, "v=0 answer", "测试窗口")

        threading.Timer(0.5, lambda: clerk.delete(f"/v1/assist/calls/{placed.call_id}")
                        ).start()
        started = time.monotonic()
        status = client.call_status(placed.call_id, 20)
        assert time.monotonic() - started < 5
        assert (status.phase, status.ended_reason) == (CallPhase.ENDED,
                                                       EndReason.CLERK_HUNG_UP)
        client.hang_up_call(placed.call_id)          # ended already: not an error
    clerk.close()


def test_the_terminal_hangs_up_and_an_unknown_call_is_not_found(
        sandbox: SandboxServer, data_dir: Path) -> None:
    """DELETE ends a waiting call (the next poll says hung_up); a call id the platform never
    issued is PlatformNotFound when polled, and hanging it up is quietly done."""
    clerk = clerk_on_duty(sandbox)
    with client_for(sandbox, data_dir) as client:
        placed = client.place_call("v=0 offer", "zh")
        client.hang_up_call(placed.call_id, timeout_s=3)
        status = client.call_status(placed.call_id, 0)
        assert (status.phase, status.ended_reason) == (CallPhase.ENDED, EndReason.HUNG_UP)
        with pytest.raises(PlatformNotFound):
            client.call_status("call-unknown", 0)
        client.hang_up_call("call-unknown")
    clerk.close()
