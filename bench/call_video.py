"""Does the clerk's video reach the screen at ≥ 15 frames/s without holding the GUI thread?

640 × 480 RGB frames are made on a thread of their own at 30 frames/s (twice the rate a
clerk's browser sends), as the call engine's decoder hands them over, and go through the
bridge's real path (``kiosk.ui.bridges.assist.QtCall.observe``: the newest frame kept, one
paint queued at a time, ``qimage()``) into the call panel's ``VideoView``, painted at once.
In the same run, in alternating windows, the baseline: the same frames turned into a
pixmap and shown by a plain ``QLabel``, the simplest way Qt shows a picture.

Printed per window and as medians: frames painted per second, the GUI thread's time per
painted frame (conversion and paint), the ratio of ours to the baseline's, and the longest
a 10 ms timer on the GUI thread was late (what a citizen's tap would wait).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/call_video.py [--windows 4] [--seconds 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QImage, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from assist.events import RemoteFrame  # noqa: E402
from assist.frames import PushedFrames, RgbFrame, TestPattern  # noqa: E402
from kiosk.ui.bridges.assist import AssistBridge, QtCall, qimage  # noqa: E402
from kiosk.ui.bridges.invoker import GuiInvoker  # noqa: E402
from kiosk.ui.drawn_face import DrawnFaceFrames  # noqa: E402
from kiosk.ui.video_view import VideoView  # noqa: E402

TARGET_FPS = 15.0
SEND_FPS = 30.0


class NoEngine:
    """The call's engine is not what is measured here: nothing is sent."""

    def send(self, _message: object) -> None: ...

    def hang_up(self) -> None: ...


def spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


class Producer:
    """The decoder's side: a frame every 1/SEND_FPS s, handed to ``deliver``."""

    def __init__(self, frames: list[RgbFrame]) -> None:
        self.frames = frames
        self.deliver: Callable[[RgbFrame], None] = lambda _f: None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-decoder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(1 / SEND_FPS):
            self.deliver(self.frames[n % len(self.frames)])
            n += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class Lateness:
    """How late a 10 ms timer fires on the GUI thread."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self._last - 0.010) * 1000)
        self._last = now

    def reset(self) -> None:
        self.worst, self._last = 0.0, time.perf_counter()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=4, help="windows of each kind")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of a window")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    pattern = TestPattern()
    frames = [f for f in (pattern.latest() for _ in range(30)) if f is not None]
    invoker = GuiInvoker()
    bridge = AssistBridge(invoker, None, frames=DrawnFaceFrames)
    gui_s: list[float] = []
    painted: list[float] = []

    class TimedCall(QtCall):
        """The bridge's hand-over on the GUI thread, timed whole: frame → QImage → paint."""

        def _draw_remote(self) -> None:
            start = time.perf_counter()
            super()._draw_remote()
            gui_s.append(time.perf_counter() - start)
            painted.append(start)

    call = TimedCall(bridge, NoEngine(), DrawnFaceFrames(),  # type: ignore[arg-type]
                     PushedFrames(), lambda _event: None)
    view = VideoView()
    view.resize(408, 306)                       # the panel's size for it
    view.show()
    label = QLabel()
    label.resize(408, 306)
    label.show()
    def ours(image: QImage) -> None:
        view.set_image(image)
        view.repaint()                          # paint now: the paint is part of the cost

    bridge.media.remote.connect(ours)
    pending: list[RgbFrame | None] = [None]
    lock = threading.Lock()

    def plain_deliver(frame: RgbFrame) -> None:          # decoder thread
        with lock:
            queued, pending[0] = pending[0] is not None, frame
        if not queued:
            invoker.post(plain_paint)

    def plain_paint() -> None:
        start = time.perf_counter()
        with lock:
            frame, pending[0] = pending[0], None
        if frame is None:
            return
        label.setPixmap(QPixmap.fromImage(qimage(frame)).scaled(label.size()))
        label.repaint()
        gui_s.append(time.perf_counter() - start)
        painted.append(start)

    producer = Producer(frames)
    late = Lateness()
    results: dict[str, list[tuple[float, float, float]]] = {"baseline": [], "ours": []}
    for _ in range(args.windows):
        for kind in ("baseline", "ours"):
            producer.deliver = plain_deliver if kind == "baseline" else \
                (lambda frame: call.observe(RemoteFrame(frame)))
            spin(0.3)
            gui_s.clear()
            painted.clear()
            late.reset()
            spin(args.seconds)
            fps = (len(painted) - 1) / (painted[-1] - painted[0]) if len(painted) > 1 else 0.0
            per_frame = statistics.median(gui_s) * 1000 if gui_s else 0.0
            results[kind].append((fps, per_frame, late.worst))
            print(f"{kind:9s} {fps:5.1f} frames/s painted, GUI thread {per_frame:5.2f} ms a "
                  f"frame, a 10 ms timer at most {late.worst:5.1f} ms late")
    producer.stop()
    late.timer.stop()
    print()
    medians = {kind: tuple(statistics.median(r[i] for r in rows) for i in range(3))
               for kind, rows in results.items()}
    for kind, (fps, per_frame, worst) in medians.items():
        print(f"median {kind:9s} {fps:5.1f} frames/s, {per_frame:5.2f} ms a frame, "
              f"timer late ≤ {worst:5.1f} ms")
    ratio = medians["ours"][1] / medians["baseline"][1] if medians["baseline"][1] else 0.0
    print(f"GUI time a frame, ours / a plain QLabel: {ratio:.2f}")
    verdict = "meets" if medians["ours"][0] >= TARGET_FPS else "MISSES"
    print(f"the clerk's video painted at {medians['ours'][0]:.1f} frames/s {verdict} the "
          f"target (≥ {TARGET_FPS:.0f}); frames offered {SEND_FPS:.0f}/s")
    del app
    return 0 if medians["ours"][0] >= TARGET_FPS else 1


if __name__ == "__main__":
    sys.exit(main())
