"""Video help from a clerk on the real sandbox (platform-api.md, "Video help from a clerk"):
clerks and who is on duty, placing, queueing, accepting, answering and hanging up calls,
the long poll, and the rules that must hold under parallel requests.

The sandbox only relays offers and answers, so fake SDP strings stand in for real ones. It
runs on a clock the tests move (``central.clock``), so a clerk's minute on duty and a
call's ten minutes without an answer pass without sleeping; a long poll's own length is
real time.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central import admin
from central.assist_desk import AssistSettings, parse_ice_server
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from tests.central.builders import MovableClock
from tests.central.conftest import Enrol
from tests.conftest import run_kiosk

PIN = "246810"
#: an SDP-looking body with a marker the log must never show (SDP holds IP addresses)
SECRET_SDP = "v=0\r\nc=IN IP4 192.0.2.77\r\na=marker-{}\r\n"




@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory,
            clock: MovableClock) -> Iterator[SandboxServer]:
    settings = SandboxSettings(tmp_path_factory.mktemp("operator") / "central",
                               workflow=WorkflowSchedule(step_s=0),
                               assist=AssistSettings(ice_servers=(
                                   parse_ice_server("stun:stun.sandbox.invalid:3478"),)))
    with SandboxServer(settings, clock=clock) as server:
        yield server


Clerk = Callable[..., httpx.Client]


@pytest.fixture
def clerk(sandbox: SandboxServer) -> Iterator[Clerk]:
    """clerk(on_duty=True) -> a client carrying a new signed-in clerk's token; on duty
    (it has polled the queue) unless asked otherwise."""
    clients: list[httpx.Client] = []

    def make(on_duty: bool = True, name: str | None = None) -> httpx.Client:
        number = f"C{uuid.uuid4().hex[:8]}"
        admin.add_clerk(sandbox.platform.settings.data_dir, number, PIN, name)
        signed = httpx.post(f"{sandbox.url}/v1/clerks/sign-in",
                            json={"clerk_number": number, "pin": PIN})
        assert signed.status_code == 200, signed.text
        client = httpx.Client(base_url=sandbox.url, timeout=40, headers={
            "Authorization": f"Bearer {signed.json()['clerk_token']}"})
        client.display_name = signed.json()["display_name"]  # type: ignore[attr-defined]
        clients.append(client)
        if on_duty:
            assert client.get("/v1/assist/queue").status_code == 200
        return client

    yield make
    for client in clients:
        client.close()


def offer(tag: str = "") -> dict[str, str]:
    return {"type": "offer", "sdp": SECRET_SDP.format(tag or uuid.uuid4().hex)}


def place(device: httpx.Client, **extra: Any) -> httpx.Response:
    return device.post("/v1/assist/calls", json={"offer": offer(), "language": "zh",
                                                 "item_code": None, "session_id": None,
                                                 **extra})


def placed(device: httpx.Client, **extra: Any) -> str:
    answer = place(device, **extra)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["call_id"])


def status(client: httpx.Client, call_id: str, wait: float = 0) -> dict[str, Any]:
    answer = client.get(f"/v1/assist/calls/{call_id}", params={"wait": wait} if wait else None,
                        timeout=wait + 10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def answer_call(clerk: httpx.Client, call_id: str) -> httpx.Response:
    return clerk.post(f"/v1/assist/calls/{call_id}/answer",
                      json={"answer": {"type": "answer", "sdp": "v=0\r\na=clerk\r\n"}})


def test_health_names_the_assist_extension(sandbox: SandboxServer) -> None:
    """GET /v1/health lists "assist" among the extensions this platform offers."""
    assert "assist" in httpx.get(f"{sandbox.url}/v1/health").json()["extensions"]


def test_config_says_whether_a_clerk_is_on_duty(sandbox: SandboxServer, enrol: Enrol,
                                                clerk: Clerk, clock: MovableClock) -> None:
    """available is true only while a signed-in clerk's console polled within 60 s; the
    hours and ICE servers come from the platform's settings."""
    kiosk = enrol()
    clock.advance(minutes=2)                    # every earlier test's clerk goes off duty
    off = kiosk.get("/v1/assist/config").json()
    assert off["available"] is False
    assert off["hours"]["zh"] and off["hours"]["en"] and off["waiting"] >= 0
    assert off["ice_servers"] == [{"urls": ["stun:stun.sandbox.invalid:3478"]}]
    signed_in_only = clerk(on_duty=False)
    assert kiosk.get("/v1/assist/config").json()["available"] is False
    assert signed_in_only.get("/v1/assist/queue").status_code == 200
    assert kiosk.get("/v1/assist/config").json()["available"] is True
    clock.advance(seconds=60)
    assert kiosk.get("/v1/assist/config").json()["available"] is True
    clock.advance(seconds=1)
    assert kiosk.get("/v1/assist/config").json()["available"] is False
    assert httpx.get(f"{sandbox.url}/v1/assist/config").status_code == 401


def test_nobody_on_duty_is_503_no_clerks(enrol: Enrol, clock: MovableClock) -> None:
    """Placing a call with no clerk on duty: 503 code no_clerks with Retry-After."""
    clock.advance(minutes=2)
    refused = place(enrol())
    assert refused.status_code == 503
    assert refused.json()["code"] == "no_clerks"
    assert int(refused.headers["retry-after"]) > 0


def test_the_queue_holds_no_personal_data(enrol: Enrol, clerk: Clerk) -> None:
    """A waiting call is listed with exactly call_id, site_name, device_kind, language,
    item_code and waited_s: no session, no offer, no device id."""
    desk = clerk()
    agent = enrol("agent")
    call_id = placed(agent, language="en", item_code="330100-ITEM",
                     session_id="session-of-a-resident")
    calls = desk.get("/v1/assist/queue").json()["calls"]
    mine = next(c for c in calls if c["call_id"] == call_id)
    assert mine == {"call_id": call_id, "site_name": "测试点", "device_kind": "agent",
                    "language": "en", "item_code": "330100-ITEM", "waited_s": 0}
    assert agent.device_id not in str(calls)  # type: ignore[attr-defined]
    assert "session-of-a-resident" not in str(calls)


def test_only_clerks_read_the_queue_and_take_calls(sandbox: SandboxServer, enrol: Enrol,
                                                   clerk: Clerk) -> None:
    """A terminal's token on a clerk's endpoint is 403 clerks_only; no token or an unknown
    one is 401."""
    clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    assert kiosk.get("/v1/assist/queue").json()["code"] == "clerks_only"
    assert kiosk.post(f"/v1/assist/calls/{call_id}/accept").status_code == 403
    assert httpx.get(f"{sandbox.url}/v1/assist/queue").status_code == 401
    unknown = httpx.get(f"{sandbox.url}/v1/assist/queue",
                        headers={"Authorization": "Bearer not-a-clerk"})
    assert unknown.status_code == 401


def test_accept_gives_the_offer_once(enrol: Enrol, clerk: Clerk) -> None:
    """The first clerk to accept gets the offer and the ICE servers (again if it asks again
    before answering); another is 409 taken; after the citizen hung up, 409 ended."""
    first, second = clerk(), clerk()
    kiosk = enrol()
    sent = offer("accept")
    call_id = kiosk.post("/v1/assist/calls", json={"offer": sent}).json()["call_id"]
    taken = first.post(f"/v1/assist/calls/{call_id}/accept")
    assert taken.status_code == 200
    assert taken.json()["offer"] == sent
    assert taken.json()["ice_servers"] == [{"urls": ["stun:stun.sandbox.invalid:3478"]}]
    assert call_id not in str(first.get("/v1/assist/queue").json())
    # the same clerk's browser retrying a POST whose answer it lost: the offer again
    retried = first.post(f"/v1/assist/calls/{call_id}/accept")
    assert retried.status_code == 200 and retried.json()["offer"] == sent
    again = second.post(f"/v1/assist/calls/{call_id}/accept")
    assert again.status_code == 409 and again.json()["code"] == "taken"
    other = placed(enrol())
    assert enrol().delete(f"/v1/assist/calls/{other}").status_code == 404   # not its call
    assert second.post(f"/v1/assist/calls/{other}/accept").status_code == 200
    assert kiosk.delete(f"/v1/assist/calls/{call_id}").status_code == 204
    ended = second.post(f"/v1/assist/calls/{call_id}/accept")
    assert ended.status_code == 409 and ended.json()["code"] == "ended"
    assert second.post("/v1/assist/calls/call-unknown/accept").status_code == 404


def test_parallel_accepts_give_the_call_to_exactly_one_clerk(enrol: Enrol,
                                                             clerk: Clerk) -> None:
    """Eight clerks accept one call at once: one 200, seven 409 taken."""
    desks = [clerk() for _ in range(8)]
    call_id = placed(enrol())
    barrier = threading.Barrier(len(desks))

    def take(desk: httpx.Client) -> int:
        barrier.wait()
        return desk.post(f"/v1/assist/calls/{call_id}/accept").status_code

    with concurrent.futures.ThreadPoolExecutor(len(desks)) as pool:
        codes = sorted(pool.map(take, desks))
    assert codes == [200] + [409] * 7


def test_the_answer_reaches_the_terminal(enrol: Enrol, clerk: Clerk) -> None:
    """The accepting clerk's answer makes the call answered with that SDP and the clerk's
    name; answering without accepting, or a second time, is 409."""
    desk, other = clerk(name="王窗口"), clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    early = answer_call(desk, call_id)
    assert early.status_code == 409 and early.json()["code"] == "not_accepted"
    assert desk.post(f"/v1/assist/calls/{call_id}/accept").status_code == 200
    assert answer_call(other, call_id).status_code == 409
    done = answer_call(desk, call_id)
    assert done.status_code == 200 and done.json()["status"] == "answered"
    seen = status(kiosk, call_id)
    assert seen["status"] == "answered"
    assert seen["answer"] == {"type": "answer", "sdp": "v=0\r\na=clerk\r\n"}
    assert seen["clerk"] == {"display_name": "王窗口"} and seen["ended_reason"] is None
    assert answer_call(desk, call_id).json()["code"] == "answered"
    bad = desk.post(f"/v1/assist/calls/{call_id}/answer", json={"answer": {"type": "offer"}})
    assert bad.status_code == 400


def test_long_poll_wakes_on_a_change(enrol: Enrol, clerk: Clerk) -> None:
    """A terminal's long poll answers as soon as a clerk takes and answers its call, not
    after its wait."""
    desk = clerk()
    kiosk = enrol()
    call_id = placed(kiosk)

    def take_later() -> None:
        time.sleep(0.5)
        desk.post(f"/v1/assist/calls/{call_id}/accept")
        answer_call(desk, call_id)

    helper = threading.Thread(target=take_later)
    started = time.monotonic()
    helper.start()
    first = status(kiosk, call_id, wait=20)
    helper.join()
    assert 0.4 < time.monotonic() - started < 5
    assert first["queue_position"] == 0 and first["clerk"] is not None
    if first["status"] != "answered":               # taken first, answered a moment later
        started = time.monotonic()
        assert status(kiosk, call_id, wait=20)["status"] == "answered"
        assert time.monotonic() - started < 5


def test_long_poll_returns_after_its_wait_when_nothing_changes(enrol: Enrol,
                                                               clerk: Clerk) -> None:
    """Nothing happens to the call: the long poll answers after S seconds, unchanged."""
    clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    started = time.monotonic()
    doc = status(kiosk, call_id, wait=1.5)
    assert 1.4 < time.monotonic() - started < 5
    assert doc["status"] == "waiting" and doc["queue_position"] >= 1
    assert kiosk.get(f"/v1/assist/calls/{call_id}", params={"wait": 26}).status_code == 400
    assert kiosk.get(f"/v1/assist/calls/{call_id}", params={"wait": "x"}).status_code == 400


def test_a_change_between_two_polls_is_answered_at_once(enrol: Enrol, clerk: Clerk) -> None:
    """A change that lands after one poll answered and before the next began is not kept
    waiting for: the next poll answers at once."""
    desk = clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    assert status(kiosk, call_id)["status"] == "waiting"
    assert desk.post(f"/v1/assist/calls/{call_id}/accept").status_code == 200
    assert answer_call(desk, call_id).status_code == 200
    started = time.monotonic()
    assert status(kiosk, call_id, wait=20)["status"] == "answered"
    assert time.monotonic() - started < 2


def test_the_citizen_hangs_up_and_the_clerk_sees_it(enrol: Enrol, clerk: Clerk) -> None:
    """The clerk's long poll (clerk token) answers when the terminal hangs up: ended,
    hung_up. Hanging up again is still 204."""
    desk = clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    desk.post(f"/v1/assist/calls/{call_id}/accept")
    assert answer_call(desk, call_id).status_code == 200
    timer = threading.Timer(0.5, lambda: kiosk.delete(f"/v1/assist/calls/{call_id}"))
    started = time.monotonic()
    timer.start()
    seen = status(desk, call_id, wait=20)
    timer.join()
    assert time.monotonic() - started < 5
    assert seen["status"] == "ended" and seen["ended_reason"] == "hung_up"
    assert seen["answer"] is None
    assert kiosk.delete(f"/v1/assist/calls/{call_id}").status_code == 204


def test_the_clerk_hangs_up_and_the_terminal_sees_it(enrol: Enrol, clerk: Clerk) -> None:
    """The clerk's DELETE ends the call clerk_hung_up for the terminal; a clerk who did not
    take the call may not hang it up (403), nor turn away a waiting one."""
    desk, other = clerk(), clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    desk.post(f"/v1/assist/calls/{call_id}/accept")
    answer_call(desk, call_id)
    refused = other.delete(f"/v1/assist/calls/{call_id}")
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_call"
    assert status(kiosk, call_id)["status"] == "answered"
    assert desk.delete(f"/v1/assist/calls/{call_id}").status_code == 204
    seen = status(kiosk, call_id)
    assert seen["status"] == "ended" and seen["ended_reason"] == "clerk_hung_up"
    waiting = placed(enrol())
    assert desk.delete(f"/v1/assist/calls/{waiting}").status_code == 403


def test_a_new_call_replaces_the_devices_previous_one(enrol: Enrol, clerk: Clerk) -> None:
    """One live call per device: the second ends the first (replaced), and the queue lists
    only the second, first in line behind calls placed before."""
    desk = clerk()
    kiosk = enrol()
    first = placed(kiosk)
    second_answer = place(kiosk)
    assert second_answer.status_code == 201
    second = second_answer.json()["call_id"]
    gone = status(kiosk, first)
    assert gone["status"] == "ended" and gone["ended_reason"] == "replaced"
    queued = [c["call_id"] for c in desk.get("/v1/assist/queue").json()["calls"]]
    assert first not in queued and second in queued
    assert second_answer.json()["queue_position"] == queued.index(second) + 1


def test_parallel_calls_from_one_device_leave_one_live(enrol: Enrol, clerk: Clerk) -> None:
    """Six calls placed at once from one terminal: exactly one is still waiting, the others
    ended replaced."""
    desk = clerk()
    kiosk = enrol()
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(lambda _: placed(kiosk), range(6)))
    states = [status(kiosk, call_id) for call_id in ids]
    assert sorted(s["status"] for s in states) == ["ended"] * 5 + ["waiting"]
    assert {s["ended_reason"] for s in states if s["status"] == "ended"} == {"replaced"}
    queued = {c["call_id"] for c in desk.get("/v1/assist/queue").json()["calls"]}
    assert len(queued & set(ids)) == 1


def test_ten_minutes_without_an_answer_end_the_call(enrol: Enrol, clerk: Clerk,
                                                    clock: MovableClock) -> None:
    """Nobody answers within 10 minutes: ended, no_answer, read on the platform's clock;
    accepting it then is 409 ended."""
    desk = clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    clock.advance(minutes=9, seconds=59)
    assert status(kiosk, call_id)["status"] == "waiting"
    clock.advance(seconds=1)
    ended = status(kiosk, call_id)
    assert ended["status"] == "ended" and ended["ended_reason"] == "no_answer"
    desk.get("/v1/assist/queue")                          # back on duty after the jump
    late = desk.post(f"/v1/assist/calls/{call_id}/accept")
    assert late.status_code == 409 and late.json()["code"] == "ended"
    assert call_id not in str(desk.get("/v1/assist/queue").json())


def test_a_clerk_who_accepts_and_never_answers_times_out(enrol: Enrol, clerk: Clerk,
                                                         clock: MovableClock) -> None:
    """Accepted but no answer within 2 minutes (the console went away): ended, timeout."""
    desk = clerk()
    kiosk = enrol()
    call_id = placed(kiosk)
    desk.post(f"/v1/assist/calls/{call_id}/accept")
    clock.advance(minutes=2)
    ended = status(kiosk, call_id)
    assert ended["status"] == "ended" and ended["ended_reason"] == "timeout"


def test_parallel_wrong_pins_get_no_extra_tries(sandbox: SandboxServer) -> None:
    """Twelve wrong PINs at once for one clerk number: five are checked (401), the rest and
    then the right PIN are 429, like agents' sign-in."""
    number = f"C{uuid.uuid4().hex[:8]}"
    admin.add_clerk(sandbox.platform.settings.data_dir, number, PIN)
    barrier = threading.Barrier(12)

    def guess(n: int) -> int:
        barrier.wait()
        return httpx.post(f"{sandbox.url}/v1/clerks/sign-in", timeout=30,
                          json={"clerk_number": number, "pin": f"{n:06d}"}).status_code

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        codes = sorted(pool.map(guess, range(12)))
    assert codes == [401] * 5 + [429] * 7
    right = httpx.post(f"{sandbox.url}/v1/clerks/sign-in",
                       json={"clerk_number": number, "pin": PIN})
    assert right.status_code == 429 and int(right.headers["retry-after"]) > 0


def test_clerk_and_agent_numbers_count_apart(sandbox: SandboxServer, enrol: Enrol) -> None:
    """Wrong PINs for clerk number N do not lock agent number N, and an unknown clerk number
    answers like a wrong PIN (401 bad_credentials)."""
    number = f"N{uuid.uuid4().hex[:6]}"
    admin.add_agent(sandbox.platform.settings.data_dir, number, PIN, "荀山村")
    for _ in range(5):
        wrong = httpx.post(f"{sandbox.url}/v1/clerks/sign-in",
                           json={"clerk_number": number, "pin": "000000"})
        assert wrong.status_code == 401 and wrong.json()["code"] == "bad_credentials"
    agent = enrol("agent").post("/v1/agents/sign-in",
                                json={"agent_number": number, "pin": PIN})
    assert agent.status_code == 200
    assert httpx.post(f"{sandbox.url}/v1/clerks/sign-in",
                      json={"clerk_number": 5, "pin": PIN}).status_code == 400


def test_a_shift_token_expires(sandbox: SandboxServer, enrol: Enrol, clerk: Clerk,
                               clock: MovableClock) -> None:
    """A clerk's token lasts 12 hours; after that the queue is 401."""
    desk = clerk()
    clock.advance(hours=12)
    assert desk.get("/v1/assist/queue").status_code == 401


def test_offers_and_answers_never_reach_the_log(enrol: Enrol, clerk: Clerk,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """The log names calls by id; the SDP (with the parties' addresses) is never in it."""
    desk = clerk()
    kiosk = enrol()
    with caplog.at_level(logging.DEBUG):
        call_id = placed(kiosk)
        desk.post(f"/v1/assist/calls/{call_id}/accept")
        answer_call(desk, call_id)
        kiosk.delete(f"/v1/assist/calls/{call_id}")
    text = "\n".join(f"{r.getMessage()} {getattr(r, 'ctx', '')}" for r in caplog.records)
    assert call_id in text
    assert "192.0.2.77" not in text and "a=clerk" not in text and "marker" not in text


def test_the_console_is_served_with_a_strict_policy(sandbox: SandboxServer) -> None:
    """/clerk/ serves the console's page, script and style, each under a CSP that allows
    only this origin; other names are 404, and /clerk redirects."""
    page = httpx.get(f"{sandbox.url}/clerk/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy and "unsafe" not in policy
    for hook in ('id="number"', 'id="pin"', 'id="sign-in"', 'id="queue"', 'id="call-status"',
                 'id="remote-video"', 'id="local-video"', 'id="chat-log"', 'id="hang-up"'):
        assert hook in page.text
    script = httpx.get(f"{sandbox.url}/clerk/console.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "window.clerkConsole" in script.text
    assert httpx.get(f"{sandbox.url}/clerk/console.css").status_code == 200
    assert httpx.get(f"{sandbox.url}/clerk/secret.py").status_code == 404
    bare = httpx.get(f"{sandbox.url}/clerk")
    assert bare.status_code == 308 and bare.headers["location"] == "/clerk/"


def test_stopping_the_server_ends_long_polls_at_once(tmp_path: Path) -> None:
    """A long poll in progress does not hold the server's shutdown for its 25 seconds."""
    data = tmp_path / "central"
    with SandboxServer(SandboxSettings(data, workflow=WorkflowSchedule(step_s=0))) as server:
        number = "STOP01"
        admin.add_clerk(data, number, PIN)
        token = httpx.post(f"{server.url}/v1/clerks/sign-in",
                           json={"clerk_number": number, "pin": PIN}).json()["clerk_token"]
        headers = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{server.url}/v1/assist/queue", headers=headers)
        code = admin.issue_enrollment_code(data, "kiosk")
        device = httpx.post(f"{server.url}/v1/devices/enroll",
                            json={"enrollment_code": code, "kind": "kiosk"}).json()
        kiosk = {"Authorization": f"Bearer {device['token']}"}
        call_id = httpx.post(f"{server.url}/v1/assist/calls", headers=kiosk,
                             json={"offer": offer()}).json()["call_id"]
        answers: list[int] = []

        def long_poll() -> None:
            try:
                answers.append(httpx.get(f"{server.url}/v1/assist/calls/{call_id}",
                                         params={"wait": 25}, headers=kiosk,
                                         timeout=35).status_code)
            except httpx.TransportError:
                answers.append(0)               # the connection closed under it: also fine

        poll = threading.Thread(target=long_poll)
        poll.start()
        time.sleep(0.3)
        started = time.monotonic()
    assert time.monotonic() - started < 5
    poll.join(timeout=5)
    assert not poll.is_alive() and answers in ([200], [0])


def test_kiosk_central_clerk_add(data_dir: Path) -> None:
    """`kiosk central clerk add` creates a clerk who can sign in; a second one with the same
    number, or a PIN that is not 6-12 digits, is exit 1 with the reason on stderr."""
    made = run_kiosk("central", "clerk", "add", "C100", "--pin", PIN, "--name", "李窗口",
                     "--json", data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().startswith("{") and '"number": "C100"' in made.stdout
    twice = run_kiosk("central", "clerk", "add", "C100", "--pin", PIN, data_dir=data_dir)
    assert twice.returncode == 1 and "exists" in twice.stderr
    short = run_kiosk("central", "clerk", "add", "C101", "--pin", "12", data_dir=data_dir)
    assert short.returncode == 1 and "6 to 12 digits" in short.stderr
    assert "Traceback" not in twice.stderr + short.stderr
    with SandboxServer(SandboxSettings(data_dir / "central",
                                       workflow=WorkflowSchedule(step_s=0))) as server:
        signed = httpx.post(f"{server.url}/v1/clerks/sign-in",
                            json={"clerk_number": "C100", "pin": PIN})
    assert signed.status_code == 200 and signed.json()["display_name"] == "李窗口"


def test_ice_servers_are_read_as_urls_or_objects() -> None:
    """`serve --ice-server` takes a STUN/TURN URL or an RTCIceServer object as JSON, and
    names what is wrong with anything else."""
    assert parse_ice_server("stun:stun.example.gov.cn:3478").as_dict() == {
        "urls": ["stun:stun.example.gov.cn:3478"]}
    relay = parse_ice_server('{"urls": "turn:203.0.113.10:3478", "username": "kiosk", '
                             '"credential": "s3cret"}')
    assert relay.as_dict() == {"urls": ["turn:203.0.113.10:3478"], "username": "kiosk",
                               "credential": "s3cret"}
    for bad in ("http://turn.example", '{"urls": []}', "{not json"):
        with pytest.raises(ValueError):
            parse_ice_server(bad)
