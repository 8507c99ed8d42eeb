"""Exactly-once under SIGKILL: a syncing child process is killed at random points, many times.

The sandbox is slowed down (each submission takes a while to process, some answers are
dropped after the platform committed) so that many kills land between the platform
recording a submission and the terminal recording the answer.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from offline_queue import Outbox, State
from offline_queue.retry import RetryPolicy
from offline_queue.sync import SyncEngine
from tests.offline_queue.conftest import (
    TIMEOUTS,
    counters,
    enrolled,
    faults,
    platform_cases,
    reset_counters,
    valid_submission,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer

CHILD = Path(__file__).with_name("crash_child.py")
REPO = Path(__file__).resolve().parents[2]
KILLS = 36


def drain(box: Outbox, engine: SyncEngine, deadline_s: float) -> None:
    """Sync until nothing deliverable is left (retry waits are short), or fail at the deadline."""
    deadline = time.monotonic() + deadline_s
    while box.store.next_due() is not None:
        assert time.monotonic() < deadline, box.stats()
        engine.sync_once()
        time.sleep(0.02)


def test_sigkill_at_random_points_loses_and_duplicates_nothing(
        sandbox: SandboxServer, data_dir: Path, tmp_path: Path) -> None:
    """After dozens of SIGKILLs mid-sync every submission is at the platform once, none pending."""
    creds = enrolled(sandbox, data_dir)
    template = tmp_path / "template.json"
    template.write_text(json.dumps(valid_submission(sandbox), ensure_ascii=False),
                        encoding="utf-8")
    reset_counters(sandbox)
    sandbox.platform.processing_delay_s = 0.06   # a batch of 10 takes 0.6 s to commit
    faults(sandbox, drop_after=0.15, seed=11,
           routes=["/v1/submissions:batch", "/v1/submissions"])
    rng = random.Random(5)
    reported: set[str] = set()
    landed = {"before_sync": 0, "syncing": 0, "drained": 0}
    for run in range(KILLS):
        out, err = tmp_path / f"child-{run}.out", tmp_path / f"child-{run}.err"
        with out.open("wb") as sink, err.open("wb") as errors:
            child = subprocess.Popen([sys.executable, str(CHILD), str(data_dir), str(template),
                                      str(rng.randint(0, 6)), str(run)],
                                     stdout=sink, stderr=errors, cwd=REPO)
            if run % 4 == 0:   # anywhere: start-up, opening, enqueueing, syncing
                time.sleep(rng.uniform(0.1, 0.9))
            else:              # somewhere in the sync, however slow the machine is today
                deadline = time.monotonic() + 15
                while b"syncing" not in out.read_bytes() and child.poll() is None:
                    assert time.monotonic() < deadline, "the child never started syncing"
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.3))
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
        assert "Traceback" not in err.read_text(), err.read_text()  # killed, never failed
        lines = out.read_text().split()
        reported.update(lines[i + 1] for i, word in enumerate(lines) if word == "enqueued")
        landed["drained" if "drained" in lines else
               "syncing" if "syncing" in lines else "before_sync"] += 1
    assert landed["syncing"] >= KILLS // 2, landed   # most kills hit a sync in progress

    # A final clean sync: faults off, the platform back to its normal speed.
    faults(sandbox)
    sandbox.platform.processing_delay_s = 0.0
    with Outbox(data_dir) as box:
        assert box.stats()["in_flight"] == 0       # returned to pending at open
        with SyncEngine(box, creds, policy=RetryPolicy(base_s=0.01, cap_s=0.1),
                        **TIMEOUTS) as engine:
            drain(box, engine, deadline_s=30)
        local = {i["submission_id"]: i for i in box.items()}
        stats = box.stats()
    assert reported <= set(local)                  # every enqueue that returned is durable
    assert stats["pending"] == stats["in_flight"] == stats["retry_wait"] == stats["dead"] == 0
    assert all(item["state"] == State.SENT for item in local.values())
    at_platform = platform_cases(sandbox, creds.device_id)
    assert set(at_platform) == set(local)
    assert all(len(cases) == 1 for cases in at_platform.values())
    assert {sid: cases[0] for sid, cases in at_platform.items()} == {
        sid: item["case_number"] for sid, item in local.items()}
    events = counters(sandbox)["events"]
    assert events["submissions_created"] == len(local)
    # The kills did hit the window between the platform's commit and ours: resends replayed.
    assert events.get("submissions_replayed", 0) > 0, events
