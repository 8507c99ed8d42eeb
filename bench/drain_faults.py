"""Drain under field faults: how long a technician's `kiosk queue sync --until-empty` takes
to deliver a queue that crashes and a platform that misbehaves have left behind.

    .venv/bin/python bench/drain_faults.py [--items 200] [--kills 12] [--runs 5]

Each run, on a busy machine (one CPU hog per core for the whole run) and against the
sandbox platform in a process of its own:

1. a freshly enrolled terminal queues ``--items`` submissions (the real outbox);
2. the sandbox's fault injection is set to 30 % of every request: connections dropped
   before and after the platform committed, 500, 503 and 429 with ``Retry-After``, bodies
   cut short;
3. ``--kills`` times a `kiosk queue sync --until-empty` process is started and SIGKILLed
   at a random moment (0.5 to 2 s in, while the platform processes a batch: it takes
   20 ms per submission, as a real platform takes its time);
4. timed: one `kiosk queue sync --until-empty` until it exits, with the faults still on;
5. checked: every item is at the platform exactly once, and none is left in the queue.

The baseline, measured in the same run on the same busy machine and platform: the same
number of items drained by the same command with no faults and no kills. Prints each run, then the
median of the timed drains against the median baseline. Target: the median drain under
60 s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.outbox import SIGNATURE, Sandbox, template  # noqa: E402
from central.platform import DB_FILE  # noqa: E402
from civic.submission import uuid7  # noqa: E402

try:
    from offline_queue.location import open_terminal_outbox
except ImportError:    # a build before issue #14 (for before/after figures): its CLI's queue
    from offline_queue import Outbox

    def open_terminal_outbox(data_dir: Path) -> Outbox:  # type: ignore[misc]
        return Outbox(data_dir)     # opened by `with` (its open() opens again otherwise)

#: 30 % of requests fail in one of the ways the field knows
FAULTS = {"drop_before": 0.06, "drop_after": 0.06, "error_500": 0.05, "error_503": 0.04,
          "error_429": 0.04, "truncate": 0.05, "retry_after_s": 1}
DRAIN_LIMIT_S = 300
#: when a syncing process is killed, in seconds after it started: on this busy machine the
#: command takes about half a second to start sending, so most kills land mid-delivery
KILL_AFTER_S = (0.5, 2.0)
#: how long the platform takes to process one submission: a batch of 100 takes 2 s, so a
#: kill lands while the platform holds a batch the terminal has not heard back about
PROCESSING_S = 0.02


def hog() -> None:
    """Keeps one core busy until killed."""
    while True:
        pass


def kiosk(*args: str, data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "kiosk.cli.main", *args, "--data-dir", str(data_dir)]


def queue_items(data_dir: Path, n: int, body: dict[str, object]) -> list[str]:
    with open_terminal_outbox(data_dir) as box:
        return [box.enqueue({**body, "submission_id": uuid7()}, [SIGNATURE]) for _ in range(n)]


def set_faults(sandbox: Sandbox, plan: dict[str, object]) -> None:
    answer = httpx.put(f"{sandbox.url}/v1/_sandbox/faults", json=plan, timeout=10)
    answer.raise_for_status()


def set_processing(sandbox: Sandbox, seconds: float) -> None:
    answer = httpx.put(f"{sandbox.url}/v1/_sandbox/processing", json={"delay_s": seconds},
                       timeout=10)
    answer.raise_for_status()


def timed_drain(data_dir: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(kiosk("queue", "sync", "--until-empty", "--max-seconds",
                                str(DRAIN_LIMIT_S), data_dir=data_dir),
                          cwd=REPO, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        print(f"   drain exited {done.returncode}: {done.stderr.strip()[-300:]}")
    return elapsed


def crash_syncs(data_dir: Path, kills: int, rng: random.Random) -> None:
    for _ in range(kills):
        proc = subprocess.Popen(kiosk("queue", "sync", "--until-empty", data_dir=data_dir),
                                cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=rng.uniform(KILL_AFTER_S[0], KILL_AFTER_S[1]))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()


def check_exactly_once(sandbox: Sandbox, device_id: str, sids: list[str],
                       data_dir: Path) -> str:
    db = sqlite3.connect(f"file:{sandbox.dir / 'central' / DB_FILE}?mode=ro", uri=True)
    try:
        counts = dict(db.execute("SELECT submission_id, COUNT(*) FROM submissions WHERE "
                                 "device_id = ? GROUP BY submission_id", [device_id]))
    finally:
        db.close()
    missing = [s for s in sids if s not in counts]
    twice = [s for s, n in counts.items() if n > 1]
    with open_terminal_outbox(data_dir) as box:
        stats = box.stats()
    left = stats["pending"] + stats["retry_wait"] + stats["in_flight"]
    return (f"missing {len(missing)}, sent twice {len(twice)}, left in the queue {left}, "
            f"dead {stats['dead']}")


def one_run(sandbox: Sandbox, root: Path, items: int, kills: int, seed: int,
            body: dict[str, object], extra: dict[str, object]) -> tuple[float, float]:
    rng = random.Random(seed)
    # baseline: the same drain, no faults, no kills
    clean = root / f"clean-{seed}"
    sandbox.enrol(clean)
    set_faults(sandbox, extra)
    queue_items(clean, items, body)
    baseline = timed_drain(clean)
    # under faults
    data_dir = root / f"faults-{seed}"
    creds = sandbox.enrol(data_dir)
    sids = queue_items(data_dir, items, body)
    set_faults(sandbox, {**FAULTS, **extra, "seed": seed})
    crash_syncs(data_dir, kills, rng)
    with open_terminal_outbox(data_dir) as box:
        stats = box.stats()
    waiting = stats["pending"] + stats["retry_wait"] + stats["in_flight"]
    drained = timed_drain(data_dir)
    set_faults(sandbox, {})
    print(f"run {seed}: baseline {baseline:5.1f} s; after {kills} kills, {waiting} items "
          f"waiting, drained under 30 % faults in {drained:5.1f} s ({drained / baseline:.1f}x); "
          f"{check_exactly_once(sandbox, creds.device_id, sids, data_dir)}", flush=True)
    return baseline, drained


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-batch", action="store_true",
                        help="the platform offers no batch endpoint: one request per item "
                             "(in the baseline too)")
    args = parser.parse_args()
    hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(os.cpu_count() or 2)]
    for h in hogs:
        h.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-drain-") as tmp:
            root = Path(tmp)
            sandbox = Sandbox(root)
            try:
                body = json.loads(json.dumps(template(), ensure_ascii=False))
                set_processing(sandbox, PROCESSING_S)
                extra = {"batch_disabled": True} if args.no_batch else {}
                results = [one_run(sandbox, root, args.items, args.kills, seed, body, extra)
                           for seed in range(1, args.runs + 1)]
            finally:
                sandbox.stop()
    finally:
        for h in hogs:
            h.kill()
    base = statistics.median(b for b, _ in results)
    drained = statistics.median(d for _, d in results)
    print(f"median of {args.runs}: baseline {base:.1f} s, drain after kills under faults "
          f"{drained:.1f} s = {drained / base:.1f}x the baseline (target: under 60 s)")


if __name__ == "__main__":
    main()
