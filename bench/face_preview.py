"""Does the face camera's preview keep its frame rate while a face check runs?

Synthetic 640 × 480 frames (the public-domain Grace Hopper portrait, warped to turn as the
screen asks: faces.synthetic) come from ``SyntheticFrames`` at 30 frames/s, a camera's rate,
through the very pipeline the screen uses (kiosk.ui.face_frames.FacePipeline) into the
screen's guide widget, which paints each one (``repaint``: the paint is part of the cost).
Measured in one run, in alternating windows so both see the same machine load:

* baseline: the preview alone, no check running;
* check: the same, while the pipeline sends every frame it can to the face engine (its own
  process, through the ``faces`` worker thread) and a new liveness capture starts whenever
  one finishes, so the engine is never idle.

Printed per window and as medians: preview frames/s and the longest gap between two
painted frames. Target: ≥ 15 frames/s during the check.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/face_preview.py [--windows 4] [--seconds 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from faces import samples  # noqa: E402
from faces.synthetic import SyntheticCamera  # noqa: E402
from faces.worker import FaceWorker  # noqa: E402
from kiosk.flows.face_capture import LivenessCapture  # noqa: E402
from kiosk.ui.bridges.invoker import GuiInvoker, Worker  # noqa: E402
from kiosk.ui.face_drawing import GuideView  # noqa: E402
from kiosk.ui.face_frames import FacePipeline, SyntheticFrames  # noqa: E402

TARGET_FPS = 15.0


class Meter:
    def __init__(self, guide: GuideView) -> None:
        self.guide = guide
        self.times: list[float] = []

    def __call__(self, image: QImage) -> None:
        self.guide.show_frame(image)
        self.guide.repaint()                  # paint now: the preview's whole cost
        self.times.append(time.perf_counter())

    def window(self) -> tuple[float, float]:
        t = self.times
        gaps = [b - a for a, b in itertools.pairwise(t)]
        fps = (len(t) - 1) / (t[-1] - t[0]) if len(t) > 1 else 0.0
        return fps, max(gaps) * 1000 if gaps else 0.0


def spin(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=4, help="windows of each kind")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of a window")
    args = parser.parse_args()
    if not samples.GRACE_HOPPER.installed():
        print("needs matplotlib's sample portrait (pip install -e '.[dev]')")
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    invoker = GuiInvoker()
    thread = Worker("faces", invoker)
    engine = FaceWorker()
    engine.start()
    print(f"engine ready (threshold {engine.threshold:.4f})")
    guide = GuideView()
    guide.resize(900, 520)
    guide.show()
    source = SyntheticFrames(SyntheticCamera(samples.GRACE_HOPPER.read()), fps=30)
    pipeline = FacePipeline(source, lambda: engine, thread)
    meter = Meter(guide)
    pipeline.preview.connect(meter)
    captures = [0]

    def keep_capturing(stage: object) -> None:
        run = pipeline.run
        if run is not None:
            source.act(stage, str(run.challenge))   # type: ignore[arg-type]

    def again(_capture: object) -> None:
        captures[0] += 1
        pipeline.capture(LivenessCapture())

    pipeline.stage.connect(keep_capturing)
    pipeline.captured.connect(again)
    pipeline.start()
    spin(1.0)                                   # warm up: the first frames, the caches
    results: dict[str, list[tuple[float, float]]] = {"baseline": [], "check": []}
    judged: list[float] = []
    for _ in range(args.windows):
        for kind in ("baseline", "check"):
            if kind == "check":
                pipeline.capture(LivenessCapture())
            before = pipeline.frames_judged
            meter.times = []
            spin(args.seconds)
            results[kind].append(meter.window())
            if kind == "check":
                judged.append((pipeline.frames_judged - before) / args.seconds)
                pipeline.run = None               # stop judging for the next baseline
                spin(0.5)                         # let the frame in flight come back
            fps, gap = results[kind][-1]
            print(f"{kind:9s} {fps:5.1f} frames/s, longest gap {gap:6.1f} ms")
    pipeline.stop()
    engine.close()
    thread.close()
    print()
    for kind, rows in results.items():
        fps = statistics.median(r[0] for r in rows)
        gap = statistics.median(r[1] for r in rows)
        print(f"median {kind:9s} {fps:5.1f} frames/s, longest gap {gap:6.1f} ms")
    print(f"frames judged during the check: {statistics.median(judged):.1f}/s; "
          f"captures completed: {captures[0]}")
    check_fps = statistics.median(r[0] for r in results["check"])
    verdict = "meets" if check_fps >= TARGET_FPS else "MISSES"
    print(f"preview during the check {check_fps:.1f} frames/s {verdict} the target "
          f"(≥ {TARGET_FPS:.0f})")
    del app
    return 0 if check_fps >= TARGET_FPS else 1


if __name__ == "__main__":
    sys.exit(main())
