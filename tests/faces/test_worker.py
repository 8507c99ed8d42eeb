"""The engine in its own process: same answers as in-process, a killed or stuck process is
an error and a fresh one, never a hang, and the process dies with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from faces.dlib_engine import DlibEngine
from faces.engine import judge_frame
from faces.errors import EngineUnavailable, ImageUnreadable, WorkerCrashed, WorkerTimeout
from faces.frame import Frame
from faces.model import Verdict
from faces.worker import FaceWorker
from tests.conftest import REPO
from tests.faces import imagery


def busy_frame() -> Frame:
    """A big blank frame: nothing at single scale, so the detector searches it again at
    double scale (8000 × 6000 pixels), which keeps the process busy for seconds. Made per
    call, never kept in a module global: the UI tests' residue check, in the same process,
    fails on any live Frame."""
    return Frame(4000, 3000, bytes([90]) * 4000 * 3000 * 3)


@pytest.fixture
def worker() -> Iterator[FaceWorker]:
    with FaceWorker(timeout=60) as w:
        yield w


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return True
    return state in {"Z", "X"}      # a zombie has stopped running; its reaper is not us


def _cpu_ticks(pid: int) -> int:
    """CPU time the process has used, in clock ticks (utime + stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def _wait_until_working(pid: int) -> None:
    """Until the process has spent 0.2 s more CPU than now: it is inside a frame. Not a
    timing assertion: it only decides when to kill."""
    start = _cpu_ticks(pid)
    ticks = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + 60
    while _cpu_ticks(pid) - start < 0.2 * ticks:
        assert time.monotonic() < deadline, "the engine's process never started the frame"
        time.sleep(0.02)


def test_the_process_judges_as_the_engine_does(
        worker: FaceWorker, engine: DlibEngine, portraits: dict[str, Frame]) -> None:
    """A frame judged in the process gives the in-process verdict, box, landmarks and
    encoding; an image file's bytes are decoded there; similarity and threshold agree."""
    frame = next(iter(portraits.values()))
    remote, local = worker.judge(frame), judge_frame(engine, frame)
    assert remote == local
    assert remote.face is not None and remote.face.encoding is not None
    from_file = worker.judge_image(imagery.jpeg_bytes(frame, 95))
    assert from_file.verdict is Verdict.OK and from_file.face is not None
    assert from_file.face.encoding is not None
    assert worker.similarity(remote.face.encoding, from_file.face.encoding) >= worker.threshold
    assert worker.threshold == engine.threshold
    with pytest.raises(ImageUnreadable):
        worker.judge_image(b"not an image")
    assert worker.restarts == 0          # a refused request is an answer, not a crash


def test_a_process_killed_mid_request_is_an_error_then_a_fresh_process(
        worker: FaceWorker, portraits: dict[str, Frame]) -> None:
    """SIGKILL while the process works on a frame: that request raises WorkerCrashed
    naming the signal, a new process is running, and the next request is answered."""
    worker.judge(Frame(64, 64, bytes(64 * 64 * 3)))         # models loaded
    first = worker.pid
    assert first is not None
    errors: list[BaseException] = []

    def request() -> None:
        try:
            worker.judge(busy_frame())
        except BaseException as exc:  # handed to the test's thread to assert on
            errors.append(exc)

    requester = threading.Thread(target=request)
    requester.start()
    _wait_until_working(first)
    os.kill(first, signal.SIGKILL)
    requester.join(timeout=60)
    assert not requester.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], WorkerCrashed), errors
    assert "signal 9" in str(errors[0])
    assert worker.pid not in (None, first) and worker.restarts == 1
    judgement = worker.judge(next(iter(portraits.values())))
    assert judgement.verdict is Verdict.OK


def test_a_process_that_does_not_answer_in_time_is_killed_and_replaced() -> None:
    """A request past its time-out raises WorkerTimeout; the stuck process is gone and a
    new one answers."""
    with FaceWorker(timeout=0.2) as worker:
        worker.judge(Frame(64, 64, bytes(64 * 64 * 3)))      # loaded within start_timeout
        stuck = worker.pid
        assert stuck is not None
        with pytest.raises(WorkerTimeout):
            worker.judge(busy_frame())
        assert _gone(stuck) and worker.pid != stuck
        assert worker.judge(Frame(64, 64, bytes(64 * 64 * 3))).verdict is Verdict.NO_FACE


def test_an_engine_that_is_not_installed_is_engine_unavailable() -> None:
    """A configured engine that cannot be imported is EngineUnavailable, not a crash."""
    with FaceWorker(engine="faces.no_such_engine:Engine", timeout=5) as worker, \
            pytest.raises(EngineUnavailable, match="no_such_engine"):
        worker.judge(Frame(8, 8, bytes(8 * 8 * 3)))


_PARENT = textwrap.dedent("""
    import sys, time
    from faces.frame import Frame
    from faces.worker import FaceWorker
    worker = FaceWorker()
    worker.judge(Frame(64, 64, bytes(64 * 64 * 3)))
    print(worker.pid, flush=True)
    if sys.argv[1] == "busy":
        worker.judge(Frame(4000, 3000, bytes([90]) * 4000 * 3000 * 3))
    time.sleep(600)
""")


@pytest.mark.parametrize("while_", ["idle", "busy"])
def test_the_process_dies_with_its_parent(while_: str) -> None:
    """When the kiosk's process is killed (SIGKILL: no clean-up runs), its engine process
    ends too, whether it was waiting or in the middle of a frame."""
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, while_], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not _gone(child)
        if while_ == "busy":
            _wait_until_working(child)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 30
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(child)
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
