"""The call engine's contract without a network: one Ended, last, whatever happens; the
entry points from any thread; nothing of aiortc at import. Real calls are
test_engine_calls.py (inside a network namespace)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from assist.engine import CallEngine
from assist.events import CallEvent, Ended
from assist.frames import PushedFrames, RgbFrame
from assist.snapshots import fit_jpeg
from civic.assist import Chat, EndReason, Snapshot
from civic.errors import CallMessageInvalid
from tests.assist.direct import DirectSignalling
from tests.conftest import REPO


class Events(list[CallEvent]):
    def __init__(self) -> None:
        super().__init__()
        self.done = threading.Event()

    def __call__(self, event: CallEvent) -> None:
        self.append(event)
        if isinstance(event, Ended):
            self.done.set()


def test_importing_the_engine_loads_no_media_stack() -> None:
    """``import assist.engine`` (what the kiosk's start-up pays) imports neither aiortc nor
    PyAV, nor numpy, Pillow or asyncio: a call loads them on its own thread."""
    probe = ("import sys, assist, assist.engine, assist.events, assist.frames, "
             "assist.snapshots, assist.signalling\n"
             "print(sorted(m for m in ('aiortc', 'av', 'numpy', 'PIL', 'asyncio') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout.strip()
    assert out == "[]"


def test_hanging_up_before_the_start_places_no_call() -> None:
    """hang_up before start: the call ends HUNG_UP at once, nothing is placed, the video
    source is closed, and the thread is gone."""
    signalling = DirectSignalling(None)
    events, source = Events(), PushedFrames()
    source.push(RgbFrame(1, 1, b"abc"))
    engine = CallEngine(signalling, source, events)
    engine.hang_up()
    engine.start("zh", None, None, ())
    assert events.done.wait(10)
    assert engine.join(10)
    assert events == [Ended(EndReason.HUNG_UP)]
    assert signalling.hung_up == [] and source.latest() is None
    assert engine.stats().ended is EndReason.HUNG_UP


def test_a_failing_observer_does_not_stop_the_end_from_being_reported() -> None:
    """An observer that raises on every event (a bug on the Qt side) is logged; the call
    still ends and reports Ended."""
    seen: list[CallEvent] = []

    def broken(event: CallEvent) -> None:
        seen.append(event)
        raise RuntimeError("observer bug")

    engine = CallEngine(DirectSignalling(None, fail_place=EndReason.NO_CLERKS),
                        PushedFrames(), broken)
    engine.start("zh", None, None, ())
    assert engine.join(20)
    assert seen[-1] == Ended(EndReason.NO_CLERKS)


def test_an_engine_places_one_call() -> None:
    """start twice is a bug in the caller: RuntimeError."""
    engine = CallEngine(DirectSignalling(None, fail_place=EndReason.NO_CLERKS),
                        PushedFrames(), Events())
    engine.start("zh", None, None, ())
    with pytest.raises(RuntimeError):
        engine.start("zh", None, None, ())
    assert engine.join(20)


def test_sending_without_a_call_drops_the_message_and_an_oversize_snapshot_is_refused() -> None:
    """send before a call has a channel drops the message (logged by kind); a snapshot over
    the limit raises in the caller's thread (fit_jpeg makes one that fits)."""
    engine = CallEngine(DirectSignalling(None), PushedFrames(), Events())
    engine.send(Chat("你好"))
    with pytest.raises(CallMessageInvalid):
        engine.send(Snapshot(b"\xff" * 200_000))
    engine.send(fit_jpeg(RgbFrame(8, 8, b"\x80" * 192)))
    assert engine.join(1)


def test_the_call_fails_as_media_failed_where_the_stack_cannot_be_imported() -> None:
    """Without aiortc (a terminal built without it): the call ends MEDIA_FAILED, nothing
    placed, no thread left."""
    script = """
import importlib.abc, sys, threading
class NoAiortc(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"aiortc", "av"}:
            raise ImportError(f"{name} is not installed here")
sys.meta_path.insert(0, NoAiortc())
from assist.engine import CallEngine
from assist.frames import PushedFrames
from tests.assist.engine_unit_helpers import Placing
events = []
signalling = Placing()
engine = CallEngine(signalling, PushedFrames(), events.append)
engine.start("zh", None, None, ())
assert engine.join(10)
print([type(e).__name__ + ":" + e.reason.value for e in events], signalling.placed,
      [t.name for t in threading.enumerate()])
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['Ended:media_failed'] 0 ['MainThread']"


def test_stats_start_empty() -> None:
    """Before a call: nothing answered, connected, sent or received."""
    stats = CallEngine(DirectSignalling(None), PushedFrames(), Events()).stats()
    assert (stats.answered, stats.connected, stats.frames_sent, stats.frames_received,
            stats.messages_received, stats.answer_to_first_frame_s) == \
        (False, False, 0, 0, (), None)


def test_join_from_the_observer_does_not_deadlock() -> None:
    """An observer that joins the engine on Ended (its own thread) gets False at once
    instead of a RuntimeError or a hang; join from elsewhere then returns True."""
    answers: list[bool] = []
    holder: list[CallEngine] = []

    def observer(event: CallEvent) -> None:
        if isinstance(event, Ended):
            answers.append(holder[0].join(5))

    engine = CallEngine(DirectSignalling(None, fail_place=EndReason.NO_CLERKS),
                        PushedFrames(), observer)
    holder.append(engine)
    engine.start("zh", None, None, ())
    assert engine.join(20)
    assert answers == [False]
