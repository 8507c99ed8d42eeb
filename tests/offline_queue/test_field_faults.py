"""The outbox's field-fault campaign (issue #14): each fault caused for real, through the real
command line, the real sync engine and worker, and the real sandbox on 127.0.0.1.

For each fault the test checks the three promises: nothing lost, nothing sent twice, and
the fault visible to a person with what to do. The sandbox's own faults are in
tests/central/test_field_faults.py, configuration and HTTP client faults in
tests/kiosk/test_config_faults.py and tests/offline_queue/test_tls.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from offline_queue import Outbox, State
from offline_queue.events import ItemChanged, OutboxEvent, Progress, RunState
from offline_queue.location import open_terminal_outbox, outbox_dir
from tests.conftest import REPO, run_kiosk
from tests.offline_queue.conftest import (
    ID_NUMBER,
    NAME,
    SIGNATURE,
    TIMEOUTS,
    copy_of,
    enrolled,
    platform_cases,
    valid_submission,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer


def _stats(data_dir: Path) -> dict[str, Any]:
    done = run_kiosk("queue", "stats", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    doc: dict[str, Any] = json.loads(done.stdout)
    return doc


def _queue(data_dir: Path, sandbox: SandboxServer, n: int) -> list[str]:
    """``n`` valid submissions queued where the application queues them."""
    template = valid_submission(sandbox)
    with open_terminal_outbox(data_dir) as box:
        return [box.enqueue(copy_of(template), [SIGNATURE]) for _ in range(n)]


def _write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _wait_until_in_flight(data_dir: Path, timeout_s: float = 30) -> None:
    """Until a sync has taken items and sent them (read-only: the writer is another
    process)."""
    import time

    deadline = time.monotonic() + timeout_s
    db = sqlite3.connect(f"file:{outbox_dir(data_dir) / 'outbox.db'}?mode=ro", uri=True)
    try:
        while db.execute("SELECT COUNT(*) FROM items WHERE state = 'in_flight'"
                         ).fetchone()[0] == 0:
            assert time.monotonic() < deadline, "the sync never took the items"
            time.sleep(0.02)
    finally:
        db.close()


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr


# -- one queue per terminal -----------------------------------------------------------------------
def test_cli_reads_the_queue_the_application_writes(data_dir: Path,
                                                    sandbox: SandboxServer) -> None:
    """What the application queued (in <data-dir>/outbox/) is what `kiosk queue stats`
    counts; before, the CLI opened <data-dir>/outbox.db and said "pending 0"."""
    _queue(data_dir, sandbox, 2)
    assert _stats(data_dir)["pending"] == 2
    assert not (data_dir / "outbox.db").exists()      # no second, empty queue appeared


def test_stray_queue_of_an_earlier_build_is_merged_once(
        data_dir: Path, sandbox: SandboxServer, caplog: pytest.LogCaptureFixture) -> None:
    """A queue left at <data-dir>/outbox.db by earlier builds is merged into the real one
    at start: its waiting items are delivered once, its delivered ones are not resent."""
    creds = enrolled(sandbox, data_dir)
    template = valid_submission(sandbox)
    with Outbox(data_dir) as stray:                  # where the old `kiosk queue` wrote
        stray_waiting = stray.enqueue(copy_of(template), [SIGNATURE])
        stray_sent = stray.enqueue(copy_of(template), [SIGNATURE])
    from offline_queue.sync import SyncEngine

    with Outbox(data_dir) as stray, SyncEngine(stray, creds, **TIMEOUTS) as engine:
        stray.store.make_due(0)
        # the first waits out a back-off; the second is delivered, as an old sync would have
        with stray.store.tx() as db:
            db.execute("UPDATE items SET state = 'retry_wait', next_attempt_at = 1e12 "
                       "WHERE id = ?", [stray_waiting])
        assert engine.sync_once().sent == 1
    real = _queue(data_dir, sandbox, 1)[0]
    stats = _stats(data_dir)
    assert (stats["pending"] + stats["retry_wait"], stats["sent"]) == (2, 1)
    assert not (data_dir / "outbox.db").exists() and not (data_dir / "blobs").exists()
    assert (data_dir / "keys" / "outbox.key").exists()   # the agent's vault uses that key
    assert [r.ctx["items"] for r in caplog.records  # type: ignore[attr-defined]
            if r.getMessage() == "outbox.stray_merged"] == [2]
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    cases = platform_cases(sandbox, creds.device_id)
    assert {sid: len(c) for sid, c in cases.items()} == {
        stray_waiting: 1, stray_sent: 1, real: 1}


# -- re-enrolment ----------------------------------------------------------------------------------
def test_reenrolment_resumes_a_paused_queue(data_dir: Path, sandbox: SandboxServer) -> None:
    """A revoked token pauses the queue; `kiosk enroll` with a new code resumes it and the
    next sync delivers what waited (before: "re-enrol" forever)."""
    from central import admin

    creds = enrolled(sandbox, data_dir)
    sids = _queue(data_dir, sandbox, 2)
    admin.revoke(sandbox.platform.settings.data_dir, creds.device_id)
    paused = run_kiosk("queue", "sync", data_dir=data_dir)
    assert paused.returncode == 3 and "kiosk enroll" in paused.stderr
    assert _stats(data_dir)["paused"] is True
    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")
    again = run_kiosk("enroll", "--platform", sandbox.url, "--code", code, "--kind", "kiosk",
                      data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "resumed" in again.stderr
    assert _stats(data_dir)["paused"] is False
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    assert done.returncode == 0 and "sent 2" in done.stderr, done.stderr
    new_device = json.loads((data_dir / "credentials.json").read_text())["device_id"]
    assert sorted(platform_cases(sandbox, new_device)) == sorted(sids)


def test_running_engine_picks_up_new_credentials(data_dir: Path,
                                                 sandbox: SandboxServer) -> None:
    """The application's engine, paused by a 401, resumes on its own once the terminal is
    enrolled again (technician console or CLI), without a restart."""
    from central import admin
    from offline_queue.sync import SyncEngine

    creds = enrolled(sandbox, data_dir)
    sid = _queue(data_dir, sandbox, 1)[0]
    with open_terminal_outbox(data_dir) as box, \
            SyncEngine(box, creds, credentials_dir=data_dir, **TIMEOUTS) as engine:
        admin.revoke(sandbox.platform.settings.data_dir, creds.device_id)
        assert engine.sync_once().stopped == "paused"
        fresh = enrolled(sandbox, data_dir)           # as the technician console does
        report = engine.sync_once()
        assert (report.stopped, report.sent) == (None, 1)
    assert list(platform_cases(sandbox, fresh.device_id)) == [sid]


# -- keys ------------------------------------------------------------------------------------------
def test_lost_key_is_refused_loudly_never_replaced(data_dir: Path,
                                                   sandbox: SandboxServer) -> None:
    """With the key gone and sealed items queued, every command refuses and says what to
    do; no new key is made (before: a new key, and nothing ever delivered)."""
    _queue(data_dir, sandbox, 1)
    key = outbox_dir(data_dir) / "keys" / "outbox.key"
    key.unlink()
    for args in (("queue", "stats"), ("queue", "sync")):
        done = run_kiosk(*args, data_dir=data_dir)
        assert done.returncode == 3, done.stderr
        assert "key" in done.stderr and "kiosk queue reset --i-understand" in done.stderr
        _no_traceback(done)
    assert not key.exists()


def test_wrong_key_is_refused(data_dir: Path, sandbox: SandboxServer) -> None:
    """Another terminal's key (a wrong backup restored) is refused, not used to fail later."""
    _queue(data_dir, sandbox, 1)
    key = outbox_dir(data_dir) / "keys" / "outbox.key"
    key.write_bytes(os.urandom(32))
    done = run_kiosk("queue", "stats", data_dir=data_dir)
    assert done.returncode == 3 and "does not match" in done.stderr, done.stderr
    _no_traceback(done)


# -- damaged records -------------------------------------------------------------------------------
def _flip_bit(data_dir: Path, sid: str) -> None:
    db = sqlite3.connect(outbox_dir(data_dir) / "outbox.db")
    with db:
        (payload,) = db.execute("SELECT payload FROM items WHERE id = ?", [sid]).fetchone()
        damaged = bytearray(payload)
        damaged[len(damaged) // 2] ^= 0x10
        db.execute("UPDATE items SET payload = ? WHERE id = ?", [bytes(damaged), sid])
    db.close()


def test_flipped_bit_makes_one_item_dead_and_the_rest_flow(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """One damaged record becomes dead with words a person understands; the others are
    delivered (before: the whole sync failed with an internal error)."""
    creds = enrolled(sandbox, data_dir)
    good_1, bad, good_2 = _queue(data_dir, sandbox, 3)
    _flip_bit(data_dir, bad)
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    _no_traceback(done)
    assert "sent 2" in done.stderr and "damaged 1" in done.stderr, done.stderr
    dead = run_kiosk("queue", "dead", data_dir=data_dir)
    assert bad in dead.stdout and "apply again" in dead.stdout
    assert sorted(platform_cases(sandbox, creds.device_id)) == sorted([good_1, good_2])
    assert _stats(data_dir)["in_flight"] == 0


def test_damaged_and_missing_attachments_make_their_items_dead(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """An attachment whose file is damaged, or gone, makes the items naming it dead; the
    others are delivered."""
    creds = enrolled(sandbox, data_dir)
    template = valid_submission(sandbox)
    other, missing = b"another scanned document", b"a third scanned document"
    with open_terminal_outbox(data_dir) as box:
        fine = box.enqueue(copy_of(template), [SIGNATURE])
        with_other = box.enqueue(_with_document(template, other), [SIGNATURE, other])
        with_missing = box.enqueue(_with_document(template, missing), [SIGNATURE, missing])
    blobs = outbox_dir(data_dir) / "blobs"
    import hashlib

    damaged_file = blobs / hashlib.sha256(other).hexdigest()
    damaged_file.write_bytes(damaged_file.read_bytes()[:-3] + b"xyz")
    (blobs / hashlib.sha256(missing).hexdigest()).unlink()
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    _no_traceback(done)
    assert "sent 1" in done.stderr and "damaged 2" in done.stderr, done.stderr
    assert list(platform_cases(sandbox, creds.device_id)) == [fine]
    dead = json.loads(run_kiosk("queue", "dead", "--json", data_dir=data_dir).stdout)
    reasons = {d["submission_id"]: d["reasons"]["code"] for d in dead["dead"]}
    assert reasons == {with_other: "damaged_on_terminal", with_missing: "damaged_on_terminal"}


def _with_document(template: dict[str, Any], content: bytes) -> dict[str, Any]:
    import hashlib

    doc = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
           "media_type": "image/jpeg", "role": "document"}
    return copy_of(template, attachments=[*template["attachments"], doc])


def test_running_worker_marks_a_damaged_item_and_never_strands_a_batch(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """In the running application (engine + worker thread): the damaged item is dead, the
    others sent, nothing stays in flight, and the run's end says so."""
    from offline_queue.sync import SyncEngine
    from offline_queue.worker import SyncWorker

    creds = enrolled(sandbox, data_dir)
    sids = _queue(data_dir, sandbox, 4)
    _flip_bit(data_dir, sids[1])
    events: list[OutboxEvent] = []
    done = threading.Event()
    with open_terminal_outbox(data_dir) as box:
        def listen(event: OutboxEvent) -> None:
            events.append(event)
            if isinstance(event, Progress) and event.state is not RunState.SYNCING:
                done.set()
        box.add_listener(listen)
        with SyncEngine(box, creds, **TIMEOUTS) as engine, SyncWorker(engine, interval_s=60):
            assert done.wait(20), events
        stats = box.stats()
    assert (stats["sent"], stats["dead"], stats["in_flight"], stats["damaged"]) == (3, 1, 0, 1)
    assert ItemChanged(sids[1], State.DEAD, "damaged_on_terminal") in events
    assert len(platform_cases(sandbox, creds.device_id)) == 3


# -- damaged database ------------------------------------------------------------------------------
def test_empty_database_file_is_refused_not_replaced(data_dir: Path,
                                                     sandbox: SandboxServer) -> None:
    """A queue database emptied to zero bytes is refused with what to do (before: "pending
    0", exit 0, the applications gone without a trace); `reset` without the flag refuses."""
    _queue(data_dir, sandbox, 2)
    db = outbox_dir(data_dir) / "outbox.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"")
    done = run_kiosk("queue", "stats", data_dir=data_dir)
    assert done.returncode == 3 and "kiosk queue reset --i-understand" in done.stderr
    _no_traceback(done)
    assert db.stat().st_size == 0
    refused = run_kiosk("queue", "reset", data_dir=data_dir)
    assert refused.returncode == 1 and "--i-understand" in refused.stderr


def test_garbage_database_is_refused(data_dir: Path, sandbox: SandboxServer) -> None:
    """A database file that is not SQLite any more is refused the same way."""
    _queue(data_dir, sandbox, 1)
    db = outbox_dir(data_dir) / "outbox.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(os.urandom(8192))
    done = run_kiosk("queue", "stats", data_dir=data_dir)
    assert done.returncode == 3 and "kiosk queue reset --i-understand" in done.stderr
    _no_traceback(done)


def test_deleted_database_with_its_key_left_is_refused(data_dir: Path,
                                                       sandbox: SandboxServer) -> None:
    """The database deleted while its key stays: a queue existed, so it is not silently
    started anew."""
    _queue(data_dir, sandbox, 1)
    for name in ("outbox.db", "outbox.db-wal", "outbox.db-shm"):
        (outbox_dir(data_dir) / name).unlink(missing_ok=True)
    done = run_kiosk("queue", "stats", data_dir=data_dir)
    assert done.returncode == 3 and "missing" in done.stderr, done.stderr


def test_reset_moves_the_lost_queue_aside_and_the_platform_learns_the_ids(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """After a lost key, `reset --i-understand` keeps the old files aside with a record of
    what was lost, starts an empty queue, and the heartbeat reports the lost ids so the
    tracking page tells the citizen to apply again."""
    enrolled(sandbox, data_dir)
    sids = _queue(data_dir, sandbox, 2)
    (outbox_dir(data_dir) / "keys" / "outbox.key").unlink()
    done = run_kiosk("queue", "reset", "--i-understand", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    aside = [p for p in data_dir.iterdir() if p.name.startswith("outbox.lost-")]
    assert len(aside) == 1 and (aside[0] / "outbox.db").exists()
    record = json.loads((aside[0] / "lost.json").read_text())
    assert sorted(i["submission_id"] for i in record["items"]) == sorted(sids)
    assert NAME not in json.dumps(record, ensure_ascii=False) and ID_NUMBER not in str(record)
    stats = _stats(data_dir)
    assert (stats["pending"], stats["damaged"]) == (0, 2)
    from kiosk.fleet import DeviceStates, HeartbeatSender

    with open_terminal_outbox(data_dir) as box:
        sender = HeartbeatSender(box, data_dir, app_version="0.1.0", devices=DeviceStates())
        assert sorted(sender.body()["queue"]["damaged_ids"]) == sorted(sids)
        assert sender.send_once().ok
    track = httpx.get(f"{sandbox.url}/v1/track/{sids[0]}").json()
    assert track["status"] == "damaged_on_terminal"


# -- the sync path's own faults --------------------------------------------------------------------
def test_full_disk_while_recording_answers_loses_nothing(
        sandbox: SandboxServer, tmp_path: Path) -> None:
    """The disk fills while the answers are recorded: the command says the disk is full,
    nothing stays in flight, and once space is freed each item is at the platform once."""
    from tests.offline_queue.test_disk import _need_root

    _need_root("a full disk while syncing")
    point = tmp_path / "fs"
    point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(point)],
                   check=True, capture_output=True)
    try:
        data_dir = point / "data"
        data_dir.mkdir(mode=0o700)
        creds = enrolled(sandbox, data_dir)
        sids = _queue(data_dir, sandbox, 5)
        ballast = point / "ballast"
        # The platform takes its time, so the disk can fill while the batch is out.
        sandbox.platform.processing_delay_s = 0.5
        sync = subprocess.Popen([sys.executable, "-m", "kiosk.cli.main", "queue", "sync",
                                 "--data-dir", str(data_dir)], cwd=REPO,
                                stderr=subprocess.PIPE, text=True)
        _wait_until_in_flight(data_dir)
        fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
        try:                                     # fill every free byte
            while os.write(fd, os.urandom(4096)):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        _, stderr = sync.communicate(timeout=60)
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        assert sync.returncode == 3 and "disk is full" in stderr.lower(), stderr
        assert "nothing queued is lost" in stderr, stderr
        ballast.unlink()
        stats = _stats(data_dir)
        assert stats["in_flight"] == 0 and stats["pending"] + stats["sent"] == 5
        again = run_kiosk("queue", "sync", data_dir=data_dir)
        assert again.returncode == 0, again.stderr
        cases = platform_cases(sandbox, creds.device_id)
        assert {sid: len(c) for sid, c in cases.items()} == dict.fromkeys(sids, 1)
    finally:
        subprocess.run(["umount", str(point)], check=False, capture_output=True)


@pytest.mark.parametrize(("change", "named"), [
    ({"form": {"amount": float("nan")}}, "NaN is not a JSON value"),
    ({"form": {"amount": float("inf")}}, "Infinity is not a JSON value"),
    ({"submission_id": "00000000-0000-0000-0000-000000000000"}, "submission_id"),
    ({"submission_id": "{0F3C1A5E-7C2B-4D1E-9A3B-2C4D5E6F7A8B}"}, "submission_id"),
    ({"submission_id": "0F3C1A5E-7C2B-4D1E-9A3B-2C4D5E6F7A8B"}, "submission_id"),
])
def test_enqueue_refuses_values_that_are_not_canonical(
        data_dir: Path, tmp_path: Path, change: dict[str, Any], named: str) -> None:
    """NaN/inf in the form and ids that are not canonical lower-case UUIDs are refused with
    exit 1 and the field named (before: queued)."""
    from tests.offline_queue.conftest import make_submission

    path = tmp_path / "sub.json"
    # json.dumps writes NaN/Infinity, as a careless tool would
    path.write_text(json.dumps(make_submission(**change)), encoding="utf-8")
    done = run_kiosk("queue", "enqueue", "--submission", str(path), "--attach",
                     str(_write_sig(tmp_path)), data_dir=data_dir)
    assert done.returncode == 1 and named in done.stderr, done.stderr
    _no_traceback(done)


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("value", [float("nan"), float("-inf"), _nested(40)])
def test_outbox_refuses_what_is_not_finite_json(data_dir: Path, value: Any) -> None:
    """Code that embeds the queue gets the same refusal, naming the field."""
    from offline_queue.errors import InvalidSubmissionError
    from tests.offline_queue.conftest import make_submission

    with open_terminal_outbox(data_dir) as box, pytest.raises(InvalidSubmissionError) as exc:
        box.enqueue(make_submission(form={"amount": value}), [SIGNATURE])
    assert "form" in exc.value.problems


def _write_sig(tmp_path: Path) -> Path:
    sig = tmp_path / "sig.png"
    sig.write_bytes(SIGNATURE)
    return sig


def test_enqueue_refuses_deeply_nested_json(data_dir: Path, tmp_path: Path) -> None:
    """JSON nested 100 000 deep is refused with a message (before: RecursionError)."""
    path = tmp_path / "deep.json"
    path.write_text('{"form": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    done = run_kiosk("queue", "enqueue", "--submission", str(path), data_dir=data_dir)
    assert done.returncode == 1 and "nested" in done.stderr, done.stderr
    _no_traceback(done)
    from tests.offline_queue.conftest import make_submission

    moderately = make_submission(form={"a": _nested(40)})
    path.write_text(json.dumps(moderately), encoding="utf-8")
    done = run_kiosk("queue", "enqueue", "--submission", str(path), "--attach",
                     str(_write_sig(tmp_path)), data_dir=data_dir)
    assert done.returncode == 1 and "nested" in done.stderr, done.stderr


def test_kiosk_run_refuses_a_queue_with_a_lost_key_and_the_fleet_sees_it(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """The real `kiosk run` (citizen mode, as the systemd unit starts it) with the key gone:
    it says what to do, exits with the status the unit does not restart (no restart loop
    and no new key), and its last heartbeat shows the operators the damaged ids."""
    from kiosk.systemd import QUEUE_REFUSED_EXIT_STATUS

    creds = enrolled(sandbox, data_dir)
    sids = _queue(data_dir, sandbox, 2)
    key = outbox_dir(data_dir) / "keys" / "outbox.key"
    key.unlink()
    done = subprocess.run([sys.executable, "-m", "kiosk.cli.main", "run", "--data-dir",
                           str(data_dir)], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == QUEUE_REFUSED_EXIT_STATUS, done.stderr
    assert "kiosk queue reset --i-understand" in done.stderr
    _no_traceback(done)
    assert not key.exists()
    from central import admin

    fleet = {t["device_id"]: t for t in admin.fleet(sandbox.platform.settings.data_dir)}
    assert fleet[creds.device_id]["damaged"] == 2
    for sid in sids:
        track = httpx.get(f"{sandbox.url}/v1/track/{sid}").json()
        assert track["status"] == "damaged_on_terminal"


def test_sync_until_empty_does_not_leave_a_waiting_person_to_a_long_back_off(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """Items that failed many times have back-offs of minutes; with half the requests
    failing, `sync --until-empty` still delivers within seconds (between runs it waits at
    most a few seconds), and each item once. Before: it slept out the back-off, past the
    30 s a technician waits here."""
    from tests.offline_queue.conftest import faults

    creds = enrolled(sandbox, data_dir)
    sids = _queue(data_dir, sandbox, 3)
    with open_terminal_outbox(data_dir) as box, box.store.tx() as db:
        db.execute("UPDATE items SET attempts = 20")      # failing for a long time already
    faults(sandbox, error_500=0.5, seed=7, routes=["/v1/submissions:batch",
                                                   "/v1/submissions"])
    done = run_kiosk("queue", "sync", "--until-empty", "--max-seconds", "30",
                     data_dir=data_dir, timeout=60)
    assert done.returncode == 0, done.stderr
    cases = platform_cases(sandbox, creds.device_id)
    assert {sid: len(c) for sid, c in cases.items()} == dict.fromkeys(sids, 1)


def test_an_item_found_damaged_stays_dead_when_the_rest_of_its_batch_fails(
        data_dir: Path, sandbox: SandboxServer) -> None:
    """The platform refuses the batch (500) right after one item's attachment was found
    missing: the others wait to be retried, the damaged one stays dead."""
    import hashlib

    from tests.offline_queue.conftest import faults

    enrolled(sandbox, data_dir)
    template = valid_submission(sandbox)
    missing = b"a scan whose file is gone"
    with open_terminal_outbox(data_dir) as box:
        fine = [box.enqueue(copy_of(template), [SIGNATURE]) for _ in range(2)]
        gone = box.enqueue(_with_document(template, missing), [SIGNATURE, missing])
    (outbox_dir(data_dir) / "blobs" / hashlib.sha256(missing).hexdigest()).unlink()
    faults(sandbox, error_500=1.0, routes=["/v1/submissions:batch", "/v1/submissions"])
    done = run_kiosk("queue", "sync", data_dir=data_dir)
    _no_traceback(done)
    assert "damaged 1" in done.stderr, done.stderr
    with open_terminal_outbox(data_dir) as box:
        assert box.get(gone)["state"] == "dead"
        assert [box.get(sid)["state"] for sid in fine] == ["retry_wait"] * 2
        assert box.stats()["damaged"] == 1
