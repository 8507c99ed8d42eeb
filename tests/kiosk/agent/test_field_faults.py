"""Issue #14 on the agent's terminal: offline sign-in goes through the same guarded lock-out
as the technician's gate, so parallel wrong PINs get no extra tries."""

from __future__ import annotations

import threading
from collections import Counter

from kiosk.agent.errors import LockedOut, SignInRefused
from kiosk.agent.signin import AgentAuth
from tests.kiosk.agent.conftest import PIN, Terminal


def outcome(auth: AgentAuth, number: str, pin: str) -> str:
    """One sign-in: ``left N`` for a refused PIN with N tries left, locked, or signed in."""
    try:
        auth.sign_in(number, pin)
    except SignInRefused as refused:
        return f"left {refused.attempts_left}"
    except LockedOut:
        return "locked"
    except Exception as exc:        # reported by the test, not swallowed
        return f"error: {type(exc).__name__}: {exc}"
    return "signed in"


def test_parallel_wrong_offline_pins_get_no_extra_tries(terminal: Terminal) -> None:
    """12 wrong PINs at once, offline: each refusal counts down from the one before (4, 3,
    2, 1, then locked), and the right PIN afterwards is refused while the lock lasts."""
    terminal.auth().sign_in(terminal.agent_number, PIN)     # online once: the hash is kept
    terminal.line.down()
    auth = terminal.auth()
    barrier = threading.Barrier(12)
    seen: list[str] = []
    lock = threading.Lock()

    def guess() -> None:
        barrier.wait()
        result = outcome(auth, terminal.agent_number, "000000")
        with lock:
            seen.append(result)

    threads = [threading.Thread(target=guess, name=f"guess-{i}") for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    counts = Counter(seen)
    assert counts == Counter({"left 4": 1, "left 3": 1, "left 2": 1, "left 1": 1,
                              "locked": 8}), counts
    assert outcome(terminal.auth(), terminal.agent_number, PIN) == "locked"
