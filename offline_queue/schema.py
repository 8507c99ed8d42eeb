"""The outbox database's schema: migrations recorded in the transaction that applies them.

A database whose ``_schema.version`` is newer than :data:`SCHEMA_VERSION` was written by a
newer build: it is refused rather than misread (a downgrade must not corrupt the queue).
A migration that must read sealed data (a backfill) gets a Python step from the store,
run after its SQL in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager

import sqlite_utils

from offline_queue.errors import SchemaTooNewError

SCHEMA_VERSION = 4

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", """
CREATE TABLE items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    local_receipt TEXT,
    enqueued_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    http_status INTEGER,
    case_number TEXT,
    platform_status TEXT,
    status_at TEXT,
    sent_at REAL,
    replaces TEXT,
    blobs TEXT NOT NULL DEFAULT '[]',
    payload BLOB,
    reasons BLOB,
    purged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX items_deliverable ON items (state, next_attempt_at, seq);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL,
    at REAL NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER,
    detail TEXT
);
CREATE TRIGGER attempts_append_only BEFORE UPDATE ON attempts
BEGIN SELECT RAISE(ABORT, 'the attempts log is append-only'); END;
CREATE TABLE status_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL,
    status TEXT NOT NULL,
    at TEXT,
    message BLOB
);
CREATE INDEX status_updates_by_item ON status_updates (submission_id);
CREATE TABLE uploaded_blobs (sha256 TEXT PRIMARY KEY);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""),
    # A dead item stays "open", its reasons on show, until a person has dealt with it: by
    # queueing a correction (replaced_by) or dismissing it; either sets resolved_at.
    ("0002_dead_resolution", """
ALTER TABLE items ADD COLUMN replaced_by TEXT;
ALTER TABLE items ADD COLUMN resolved_at REAL;
CREATE INDEX items_open_dead ON items (state, resolved_at);
"""),
    # Who an item is sent for (offline_queue.senders), in clear so that one sender's items
    # can be held without opening sealed bodies; the store's step fills in existing rows.
    ("0003_sender", """
ALTER TABLE items ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
ALTER TABLE items ADD COLUMN agent_id TEXT;
"""),
    # Applications accepted here that can no longer be read (docs/outbox.md, "Damage"): an
    # item whose record or attachment is damaged is dead with ``damaged`` set; the items of
    # a queue that was reset (lost key, damaged database) are listed in ``lost_items``. The
    # heartbeat reports both, so the platform's tracking page can tell the citizen.
    ("0004_damage", """
ALTER TABLE items ADD COLUMN damaged INTEGER NOT NULL DEFAULT 0;
CREATE TABLE lost_items (
    submission_id TEXT PRIMARY KEY,
    local_receipt TEXT,
    enqueued_at REAL,
    state TEXT,
    lost_at REAL NOT NULL,
    why TEXT NOT NULL
);
"""),
)

#: a migration's Python step: runs after its SQL, inside its transaction
Step = Callable[[sqlite_utils.Database], None]


def migrate(db: sqlite_utils.Database,
            tx: Callable[[], AbstractContextManager[sqlite_utils.Database]],
            steps: Mapping[str, Step] | None = None) -> None:
    """Apply the migrations not recorded yet, each with its record (and its Python step
    from ``steps``, by name) in one transaction."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, "
               "applied_at REAL NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)")
    row = db.execute("SELECT version FROM _schema").fetchone()
    if row is not None and row[0] > SCHEMA_VERSION:
        raise SchemaTooNewError(row[0], SCHEMA_VERSION)
    done = {r[0] for r in db.execute("SELECT name FROM _migrations").fetchall()}
    for version, (name, sql) in enumerate(MIGRATIONS, start=1):
        if name in done:
            continue
        with tx() as t:   # the record and the change commit together or not at all
            for statement in filter(str.strip, sql.split(";\n")):
                t.execute(statement)
            if steps and name in steps:
                steps[name](t)
            t.execute("INSERT INTO _migrations VALUES (?, ?)", [name, time.time()])
            t.execute("DELETE FROM _schema")
            t.execute("INSERT INTO _schema VALUES (?)", [version])
