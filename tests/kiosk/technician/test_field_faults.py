"""Issue #14 on the terminal: parallel wrong technician PINs, from threads of one app or from
two processes over one data dir, get no more tries than the lock-out allows."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from civic.pin import hash_pin
from kiosk.agent.lockout import LockoutPolicy
from kiosk.agent.vault import Vault
from kiosk.technician.audit import AuditLog
from kiosk.technician.errors import AccessDenied
from kiosk.technician.gate import TechnicianGate
from tests.conftest import REPO
from tests.kiosk.technician.conftest import TECHNICIAN

PIN, WRONG = "24680135", "11111111"
POLICY = LockoutPolicy(max_failures=5, lock_s=600)


def outcome(gate: TechnicianGate, pin: str) -> str:
    """What one try at the gate came to: entered, wrong (evaluated), locked, or an error."""
    try:
        gate.enter(TECHNICIAN, pin)
    except AccessDenied as denied:
        return "wrong" if denied.en == "Wrong technician PIN." else "locked"
    except Exception as exc:        # reported by the test, not swallowed
        return f"error: {type(exc).__name__}: {exc}"
    return "entered"


def guesses_on_threads(gate: TechnicianGate, count: int) -> list[str]:
    barrier = threading.Barrier(count)
    results: list[str] = []
    lock = threading.Lock()

    def guess() -> None:
        barrier.wait()
        result = outcome(gate, WRONG)
        with lock:
            results.append(result)

    threads = [threading.Thread(target=guess, name=f"guess-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_parallel_wrong_pins_on_threads_get_no_extra_tries(data_dir: Path) -> None:
    """16 wrong PINs at once on one gate: at most 5 are evaluated, the rest find it locked,
    none fails, and the right PIN afterwards is refused while the lock lasts."""
    stored = hash_pin(PIN)
    gate = TechnicianGate(Vault(data_dir), AuditLog(data_dir), lambda: stored, policy=POLICY)
    seen = Counter(guesses_on_threads(gate, 16))
    assert set(seen) <= {"wrong", "locked"}, seen
    assert 1 <= seen["wrong"] <= POLICY.max_failures, f"{seen['wrong']} of 16 evaluated: {seen}"
    assert outcome(gate, PIN) == "locked"


CHILD = """
import json, sys, threading, time
from pathlib import Path
from kiosk.agent.lockout import LockoutPolicy
from kiosk.agent.vault import Vault
from kiosk.technician.audit import AuditLog
from kiosk.technician.gate import TechnicianGate
from tests.kiosk.technician.test_field_faults import WRONG, guesses_on_threads

data_dir, stored, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
gate = TechnicianGate(Vault(data_dir), AuditLog(data_dir), lambda: stored,
                      policy=LockoutPolicy(max_failures=5, lock_s=600))
print("ready", flush=True)
while not go.exists():
    time.sleep(0.002)
print(json.dumps(guesses_on_threads(gate, int(sys.argv[4]))), flush=True)
"""


@pytest.mark.slow
def test_parallel_wrong_pins_from_two_processes_get_no_extra_tries(data_dir: Path) -> None:
    """Two processes over one data dir (the app and a second copy of it), 6 threads each,
    guessing at once: still at most 5 evaluated in all, and the right PIN is then refused."""
    stored = hash_pin(PIN)
    Vault(data_dir)                                  # the terminal key exists before they start
    go = data_dir.parent / "go"
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), stored, str(go),
                                  "6"], cwd=REPO, stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        go.touch()
        results = [json.loads(child.communicate(timeout=60)[0]) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    seen = Counter(r for each in results for r in each)
    assert set(seen) <= {"wrong", "locked"}, seen
    assert 1 <= seen["wrong"] <= POLICY.max_failures, f"{seen['wrong']} of 12 evaluated: {seen}"
    gate = TechnicianGate(Vault(data_dir), AuditLog(data_dir), lambda: stored, policy=POLICY)
    assert outcome(gate, PIN) == "locked"


def test_the_right_pin_still_enters_and_clears_the_count(data_dir: Path) -> None:
    """Serialising tries changes nothing for one technician: wrong, wrong, right enters, and
    the count starts again (four more wrong tries do not lock)."""
    stored = hash_pin(PIN)
    gate = TechnicianGate(Vault(data_dir), AuditLog(data_dir), lambda: stored, policy=POLICY,
                          clock=lambda: 1000.0)
    assert [outcome(gate, p) for p in (WRONG, WRONG, PIN)] == ["wrong", "wrong", "entered"]
    assert [outcome(gate, WRONG) for _ in range(4)] == ["wrong"] * 4
    assert outcome(gate, PIN) == "entered"


def test_time_spent_waiting_is_bounded(data_dir: Path) -> None:
    """A try waits for the others only as long as their PIN checks take (no lock is left
    held): ten serial tries after a parallel burst still answer promptly."""
    stored = hash_pin(PIN)
    gate = TechnicianGate(Vault(data_dir), AuditLog(data_dir), lambda: stored, policy=POLICY)
    guesses_on_threads(gate, 8)
    started = time.monotonic()
    assert all(outcome(gate, WRONG) == "locked" for _ in range(10))
    assert time.monotonic() - started < 5
