"""Cold start of citizen mode to an interactive first screen, against a bare PySide6 window.

Both are measured in the same run, the same way: wall-clock time from spawning a fresh
interpreter to the moment its first window has been painted and its event loop is free
again (the child prints "ready" from a zero-delay timer queued by the first paint event,
then quits), median of N runs, offscreen platform, no demo servers. The kiosk runs as it
ships: the embedded virtual keyboard's input method on (``QT_IM_MODULE``), real
configuration and logging. Target: kiosk ≤ 1.5 × bare window.

Bytecode: this environment sets ``PYTHONDONTWRITEBYTECODE``, so our modules would be
compiled from source at every start while PySide6's come precompiled; an installed kiosk
has its ``.pyc`` files. The children therefore write and reuse bytecode under a temporary
``PYTHONPYCACHEPREFIX`` (filled by the warm-up run), never in the working tree.

    .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
label = QLabel("请将身份证放在读卡区")
window.setCentralWidget(label)
window.resize(1280, 800)
def ready():
    print("ready in 0 ms", file=sys.stderr, flush=True)
    app.quit()
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, ready)
        return False
first_paint = FirstPaint()
label.installEventFilter(first_paint)
if "--locked" in sys.argv:      # shown as citizen mode shows its window (kiosk.ui.lockdown)
    window.create()
    window.windowHandle().setProperty("flags",
                                      "Window|FramelessWindowHint|WindowStaysOnTopHint")
    window.showFullScreen()
else:
    window.show()
app.exec()
"""

#: the application itself, without the ``kiosk`` command line's argument parsing
APP_ONLY = """
import argparse, sys
from pathlib import Path
from kiosk.app.launch import run
sys.exit(run(argparse.Namespace(mode=None, demo=False, quit_after_ready=True,
                                data_dir=Path(sys.argv[1]))))
"""


def spawn(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env=env, cwd=REPO)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("ready in"):
            elapsed = time.perf_counter() - started
            break
    else:
        raise SystemExit(f"{cmd} never became ready (exit {proc.wait()})")
    proc.wait(timeout=30)
    return elapsed * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("QT_IM_MODULE", None)           # kiosk.app chooses its own input method
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as pyc:
        env["PYTHONPYCACHEPREFIX"] = pyc
        kiosk = [sys.executable, "-m", "kiosk.cli.main", "run", "--quit-after-ready",
                 "--data-dir", data]
        bare = [sys.executable, "-c", BARE]
        locked = [sys.executable, "-c", BARE, "--locked"]
        app = [sys.executable, "-c", APP_ONLY, data]
        rows: dict[str, list[float]] = {
            "bare PySide6 window": [], "bare, frameless full screen": [],
            "kiosk run (CLI)": [], "kiosk.app.run only": []}
        commands = dict(zip(rows, (bare, locked, kiosk, app), strict=True))
        for cmd in commands.values():           # warm the page and bytecode caches
            spawn(cmd, env)
        for _ in range(args.runs):              # interleaved: same machine load for all
            for name, cmd in commands.items():
                rows[name].append(spawn(cmd, env))
    bare_ms, bare_min = statistics.median(rows["bare PySide6 window"]), \
        min(rows["bare PySide6 window"])
    for name, runs in rows.items():
        ms = statistics.median(runs)
        print(f"{name:28s}: median {ms:6.0f} ms (min {min(runs):.0f}, max {max(runs):.0f})"
              f"  ratio {ms / bare_ms:.2f} (of minimums {min(runs) / bare_min:.2f})")
    # The machine may be shared: the ratio of minimums is the least disturbed by others'
    # load. The frameless full-screen bare window is for reference (what lockdown costs a
    # bare window); it gives its flags by name, as the kiosk does, since setting them with
    # Qt.WindowType makes PySide6 build the Python enums of the whole Qt namespace (~25 ms,
    # kiosk.ui.qt_names). The target is against the plain bare window.
    print("target: ratio <= 1.50")
    return 0


if __name__ == "__main__":
    sys.exit(main())
