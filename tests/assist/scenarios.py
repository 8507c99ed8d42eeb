"""Calls through the real sandbox, run inside a network namespace (``tests/netns.py``).

The sandbox runs as ``kiosk central serve`` in a process of its own on 127.0.0.1 (so its
threads are not counted as the terminal's); a hall clerk is made with the sandbox's admin,
signs in over HTTP and answers with an aiortc peer (``clerk_peer.py``), in this process or,
when the test kills it, in a process of its own. The terminal side is the real thing: a
:class:`CallEngine` over :class:`kiosk.assist_link.PlatformSignalling` over the platform
client, or ``kiosk assist dial`` as a subprocess.

``python -m tests.assist.scenarios NAME`` prints progress on stderr and one JSON report on
the last line of stdout.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from assist.engine import CallEngine
from assist.events import Answered, Connected, Ended, RemoteFrame
from assist.frames import TestPattern
from civic.assist import Bye, Chat, OpenItem, Snapshot, SnapshotRequest
from kiosk.assist_link import PlatformSignalling
from offline_queue import credentials
from offline_queue.platform import PlatformClient
from offline_queue.tls import ClientSettings
from tests.assist.clerk_peer import ClerkPeer, SandboxClerk
from tests.assist.engine_scenarios import Recorder

CLERK_NUMBER, CLERK_PIN, CLERK_NAME = "C001", "135790", "王窗口"
MEDIA_TIMEOUT_S = 3.0
KIOSK = [sys.executable, "-m", "kiosk.cli.main"]


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass
class Site:
    url: str
    terminal_dir: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox(root: Path) -> Iterator[Site]:
    """The sandbox serving, a clerk account, and an enrolled kiosk's data dir."""
    from central import admin

    central_home = root / "central-home"
    central_dir = central_home / "central"
    central_dir.mkdir(parents=True)
    admin.add_clerk(central_dir, CLERK_NUMBER, CLERK_PIN, CLERK_NAME)
    code = admin.issue_enrollment_code(central_dir, "kiosk")
    port = _free_port()
    server = subprocess.Popen([*KIOSK, "--data-dir", str(central_home), "central", "serve",
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox did not start: {server.stderr.read()[-2000:]}"
                                   if server.stderr else "the sandbox did not start")
            time.sleep(0.2)
        terminal = root / "terminal"
        terminal.mkdir(mode=0o700)
        credentials.enroll(terminal, url, code, "kiosk", hostname="netns-test",
                           app_version="0.1.0", site={"region_code": "330110",
                                                      "name": "测试点"})
        yield Site(url, terminal)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _client(site: Site) -> PlatformClient:
    return PlatformClient.build(credentials.load(site.terminal_dir),
                                ClientSettings(connect_timeout_s=3, read_timeout_s=10))


class InProcessClerk:
    """The clerk in this process: signs in (on duty), answers the first call on a thread."""

    def __init__(self, site: Site) -> None:
        self.desk = SandboxClerk(site.url, CLERK_NUMBER, CLERK_PIN)
        self.desk.queue()                       # polled: on duty from now
        self.peer: ClerkPeer | None = None
        self.call_id: str | None = None
        self.answered_at: float | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._answer, name="clerk-desk", daemon=True)

    def start(self) -> InProcessClerk:
        self._thread.start()
        return self

    def _answer(self) -> None:
        try:
            self.call_id, offer = self.desk.take_next(timeout=30)
            self.peer = ClerkPeer()
            self.desk.answer(self.call_id, self.peer.answer(offer))
            self.answered_at = time.monotonic()
        except BaseException as exc:           # reported by the scenario
            self.error = exc

    def joined(self) -> ClerkPeer:
        self._thread.join(40)
        if self.error is not None:
            raise self.error
        assert self.peer is not None
        return self.peer

    def own_threads(self) -> set[threading.Thread]:
        return {self._thread} | (self.peer.own_threads() if self.peer else set())

    def close(self) -> None:
        if self.peer is not None:
            self.peer.close()
        self.desk.close()


def _engine_call(site: Site, during: Any) -> dict[str, Any]:
    """One call from a CallEngine to the in-process clerk; ``during(engine, clerk,
    recorder)`` acts once connected. Thread counts are the terminal's only."""
    clerk = InProcessClerk(site).start()
    with _client(site) as client:
        link = PlatformSignalling(client)
        config = link.config()
        baseline = set(threading.enumerate())
        recorder = Recorder()
        engine = CallEngine(link, TestPattern(), recorder, media_timeout_s=MEDIA_TIMEOUT_S)
        recorder.engine = engine
        engine.start("zh", None, None, config.ice_servers)
        connected_at = recorder.wait_for(Connected, timeout=40)
        peer = clerk.joined()
        assert peer.wait_channel()
        extra = during(engine, clerk, recorder) or {}
        ended_at = recorder.wait_for(Ended, timeout=60)
        joined = engine.join(40)
        joined_at = time.monotonic()
        new = [t.name for t in set(threading.enumerate()) - baseline - clerk.own_threads()
               if t.is_alive()]
    clerk_status = clerk.desk.status(clerk.call_id or "", 0) if clerk.call_id else {}
    clerk.close()
    stats = engine.stats()
    answered_at = recorder.wait_for(Answered)
    first_frame = recorder.wait_for(RemoteFrame)
    return {"events": recorder.summary(), "ended": recorder.ended().value,
            "available": config.available, "joined": joined,
            "join_after_end_s": round(joined_at - ended_at, 2), "new_threads": new,
            "observer_threads": sorted(recorder.threads),
            "answer_to_first_frame_ms": round((first_frame - answered_at) * 1000, 1),
            "answer_to_connected_ms": round((connected_at - answered_at) * 1000, 1),
            "frames_sent": stats.frames_sent, "frames_received": stats.frames_received,
            "messages_received": [m.kind.value for m in stats.messages_received],
            "chat_received": [m.text for m in stats.messages_received if isinstance(m, Chat)],
            "clerk_frames": peer.frames_received,
            "clerk_messages": [m.kind.value for m in peer.messages],
            "clerk_chat": [m.text for m in peer.messages if isinstance(m, Chat)],
            "clerk_snapshot_bytes": [len(m.data) for m in peer.messages
                                     if isinstance(m, Snapshot)],
            "platform_status": clerk_status.get("status"),
            "platform_ended_reason": clerk_status.get("ended_reason"),
            "ended_at": ended_at, **extra}


def _talk_then_hang_up(engine: CallEngine, clerk: InProcessClerk,
                       recorder: Recorder) -> None:
    assert clerk.peer is not None
    engine.send(Chat("我想办理养老金领取资格认证"))
    clerk.peer.send(Chat("好的，请稍等"))
    clerk.peer.send(SnapshotRequest())
    clerk.peer.send(OpenItem("330000000002"))
    time.sleep(3.0)
    engine.hang_up()


def _clerk_hangs_up(engine: CallEngine, clerk: InProcessClerk,
                    recorder: Recorder) -> None:
    """As the clerk's console does: bye on the channel, then DELETE."""
    assert clerk.peer is not None and clerk.call_id is not None
    time.sleep(1.0)
    clerk.peer.send(Bye())
    clerk.desk.hang_up(clerk.call_id)


def _network_down(engine: CallEngine, clerk: InProcessClerk,
                  recorder: Recorder) -> dict[str, Any]:
    """The whole line goes: loopback down, media and signalling alike."""
    time.sleep(1.0)
    down_at = time.monotonic()
    subprocess.run(["ip", "link", "set", "lo", "down"], check=True)
    ended_at = recorder.wait_for(Ended, timeout=60)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    return {"down_to_ended_s": round(ended_at - down_at, 2),
            "media_timeout_s": MEDIA_TIMEOUT_S}


def clerk_killed(site: Site) -> dict[str, Any]:
    """The clerk's process is killed mid-call (no bye, no DELETE): the terminal ends the call
    as NETWORK_LOST within the media time-out, and hangs it up on the platform."""
    clerk = subprocess.Popen([sys.executable, "-m", "tests.assist.clerk_peer", site.url,
                              CLERK_NUMBER, CLERK_PIN], stdout=subprocess.PIPE, text=True)
    assert clerk.stdout is not None
    assert json.loads(clerk.stdout.readline())["step"] == "signed_in"
    with _client(site) as client:
        link = PlatformSignalling(client)
        baseline = set(threading.enumerate())
        recorder = Recorder()
        engine = CallEngine(link, TestPattern(), recorder, media_timeout_s=MEDIA_TIMEOUT_S)
        engine.start("zh", None, None, ())
        recorder.wait_for(Connected, timeout=40)
        call_id = json.loads(clerk.stdout.readline())["call_id"]
        time.sleep(1.0)
        killed_at = time.monotonic()
        clerk.send_signal(signal.SIGKILL)
        clerk.wait()
        ended_at = recorder.wait_for(Ended, timeout=40)
        joined = engine.join(40)
        new = [t.name for t in set(threading.enumerate()) - baseline if t.is_alive()]
        status = client.call_status(call_id, 0)
    return {"events": recorder.summary(), "ended": recorder.ended().value, "joined": joined,
            "killed_to_ended_s": round(ended_at - killed_at, 2),
            "media_timeout_s": MEDIA_TIMEOUT_S, "new_threads": new,
            "platform_status": status.phase.value,
            "platform_ended_reason": status.ended_reason.value if status.ended_reason
            else None, "frames_received": engine.stats().frames_received}


def _dial(site: Site, *args: str, timeout: float = 120) -> dict[str, Any]:
    proc = subprocess.run([*KIOSK, "--data-dir", str(site.terminal_dir), "assist", "dial",
                           "--json", *args], capture_output=True, text=True, timeout=timeout)
    lines = proc.stdout.strip().splitlines()
    return {"exit": proc.returncode, "report": json.loads(lines[-1]) if lines else None,
            "stderr": proc.stderr[-1500:]}


def dial_answered(site: Site) -> dict[str, Any]:
    clerk = InProcessClerk(site).start()
    try:
        result = _dial(site, "--seconds", "2", "--message", "你好，我需要帮助", "--wait", "30")
        peer = clerk.joined()
        deadline = time.monotonic() + 10
        while not any(isinstance(m, Chat) for m in peer.messages) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        result["clerk_chat"] = [m.text for m in peer.messages if isinstance(m, Chat)]
        result["clerk_frames"] = peer.frames_received
        result["platform_ended_reason"] = clerk.desk.status(clerk.call_id or "", 0).get(
            "ended_reason")
    finally:
        clerk.close()
    return result


def dial_unanswered(site: Site) -> dict[str, Any]:
    """A clerk on duty who never answers: --wait runs out."""
    desk = SandboxClerk(site.url, CLERK_NUMBER, CLERK_PIN)
    desk.queue()
    try:
        started = time.monotonic()
        result = _dial(site, "--wait", "2", "--seconds", "1")
        result["took_s"] = round(time.monotonic() - started, 2)
        result["queue_after"] = desk.queue()
    finally:
        desk.close()
    return result


def dial_nobody_on_duty(site: Site) -> dict[str, Any]:
    """No clerk signed in: the platform answers 503 no_clerks."""
    return _dial(site, "--wait", "5")


#: Chromium's flags for a headless call on loopback (../shared/reference/face-and-video-setup.md)
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                  "--allow-loopback-in-peer-connection",
                  "--disable-features=WebRtcHideLocalIpsWithMdns",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")


def _until(check: Any, what: str, timeout_s: float = 40) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


def dial_console(site: Site, root: Path) -> dict[str, Any]:
    """``kiosk assist dial`` answered by the clerk's console in headless Chromium (its fake
    camera and microphone): the console's chat reaches the command, the command's message
    and frames reach the console, and the command's hang-up ends the console's call."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={root / 'chromium'}")
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"),
                              options=options)

    def find(css: str) -> Any:
        return driver.find_element(By.CSS_SELECTOR, css)

    def state() -> str:
        return str(find("#call-status").get_attribute("data-state"))

    dial: subprocess.Popen[str] | None = None
    try:
        driver.get(f"{site.url}/clerk/")
        find("#number").send_keys(CLERK_NUMBER)
        find("#pin").send_keys(CLERK_PIN)
        find("#sign-in").click()
        _until(lambda: find("#desk-view").is_displayed(), "the console signed in")
        dial = subprocess.Popen([*KIOSK, "--data-dir", str(site.terminal_dir), "assist",
                                 "dial", "--json", "--seconds", "4", "--wait", "40",
                                 "--message", "我想问养老金认证"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        accept = _until(lambda: driver.find_elements(
            By.CSS_SELECTOR, "#queue li[data-call-id] button.accept"), "the call listed")
        accept[0].click()
        _until(lambda: state() == "connected", "the console connected")
        find("#chat-text").send_keys("请出示身份证")
        find("#chat-send").click()
        out, err = dial.communicate(timeout=60)
        _until(lambda: state() == "ended", "the console to see the hang-up", 15)
        console: dict[str, Any] = driver.execute_script("return window.clerkConsole.stats()")
    finally:
        if dial is not None and dial.poll() is None:
            dial.kill()
            dial.wait()
        driver.quit()
    lines = out.strip().splitlines()
    first = console.get("firstFrameAtMs")
    answered = console.get("answeredAtMs")
    return {"exit": dial.returncode, "report": json.loads(lines[-1]) if lines else None,
            "stderr": err[-1500:], "console_state": console.get("state"),
            "console_frames": console.get("framesReceived"),
            "console_messages": console.get("messagesReceived"),
            "console_answer_to_first_frame_ms": None if first is None or answered is None
            else round(first - answered, 1)}


def main(name: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, sandbox(Path(tmp)) as site:
        _say(f"sandbox at {site.url}")
        if name == "talk":
            return _engine_call(site, _talk_then_hang_up)
        if name == "clerk_hangs_up":
            return _engine_call(site, _clerk_hangs_up)
        if name == "network_down":
            return _engine_call(site, _network_down)
        if name == "clerk_killed":
            return clerk_killed(site)
        if name == "dial":
            return dial_answered(site)
        if name == "dial_unanswered":
            return dial_unanswered(site)
        if name == "dial_nobody":
            return dial_nobody_on_duty(site)
        if name == "dial_console":
            return dial_console(site, Path(tmp))
    raise SystemExit(f"unknown scenario {name}")


if __name__ == "__main__":
    os.environ.setdefault("KIOSK_DATA_DIR", tempfile.mkdtemp())
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False, default=str), flush=True)
