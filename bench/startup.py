"""Cold start of citizen mode to an interactive first screen, against a bare PySide6 window.

Both are measured in the same run, the same way: wall-clock time from spawning a fresh
interpreter to the moment its event loop runs with the window shown (the child prints
"ready" from a zero-delay timer and quits), median of N runs, offscreen platform, no demo
servers. Target: kiosk ≤ 1.5 × bare window.

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
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("请将身份证放在读卡区"))
window.resize(1280, 800)
window.show()
def ready():
    print("ready in 0 ms", file=sys.stderr, flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

#: the application itself, without the ``kiosk`` command line's argument set-up (which
#: today imports every subcommand's modules, device emulators included)
APP_ONLY = """
import argparse, sys
from pathlib import Path
from kiosk.app import run
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
    with tempfile.TemporaryDirectory() as data:
        kiosk = [sys.executable, "-m", "kiosk.cli.main", "run", "--quit-after-ready",
                 "--data-dir", data]
        bare = [sys.executable, "-c", BARE]
        app = [sys.executable, "-c", APP_ONLY, data]
        for cmd in (kiosk, bare, app):          # warm the page cache once for each
            spawn(cmd, env)
        k, b, a = [], [], []
        for _ in range(args.runs):              # interleaved: same machine load for all
            b.append(spawn(bare, env))
            k.append(spawn(kiosk, env))
            a.append(spawn(app, env))
    bare_ms = statistics.median(b)
    for name, runs in (("bare PySide6 window", b), ("kiosk run (CLI)", k),
                       ("kiosk.app.run only", a)):
        ms = statistics.median(runs)
        print(f"{name:20s}: median {ms:6.0f} ms (min {min(runs):.0f}, max {max(runs):.0f})"
              f"  ratio {ms / bare_ms:.2f}")
    print("target: ratio <= 1.50")
    return 0


if __name__ == "__main__":
    sys.exit(main())
