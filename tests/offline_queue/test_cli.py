"""The `kiosk queue` and `kiosk enroll` commands through the real command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from tests.conftest import run_kiosk
from tests.offline_queue.conftest import ID_NUMBER, SIGNATURE, make_submission

if TYPE_CHECKING:
    from central.platform import SandboxServer


def test_enqueue_then_stats_json(data_dir: Path, tmp_path: Path) -> None:
    """`queue enqueue` prints the id and `queue stats --json` counts it pending."""
    sub, sig = tmp_path / "sub.json", tmp_path / "sig.png"
    body = make_submission()
    del body["submission_id"]
    sub.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    sig.write_bytes(SIGNATURE)
    done = run_kiosk("queue", "enqueue", "--submission", str(sub), "--attach", str(sig),
                     data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip()) == 36
    stats = run_kiosk("queue", "stats", "--json", data_dir=data_dir)
    doc = json.loads(stats.stdout)
    assert doc["pending"] == 1 and doc["paused"] is False
    assert ID_NUMBER not in stats.stdout + stats.stderr


def test_enqueue_bad_shape_exits_1(data_dir: Path, tmp_path: Path) -> None:
    """A malformed submission is refused with exit 1 and the field named."""
    sub = tmp_path / "sub.json"
    sub.write_text(json.dumps({"item_code": "X"}), encoding="utf-8")
    done = run_kiosk("queue", "enqueue", "--submission", str(sub), data_dir=data_dir)
    assert done.returncode == 1 and "applicant" in done.stderr
    assert "Traceback" not in done.stderr


def test_dead_empty_exits_2_and_sync_unenrolled_exits_3(data_dir: Path) -> None:
    """No dead items is exit 2; syncing without enrolment says to enrol, exit 3."""
    assert run_kiosk("queue", "dead", "--json", data_dir=data_dir).returncode == 2
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    assert done.returncode == 3 and "kiosk enroll" in done.stderr


def test_enroll_refuses_plain_http_remote(data_dir: Path) -> None:
    """A plain http:// platform URL on a non-loopback host is refused with exit 1."""
    done = run_kiosk("enroll", "--platform", "http://example.com", "--code", "x",
                     "--kind", "kiosk", data_dir=data_dir)
    assert done.returncode == 1 and "https" in done.stderr


def test_dead_lists_open_ones_and_dismiss_resolves(data_dir: Path) -> None:
    """`queue dead` shows rejected items with reasons until `queue dismiss`; `--all` keeps them."""
    from offline_queue import State
    from offline_queue.location import open_terminal_outbox
    from offline_queue.store import DeliveryOutcome

    with open_terminal_outbox(data_dir) as box:
        sid = box.enqueue(make_submission(), [SIGNATURE])
        box.store.record([DeliveryOutcome(sid, State.DEAD, 422, "422 validation", reasons={
            "fields": {"reason": {"zh": "太短", "en": "too short"}}})], 1.0)
    listed = run_kiosk("queue", "dead", data_dir=data_dir)
    assert listed.returncode == 0 and sid in listed.stdout and "too short" in listed.stdout
    assert run_kiosk("queue", "dismiss", sid, data_dir=data_dir).returncode == 0
    assert run_kiosk("queue", "dead", data_dir=data_dir).returncode == 2
    kept = json.loads(run_kiosk("queue", "dead", "--all", "--json", data_dir=data_dir).stdout)
    assert kept["dead"][0]["reasons"]["fields"]["reason"]["zh"] == "太短"


def test_sync_sends_items_in_back_off_and_holds_agent_items(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """`queue sync` is a person asking for delivery now: an item in back-off is sent at
    once, while an agent item (no agent signed in here) is held, not rejected."""
    from offline_queue import State
    from offline_queue.location import open_terminal_outbox
    from offline_queue.store import DeliveryOutcome
    from tests.offline_queue.conftest import copy_of, enrolled, valid_submission

    enrolled(sandbox, data_dir)
    template = valid_submission(sandbox)
    with open_terminal_outbox(data_dir) as box:
        waiting = box.enqueue(copy_of(template), [SIGNATURE])
        box.store.record([DeliveryOutcome(waiting, State.RETRY_WAIT, 503, "503", delay_s=3600)],
                         box.clock())
        agent = box.enqueue(copy_of(template, channel="agent", agent={"agent_id": "a-1"}),
                            [SIGNATURE])
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "sent 1" in done.stderr and "held 1" in done.stderr
    with open_terminal_outbox(data_dir) as box:
        assert box.get(waiting)["state"] == State.SENT
        held = box.get(agent)
        assert (held["state"], held["attempts"]) == (State.PENDING, 0)
