"""The call engine's real calls, run inside a network namespace (``tests/netns.py``): the
terminal's :class:`CallEngine` and an aiortc clerk (:class:`ClerkPeer`) on loopback, the
signalling handed across directly (:class:`DirectSignalling`) so that these scenarios test
the engine alone; ``scenarios.py`` runs calls through the real sandbox.

``python -m tests.assist.engine_scenarios NAME`` prints progress on stderr and one JSON
report on the last line of stdout.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from assist.engine import CallEngine
from assist.events import (
    CallEvent,
    Connected,
    Ended,
    Received,
    RemoteAudio,
    RemoteFrame,
    Waiting,
)
from assist.frames import TestPattern
from assist.snapshots import fit_jpeg
from civic.assist import (
    Bye,
    Chat,
    EndReason,
    IceServer,
    OpenItem,
    Snapshot,
    SnapshotRequest,
)
from tests.assist.clerk_peer import ClerkPeer
from tests.assist.direct import DirectSignalling

MEDIA_TIMEOUT_S = 3.0


class Recorder:
    """The observer: every event with its instant, on the engine's thread."""

    def __init__(self) -> None:
        self.events: list[tuple[float, CallEvent]] = []
        self.threads: set[str] = set()
        self.engine: CallEngine | None = None
        self.pattern = TestPattern()
        self.changed = threading.Condition()

    def __call__(self, event: CallEvent) -> None:
        self.threads.add(threading.current_thread().name)
        with self.changed:
            self.events.append((time.monotonic(), event))
            self.changed.notify_all()
        if isinstance(event, Received) and isinstance(event.message, SnapshotRequest):
            # what the kiosk does after the citizen taps Send
            assert self.engine is not None
            self.engine.send(fit_jpeg(self.pattern.latest()))

    def wait_for(self, kind: type, timeout: float = 20.0) -> float:
        """The instant the first event of ``kind`` arrived (waiting for it)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for at, event in self.events:
                    if isinstance(event, kind):
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {kind.__name__} within {timeout} s: "
                                       f"{self.summary()}")
                self.changed.wait(left)

    def count(self, kind: type) -> int:
        with self.changed:
            return sum(isinstance(e, kind) for _, e in self.events)

    def summary(self) -> list[str]:
        with self.changed:
            kinds: list[str] = []
            for _, event in self.events:
                if isinstance(event, RemoteFrame | RemoteAudio):
                    continue
                name = type(event).__name__
                if isinstance(event, Ended):
                    name += f":{event.reason.value}"
                if isinstance(event, Received):
                    name += f":{event.message.kind.value}"
                kinds.append(name)
            return kinds

    def ended(self) -> EndReason:
        ends = [e for _, e in self.events if isinstance(e, Ended)]
        assert len(ends) == 1, self.summary()
        assert isinstance(self.events[-1][1], Ended), "Ended is not the last event"
        return ends[0].reason


class CallLog(logging.Handler):
    """Every record the engine logs, with its bound context, as text: what a log file of
    the terminal would hold."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {getattr(record, 'ctx', '')}")


#: what must never reach a log: SDP (addresses), the chat's words, a TURN credential
SECRETS = ("v=0", "a=candidate", "a=fingerprint", "我的养老金怎么办", "请出示身份证",
           "relay-secret")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


def run(name: str, *, answer: bool = True, fail_place: EndReason | None = None,
        fail_status: EndReason | None = None, microphone: str | None = None,
        ice_servers: tuple[IceServer, ...] = (), clerk_relay_only: bool = False,
        during: Callable[[CallEngine, ClerkPeer, DirectSignalling, Recorder], None]
        ) -> dict[str, Any]:
    baseline = _threads()
    call_log = CallLog()
    engine_logger = logging.getLogger("assist")
    engine_logger.addHandler(call_log)
    engine_logger.setLevel(logging.DEBUG)
    peer = ClerkPeer(ice_servers=ice_servers, relay_only=clerk_relay_only) if answer else None
    signalling = DirectSignalling(peer, fail_place=fail_place, fail_status=fail_status)
    recorder = Recorder()
    recorder.baseline = baseline  # type: ignore[attr-defined]
    engine = CallEngine(signalling, TestPattern(), recorder, microphone=microphone,
                        media_timeout_s=MEDIA_TIMEOUT_S)
    recorder.engine = engine
    started = time.monotonic()
    engine.start("zh", "330000000001", None, ice_servers)
    during(engine, peer, signalling, recorder)  # type: ignore[arg-type]
    ended_at = recorder.wait_for(Ended, timeout=40)
    joined = engine.join(30)
    clerks = peer.own_threads() if peer is not None else set()
    engine_threads = [t.name for t in _threads() - baseline - clerks if t.is_alive()]
    if peer is not None:
        peer.close()
    time.sleep(0.2)
    leaked = [t.name for t in _threads() - baseline if t.is_alive()]
    engine_logger.removeHandler(call_log)
    stats = engine.stats()
    first = stats.answer_to_first_frame_s
    dropped_at = getattr(recorder, "dropped_at", None)
    return {"threads_during_call": getattr(recorder, "during", None),
            "_drop_to_ended": None if dropped_at is None else ended_at - dropped_at,
            "scenario": name, "events": recorder.summary(), "ended": recorder.ended().value,
            "ended_after_s": round(ended_at - started, 2), "joined": joined,
            "threads_after_join": engine_threads, "leaked_threads": leaked,
            "observer_threads": sorted(recorder.threads),
            "answered": stats.answered, "connected": stats.connected,
            "frames_sent": stats.frames_sent, "frames_received": stats.frames_received,
            "remote_audio": recorder.count(RemoteAudio),
            "messages_received": [m.kind.value for m in stats.messages_received],
            "chat_received": [m.text for m in stats.messages_received if isinstance(m, Chat)],
            "answer_to_first_frame_ms": None if first is None else round(first * 1000, 1),
            "clerk_frames": peer.frames_received if peer else 0,
            "clerk_audio": peer.audio_frames if peer else 0,
            "clerk_messages": [m.kind.value for m in peer.messages] if peer else [],
            "clerk_chat": [m.text for m in peer.messages if isinstance(m, Chat)] if peer
            else [],
            "clerk_snapshot_bytes": [len(m.data) for m in peer.messages
                                     if isinstance(m, Snapshot)] if peer else [],
            "hung_up_on_platform": signalling.hung_up, "polls": signalling.polls,
            "log_lines": len(call_log.lines),
            "secrets_logged": sorted({secret for secret in SECRETS
                                      for line in call_log.lines if secret in line}),
            "offer_candidate_types": sorted({line.split(" typ ")[1].split()[0]
                                             for offer in signalling.offers
                                             for line in offer.splitlines()
                                             if line.startswith("a=candidate:")})}


def _full_call(engine: CallEngine, peer: ClerkPeer, signalling: DirectSignalling,
               recorder: Recorder) -> None:
    recorder.wait_for(Connected)
    assert peer.wait_channel()
    engine.send(Chat("我的养老金怎么办"))
    peer.send(Chat("请出示身份证"))
    peer.send(SnapshotRequest())
    peer.send(OpenItem("330000000002"))
    peer.send_raw('{"type": "nonsense"}')
    peer.send_raw("not json at all")
    time.sleep(2.5)       # frames both ways, the snapshot on its way
    baseline: set[threading.Thread] = recorder.baseline  # type: ignore[attr-defined]
    recorder.during = sorted(  # type: ignore[attr-defined]
        t.name for t in _threads() - baseline - peer.own_threads())
    engine.hang_up()
    engine.hang_up()      # idempotent


def _talk_briefly(engine: CallEngine, peer: ClerkPeer, signalling: DirectSignalling,
                  recorder: Recorder) -> None:
    recorder.wait_for(Connected)
    time.sleep(1.0)
    engine.hang_up()


def _clerk_bye(engine: CallEngine, peer: ClerkPeer, signalling: DirectSignalling,
               recorder: Recorder) -> None:
    recorder.wait_for(Connected)
    assert peer.wait_channel()
    time.sleep(0.5)
    peer.send(Bye())


def _platform_ends(engine: CallEngine, peer: ClerkPeer, signalling: DirectSignalling,
                   recorder: Recorder) -> None:
    recorder.wait_for(Connected)
    time.sleep(0.5)
    signalling.end(EndReason.CLERK_HUNG_UP)


def _media_drop(engine: CallEngine, peer: ClerkPeer, signalling: DirectSignalling,
                recorder: Recorder) -> None:
    """The media's address goes dark mid-call: nothing more reaches either side."""
    recorder.wait_for(Connected)
    time.sleep(1.0)
    drop_media()
    recorder.dropped_at = time.monotonic()  # type: ignore[attr-defined]


def drop_media() -> None:
    """Blackhole 127.0.0.2, where both peers' ICE candidates are (127.0.0.1 stays: the
    signalling's). Routing rules, because this kernel has no traffic-control qdiscs: the
    local table is moved behind a blackhole rule for that one address."""
    for command in ("ip rule add pref 100 lookup local", "ip rule del pref 0",
                    "ip rule add pref 10 to 127.0.0.2/32 blackhole"):
        subprocess.run(command.split(), check=True, capture_output=True)


def _waiting_hang_up(engine: CallEngine, peer: ClerkPeer | None,
                     signalling: DirectSignalling, recorder: Recorder) -> None:
    recorder.wait_for(Waiting)
    time.sleep(0.5)
    engine.hang_up()


def _hang_up_at_once(engine: CallEngine, peer: ClerkPeer | None,
                     signalling: DirectSignalling, recorder: Recorder) -> None:
    """Hung up after HANG_UP_AFTER_S seconds: while the stack loads, ICE gathers, the offer
    is posted... whatever the call is doing then."""
    time.sleep(float(os.environ.get("HANG_UP_AFTER_S", "0")))
    engine.hang_up()


def _nothing(engine: CallEngine, peer: ClerkPeer | None, signalling: DirectSignalling,
             recorder: Recorder) -> None:
    pass


class AsyncioComplaints(logging.Handler):
    """What asyncio logs as errors: a task destroyed while pending, an exception nobody
    retrieved (a call that leaves work behind on its loop)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage()[:200])


def hang_up_races() -> dict[str, Any]:
    """Hung up at moments that fall on each step of setting up (the stack loading, ICE
    gathering, the POST, the answer arriving, connecting): each call ends once, hung up,
    tells the platform if it was placed, and leaves no thread and no pending task."""
    complaints = AsyncioComplaints()
    logging.getLogger("asyncio").addHandler(complaints)
    runs = []
    for delay in (0.0, 0.03, 0.06, 0.09, 0.12, 0.15, 0.3):
        os.environ["HANG_UP_AFTER_S"] = str(delay)
        report = run(f"hang_up_after_{delay}", during=_hang_up_at_once)
        runs.append({key: report[key] for key in ("events", "ended", "joined",
                                                  "threads_after_join", "leaked_threads",
                                                  "hung_up_on_platform", "polls")})
    gc.collect()
    return {"runs": runs, "asyncio_errors": complaints.seen}


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


TURN_USER, TURN_PASSWORD = "kiosk", "relay-secret"


def through_turn() -> dict[str, Any]:
    """A call relayed by coturn on 127.0.0.3, the way a county's TURN server carries calls
    that cannot go direct: the engine is given the server (as GET /v1/assist/config names
    it, with long-term credentials) and gathers a relayed candidate; the clerk offers only
    relayed ones, so every packet passes through the relay."""
    import shutil

    if shutil.which("turnserver") is None:
        return {"skipped": "coturn (turnserver) is not installed"}
    subprocess.run(["ip", "addr", "add", "127.0.0.3/32", "dev", "lo"], check=True)
    state = tempfile.mkdtemp(prefix="coturn-")     # its user database, not /var/lib/turn's
    turn = subprocess.Popen(
        ["turnserver", "-n", "--listening-ip=127.0.0.3", "--relay-ip=127.0.0.3",
         "--listening-port=3478", "--lt-cred-mech", f"--user={TURN_USER}:{TURN_PASSWORD}",
         "--realm=kiosk.test", "--no-tls", "--no-dtls", "--allow-loopback-peers",
         "--no-cli", "--log-file=stdout", "--simple-log", "-v",
         f"--userdb={state}/turndb"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(1.0)        # coturn binds its sockets within a few hundred ms
        server = IceServer(("turn:127.0.0.3:3478?transport=udp",), TURN_USER, TURN_PASSWORD)
        report = run("turn", ice_servers=(server,), clerk_relay_only=True,
                     during=_talk_briefly)
    finally:
        turn.terminate()
        try:
            output, _ = turn.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            turn.kill()
            output, _ = turn.communicate()
    shutil.rmtree(state, ignore_errors=True)
    # coturn logs each relayed session's allocation: evidence the media went through it
    report["turn_allocations"] = output.count("ALLOCATE processed, success")
    # aioice relays through channels: a bound channel is the relay carrying the peer's data
    report["turn_channel_binds"] = output.count("CHANNEL_BIND processed, success")
    return report


def soak(calls: int = 16) -> dict[str, Any]:
    """Calls one after another in one process, as a kiosk makes them all day: the thread
    count is back to where it was after each, and memory does not grow call by call."""
    baseline = {t.name for t in threading.enumerate()}
    counts, rss = [], []
    for number in range(calls):
        report = run(f"soak_{number}", during=_talk_briefly)
        assert report["ended"] == "hung_up" and report["connected"], report["events"]
        gc.collect()
        counts.append(threading.active_count())
        rss.append(_rss_kib())
    left = sorted({t.name for t in threading.enumerate()} - baseline)
    return {"thread_counts": counts, "rss_kib": rss, "threads_left": left,
            "rss_growth_after_second_kib": rss[-1] - rss[1]}


def main(name: str) -> dict[str, Any]:
    if name == "call":
        return run(name, during=_full_call)
    if name == "no_microphone":
        # an ALSA device that is not there: the call goes on with a silent track
        return run(name, microphone="hw:9", during=_talk_briefly)
    if name == "clerk_bye":
        return run(name, during=_clerk_bye)
    if name == "platform_ends":
        return run(name, during=_platform_ends)
    if name == "media_drop":
        started = time.monotonic()
        report = run(name, during=_media_drop)
        report["media_timeout_s"] = MEDIA_TIMEOUT_S
        report["drop_to_ended_s"] = round(report.pop("_drop_to_ended"), 2)
        report["total_s"] = round(time.monotonic() - started, 2)
        return report
    if name == "waiting_hang_up":
        return run(name, answer=False, during=_waiting_hang_up)
    if name == "hang_up_at_once":
        return run(name, during=_hang_up_at_once)
    if name == "hang_up_races":
        return hang_up_races()
    if name == "signalling_lost":
        return run(name, answer=False, fail_status=EndReason.NETWORK_LOST, during=_nothing)
    if name == "call_unknown":
        return run(name, answer=False, fail_status=EndReason.PLATFORM_FAILED,
                   during=_nothing)
    if name == "soak":
        return soak()
    if name == "turn":
        return through_turn()
    if name == "no_clerks":
        return run(name, answer=False, fail_place=EndReason.NO_CLERKS, during=_nothing)
    raise SystemExit(f"unknown scenario {name}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False), flush=True)
