"""The outbox's store: durability, encryption, migrations, states, purge and disk errors."""

from __future__ import annotations

import os
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest

from civic.submission import uuid7
from offline_queue import Outbox, State
from offline_queue.dbfile import DB_NAME
from offline_queue.errors import (
    AlreadyReplacedError,
    DiskFullError,
    InvalidSubmissionError,
    KeyPermissionError,
    NotDeadError,
    ReadOnlyError,
    SchemaTooNewError,
)
from offline_queue.events import ItemChanged, OutboxEvent
from offline_queue.schema import MIGRATIONS, SCHEMA_VERSION
from offline_queue.store import DeliveryOutcome
from tests.offline_queue.conftest import ADDRESS, ID_NUMBER, NAME, SIGNATURE, make_submission


def test_enqueue_then_reopen_keeps_item_pending(data_dir: Path, submission: dict[str, Any]) -> None:
    """An enqueued item is found pending, with a local receipt, after the outbox is reopened."""
    with Outbox(data_dir) as box:
        sid = box.enqueue(submission, [SIGNATURE])
    with Outbox(data_dir) as box:
        item = box.get(sid)
        assert item["state"] == State.PENDING
        assert item["local_receipt"].startswith("LR")
        assert box.stats()["pending"] == 1
        assert box.stats()["oldest_pending_at"] is not None


def test_enqueue_assigns_uuid7_when_absent(data_dir: Path) -> None:
    """A submission without an id gets a version-7 UUID."""
    sub = make_submission()
    del sub["submission_id"]
    with Outbox(data_dir) as box:
        sid = box.enqueue(sub, [SIGNATURE])
    assert uuid.UUID(sid).version == 7
    assert uuid7() > sid or uuid7()[:8] >= sid[:8]  # time-ordered prefix


def test_enqueue_refuses_bad_shape_and_missing_attachment(data_dir: Path) -> None:
    """A submission without applicant, or naming an attachment not given, is refused by field."""
    with Outbox(data_dir) as box:
        with pytest.raises(InvalidSubmissionError) as bad:
            box.enqueue(make_submission(applicant=None, channel="fax"), [SIGNATURE])
        assert {"applicant", "channel"} <= set(bad.value.problems)
        with pytest.raises(InvalidSubmissionError) as missing:
            box.enqueue(make_submission())
        assert "attachments" in missing.value.problems
        assert box.stats()["pending"] == 0


def test_in_flight_items_return_to_pending_at_open(data_dir: Path) -> None:
    """Items a dead process left in flight are pending again when the outbox opens."""
    with Outbox(data_dir) as box:
        sid = box.enqueue(make_submission(), [SIGNATURE])
        claimed = box.store.claim(10, now=10**10).items
        assert [c.id for c in claimed] == [sid]
        assert box.get(sid)["state"] == State.IN_FLIGHT
    with Outbox(data_dir) as box:
        assert box.get(sid)["state"] == State.PENDING


def test_personal_data_is_encrypted_but_states_queryable(data_dir: Path) -> None:
    """The raw database holds no name, ID number or address, yet states are plain SQL."""
    with Outbox(data_dir) as box:
        box.enqueue(make_submission(), [SIGNATURE])
    conn = sqlite3.connect(data_dir / DB_NAME)
    assert conn.execute("SELECT state FROM items").fetchall() == [("pending",)]
    conn.close()
    for path in data_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for secret in (NAME, ID_NUMBER, ADDRESS):
                for enc in ("utf-8", "utf-16-le", "gbk"):
                    assert secret.encode(enc) not in raw, (path, secret, enc)
            assert SIGNATURE not in raw


def test_ciphertext_moved_to_another_row_fails(data_dir: Path) -> None:
    """Associated data binds a sealed body to its row: a payload swapped into another row
    does not open there, so that item is dead as damaged (never sent as someone else's)."""
    with Outbox(data_dir) as box:
        a = box.enqueue(make_submission(), [SIGNATURE])
        b = box.enqueue(make_submission(), [SIGNATURE])
        with box.store.tx() as db:
            db.execute("UPDATE items SET payload = (SELECT payload FROM items WHERE id = ?) "
                       "WHERE id = ?", [a, b])
        claim = box.store.claim(10, now=10**10)
        assert ([c.id for c in claim.items], claim.damaged) == ([a], [b])
        assert box.get(b)["reasons"]["code"] == "damaged_on_terminal"


def test_key_readable_by_others_is_refused(data_dir: Path) -> None:
    """A key file with group/other permissions is refused with a message saying what to do."""
    with Outbox(data_dir):
        pass
    key = data_dir / "keys" / "outbox.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    os.chmod(key, 0o644)
    with pytest.raises(KeyPermissionError, match="chmod 600"):
        Outbox(data_dir).open()


def test_newer_schema_is_refused(data_dir: Path) -> None:
    """A database from a newer build is refused instead of being misread."""
    with Outbox(data_dir):
        pass
    conn = sqlite3.connect(data_dir / DB_NAME)
    conn.execute("UPDATE _schema SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer"):
        Outbox(data_dir).open()


def test_migrations_recorded_once(data_dir: Path) -> None:
    """Each migration is recorded, and reopening applies none twice."""
    for _ in range(2):
        with Outbox(data_dir):
            pass
    conn = sqlite3.connect(data_dir / DB_NAME)
    assert conn.execute("SELECT name FROM _migrations").fetchall() == [
        ("0001_initial",), ("0002_dead_resolution",), ("0003_sender",), ("0004_damage",)]
    assert conn.execute("SELECT version FROM _schema").fetchall() == [(SCHEMA_VERSION,)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_connection_keeps_a_small_page_cache(data_dir: Path) -> None:
    """The queue's connection caches 512 KiB of pages, not SQLite's 2 MiB (RSS on 24/7
    terminals), and still runs durable (WAL, synchronous=FULL)."""
    with Outbox(data_dir) as box:
        conn = box.store.db.conn
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -512
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL


def test_disk_full_refuses_and_keeps_earlier(data_dir: Path) -> None:
    """When SQLite reports SQLITE_FULL, enqueue says so and every earlier item survives."""
    with Outbox(data_dir, max_db_bytes=200_000) as box:
        kept = []
        with pytest.raises(DiskFullError, match="disk is full"):
            for _ in range(10_000):
                big = make_submission(form={"text": os.urandom(2000).hex()})
                kept.append(box.enqueue(big, [SIGNATURE]))
        assert len(kept) > 5
    with Outbox(data_dir) as box:
        assert [i["submission_id"] for i in box.items()] == kept


def test_read_only_database_refuses_and_keeps_earlier(data_dir: Path) -> None:
    """A read-only database turns into a clear error and loses nothing already queued."""
    with Outbox(data_dir) as box:
        sid = box.enqueue(make_submission(), [SIGNATURE])
        box.store.db.execute("PRAGMA query_only = ON")  # what a read-only mount reports
        with pytest.raises(ReadOnlyError, match="read-only"):
            box.enqueue(make_submission(), [SIGNATURE])
    with Outbox(data_dir) as box:
        assert [i["submission_id"] for i in box.items()] == [sid]


def test_retry_creates_replacing_submission(data_dir: Path) -> None:
    """Only a dead item can be retried, and the copy is a new id whose replaces names it."""
    with Outbox(data_dir) as box:
        sid = box.enqueue(make_submission(), [SIGNATURE])
        with pytest.raises(NotDeadError):
            box.retry(sid, make_submission())
        box.store.record([DeliveryOutcome(sid, State.DEAD, 422, "validation",
                                  reasons={"reason": {"zh": "太短", "en": "too short"}})], 1.0)
        assert box.items(State.DEAD)[0]["reasons"]["reason"]["en"] == "too short"
        new = box.retry(sid, make_submission())
        assert new != sid
        assert box.get(new)["replaces"] == sid


def test_purge_leaves_tombstone_with_case_number(data_dir: Path) -> None:
    """A delivered item older than the retention keeps only its id, state and case number."""
    now = [1_000_000.0]
    with Outbox(data_dir, retention_s=100, clock=lambda: now[0]) as box:
        sid = box.enqueue(make_submission(), [SIGNATURE])
        box.store.record([DeliveryOutcome(sid, State.SENT, 201, case_number="C-1")], now[0])
        now[0] += 101
        assert box.purge() == 1
        row = box.store.row(sid)
        assert row is not None and row["payload"] is None
        assert box.get(sid)["case_number"] == "C-1" and box.get(sid)["purged"]


def test_listener_hears_enqueue(data_dir: Path) -> None:
    """A registered listener is told about a new pending item."""
    events: list[OutboxEvent] = []
    with Outbox(data_dir) as box:
        box.add_listener(events.append)
        sid = box.enqueue(make_submission(), [SIGNATURE])
    assert ItemChanged(sid, State.PENDING) in events


def test_partial_blob_file_is_rewritten(data_dir: Path) -> None:
    """A blob file cut short (a crash or full disk in an older build) is rewritten, not trusted."""
    with Outbox(data_dir) as box:
        sha = box.store.blobs.put(SIGNATURE)
        path = data_dir / "blobs" / sha
        path.write_bytes(path.read_bytes()[:10])
        box.enqueue(make_submission(), [SIGNATURE])
        assert box.store.blobs.read(sha) == SIGNATURE


def test_version_1_database_is_migrated_keeping_items(data_dir: Path) -> None:
    """A database written by the first schema gains the new columns and keeps every item."""
    import sqlite_utils

    from offline_queue.crypto import load_or_create_key

    sealer = load_or_create_key(data_dir)
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.executescript(MIGRATIONS[0][1] + "; CREATE TABLE _migrations (name TEXT PRIMARY KEY, "
                       "applied_at REAL NOT NULL); CREATE TABLE _schema (version INTEGER);"
                       "INSERT INTO _migrations VALUES ('0001_initial', 0);"
                       "INSERT INTO _schema VALUES (1);")
    sid = str(uuid.uuid4())
    sqlite_utils.Database(conn)["items"].insert({
        "id": sid, "state": "dead", "enqueued_at": 1.0,
        "payload": sealer.seal(b"{}", f"item:{sid}")})
    conn.close()
    with Outbox(data_dir) as box:
        item = box.get(sid)
        assert item["state"] == State.DEAD and item["resolved_at"] is None
        assert box.stats()["dead_open"] == 1


def test_dead_reasons_stay_until_dealt_with(data_dir: Path) -> None:
    """A dead item keeps its reasons through purges and reopening; a correction resolves it
    in the same commit, a second correction of it is refused, a dismissal resolves too."""
    fields = {"reason": {"zh": "太短", "en": "too short"}}
    with Outbox(data_dir, retention_s=0) as box:
        first, second = (box.enqueue(make_submission(), [SIGNATURE]) for _ in range(2))
        box.store.record([DeliveryOutcome(s, State.DEAD, 422, "validation",
                                          reasons={"fields": fields})
                          for s in (first, second)], 1.0)
        box.purge()
        assert box.stats()["dead_open"] == 2
    with Outbox(data_dir, retention_s=0) as box:
        assert [d["submission_id"] for d in box.items(State.DEAD, open_only=True)] == [
            first, second]
        fixed = box.retry(first, make_submission())
        with pytest.raises(AlreadyReplacedError):
            box.retry(first, make_submission())
        box.dismiss(second)
        assert box.items(State.DEAD, open_only=True) == []
        assert box.stats()["dead_open"] == 0
        old = box.get(first)
        assert old["replaced_by"] == fixed and old["resolved_at"] is not None
        assert old["reasons"]["fields"] == fields          # still there for a person to read
        assert box.get(second)["reasons"]["fields"] == fields
        assert len(box.items(State.DEAD)) == 2


def test_items_pages_through_a_long_queue(data_dir: Path) -> None:
    """Listing reads the queue in pages, in order, and can resume after a given item."""
    with Outbox(data_dir) as box:
        ids = [box.enqueue(make_submission(), [SIGNATURE]) for _ in range(1203)]
        assert [i["submission_id"] for i in box.iter_items()] == ids
        page = box.items(limit=10, after=box.get(ids[99])["seq"])
        assert [i["submission_id"] for i in page] == ids[100:110]
        assert "payload" not in page[0] and "body" not in page[0]


def test_version_2_database_learns_each_items_sender(data_dir: Path) -> None:
    """Migrating a version-2 database reads each item's channel and agent from its sealed
    body, in the migration's transaction, so held agent items are told apart at once."""
    import json

    import sqlite_utils

    from offline_queue.crypto import load_or_create_key
    from offline_queue.senders import Sender

    sealer = load_or_create_key(data_dir)
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.executescript(MIGRATIONS[0][1] + ";" + MIGRATIONS[1][1] +
                       "; CREATE TABLE _migrations (name TEXT PRIMARY KEY, "
                       "applied_at REAL NOT NULL); CREATE TABLE _schema (version INTEGER);"
                       "INSERT INTO _migrations VALUES ('0001_initial', 0), "
                       "('0002_dead_resolution', 0); INSERT INTO _schema VALUES (2);")
    agent = make_submission(channel="agent", agent={"agent_id": "ag-7"})
    kiosk = make_submission()
    for sub in (agent, kiosk):
        sid = sub["submission_id"]
        sqlite_utils.Database(conn)["items"].insert({
            "id": sid, "state": "pending", "enqueued_at": 1.0,
            "payload": sealer.seal(json.dumps(sub).encode(), f"item:{sid}")})
    conn.close()
    with Outbox(data_dir) as box:
        assert box.store.senders() == {Sender("agent", "ag-7"): 1, Sender("kiosk"): 1}
        assert box.get(agent["submission_id"])["agent_id"] == "ag-7"


def test_body_gives_the_queued_submission(data_dir: Path, submission: dict[str, Any]) -> None:
    """``body`` decrypts a queued submission for the person correcting it; an unknown id
    is NotFoundError and a purged delivered item has no body left."""
    from offline_queue.errors import NotFoundError

    with Outbox(data_dir, retention_s=0) as box:
        sid = box.enqueue(submission, [SIGNATURE])
        body = box.body(sid)
        assert body is not None and body["applicant"]["id_number"] == ID_NUMBER
        assert body["local_receipt"] == box.get(sid)["local_receipt"]
        with pytest.raises(NotFoundError):
            box.body(str(uuid.uuid4()))
        box.store.record([DeliveryOutcome(sid, State.SENT, 201, case_number="C1")], 1.0)
        box.purge()
        assert box.body(sid) is None
