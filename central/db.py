"""The sandbox's SQLite database: schema, migrations, connections.

The sandbox stores no personal data: a submission is kept as its ids, item, case number,
status and a hash of its body (enough to recognise a replay), never its applicant or form.

Every request opens its own short-lived connection; writes run in ``BEGIN IMMEDIATE``
transactions, so concurrent requests are serialised by SQLite itself and the primary keys
decide races (two requests with one idempotency key can never both create a record).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from central.files import private_dir, private_file, tighten

SCHEMA_VERSION = 8

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE enrollment_codes (
        code TEXT PRIMARY KEY, kind TEXT, issued_at TEXT NOT NULL,
        used_at TEXT, used_by TEXT);
    CREATE TABLE devices (
        device_id TEXT PRIMARY KEY, kind TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
        hostname TEXT, app_version TEXT, region_code TEXT, site_name TEXT,
        enrolled_at TEXT NOT NULL, revoked_at TEXT);
    CREATE TABLE agents (
        agent_id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
        area TEXT NOT NULL, pin_hash TEXT NOT NULL, created_at TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until TEXT);
    CREATE TABLE agent_tokens (
        token_hash TEXT PRIMARY KEY, agent_id TEXT NOT NULL REFERENCES agents(agent_id),
        device_id TEXT NOT NULL REFERENCES devices(device_id), issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL);
    CREATE TABLE catalog_versions (
        version TEXT PRIMARY KEY, document BLOB NOT NULL, first_served_at TEXT NOT NULL);
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,
        stored_at TEXT NOT NULL);
    CREATE TABLE idempotency (
        key TEXT PRIMARY KEY, device_id TEXT NOT NULL, body_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
        status INTEGER, response BLOB, started_at TEXT NOT NULL, finished_at TEXT);
    CREATE TABLE submissions (
        submission_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, agent_id TEXT,
        item_code TEXT NOT NULL, catalog_version TEXT NOT NULL, channel TEXT NOT NULL,
        case_number TEXT NOT NULL UNIQUE, status TEXT NOT NULL, message TEXT NOT NULL,
        received_at TEXT NOT NULL, updated_at TEXT NOT NULL, replaces TEXT,
        next_step_at TEXT);
    CREATE INDEX submissions_due ON submissions(next_step_at);
    CREATE TABLE rejected (
        submission_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, rejected_at TEXT NOT NULL);
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT, submission_id TEXT NOT NULL,
        device_id TEXT NOT NULL, case_number TEXT NOT NULL, status TEXT NOT NULL,
        message TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX changes_by_device ON changes(device_id, id);
    CREATE TABLE case_sequence (day TEXT PRIMARY KEY, last INTEGER NOT NULL);
    CREATE TABLE heartbeats (
        device_id TEXT PRIMARY KEY, received_at TEXT NOT NULL, body BLOB NOT NULL);
    CREATE TABLE prefill_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, device_id TEXT NOT NULL,
        agent_id TEXT, item_code TEXT NOT NULL, resident_hash TEXT NOT NULL,
        outcome TEXT NOT NULL);
    """,
    # Issue #14. Wrong PINs are counted per agent number whether or not an agent has it, so
    # a lock-out does not tell which numbers exist. A blob's owners are the devices that
    # uploaded it or named it in an accepted submission: only they learn that it is stored.
    # Damaged ids are applications a terminal accepted but can no longer read or send.
    2: """
    CREATE TABLE sign_in_attempts (
        number TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT);
    INSERT INTO sign_in_attempts (number, failures, locked_until)
        SELECT number, failed_attempts, locked_until FROM agents
        WHERE failed_attempts > 0 OR locked_until IS NOT NULL;
    ALTER TABLE agents DROP COLUMN failed_attempts;
    ALTER TABLE agents DROP COLUMN locked_until;
    CREATE TABLE blob_owners (
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        device_id TEXT NOT NULL REFERENCES devices(device_id),
        PRIMARY KEY (sha256, device_id)) WITHOUT ROWID;
    CREATE TABLE damaged (
        submission_id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(device_id),
        reported_at TEXT NOT NULL);
    """,
    # Issue #16. How the citizen confirmed, kept with the case: a drawn signature, or the
    # kiosk keypad's confirmation by a citizen who cannot draw (civic.submission).
    3: """
    ALTER TABLE submissions ADD COLUMN consent_method TEXT NOT NULL DEFAULT 'signature';
    """,
    # Issue #17. Shared data is read only inside a card session (central.card_sessions).
    # Every read lands in one access log (central.access_log), which takes over the prefill
    # audit's rows. Residents are named by a keyed hash whose key is made here, once, so the
    # log can be read across restarts and still holds no ID number. sandbox_values keeps
    # what a running server decided that the operator commands need (its session limits).
    4: """
    CREATE TABLE sandbox_values (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO sandbox_values VALUES ('resident_key', lower(hex(randomblob(32))));
    CREATE TABLE card_sessions (
        session_id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(device_id),
        agent_id TEXT, resident_hash TEXT NOT NULL, identified_by TEXT NOT NULL,
        card_digest TEXT, opened_at TEXT NOT NULL, expires_at TEXT NOT NULL, closed_at TEXT);
    CREATE INDEX card_sessions_window ON card_sessions(device_id, opened_at);
    CREATE TABLE access_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, device_id TEXT NOT NULL,
        agent_id TEXT, session_id TEXT, resident_hash TEXT NOT NULL, endpoint TEXT NOT NULL,
        item_code TEXT, outcome TEXT NOT NULL);
    INSERT INTO access_log (at, device_id, agent_id, session_id, resident_hash, endpoint,
                            item_code, outcome)
        SELECT at, device_id, agent_id, NULL, resident_hash,
               'GET /v1/residents/{id_number}/prefill', item_code, outcome FROM prefill_audit;
    DROP TABLE prefill_audit;
    CREATE INDEX access_log_by_device ON access_log(device_id, endpoint);
    """,
    # Issue #17. Certified records issued (central.certified), kept so that a printed
    # proof's verify URL answers later: the masked holder and a hash of the code, never
    # the holder's name, ID number or the record's rows.
    5: """
    CREATE TABLE certified_records (
        record_id TEXT PRIMARY KEY, code_hash TEXT NOT NULL, item_code TEXT NOT NULL,
        title_zh TEXT NOT NULL, title_en TEXT NOT NULL, issued_at TEXT NOT NULL,
        valid_until TEXT NOT NULL, holder_masked TEXT NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices(device_id));
    """,
    # Issue #17. Face checks (central.face_checks): only the check's id, device, session,
    # time, score and result, and the one submission that named it; never the image (its
    # blob is deleted once compared) nor the resident (the session names them). A blob an
    # accepted submission names is marked, so the sweep of unnamed face images spares it.
    # A submission keeps how the person was checked (and a terminal's own score).
    6: """
    CREATE TABLE face_checks (
        check_id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(device_id),
        session_id TEXT NOT NULL REFERENCES card_sessions(session_id),
        checked_at TEXT NOT NULL, result TEXT NOT NULL, score REAL,
        submission_id TEXT UNIQUE);
    CREATE INDEX face_checks_by_session ON face_checks(session_id);
    ALTER TABLE blobs ADD COLUMN named_at TEXT;
    UPDATE blobs SET named_at = stored_at;
    ALTER TABLE submissions ADD COLUMN identity_method TEXT;
    ALTER TABLE submissions ADD COLUMN identity_score REAL;
    """,
    # Issue #19. "For you" leaves out items a resident applied for that are still open, so a
    # submission keeps its applicant's keyed hash (central.access_log), never the ID number.
    # Appointments (central.appointments) keep the keyed hash and a masked ID number (what
    # an operator may see); the partial unique index keeps one open booking per resident
    # and item, whatever races. Idempotency keys of bookings are a device's own.
    7: """
    ALTER TABLE submissions ADD COLUMN resident_hash TEXT;
    CREATE INDEX submissions_by_resident ON submissions(resident_hash, item_code);
    CREATE TABLE appointments (
        appointment_id TEXT PRIMARY KEY, hall_id TEXT NOT NULL, item_code TEXT NOT NULL,
        slot_start TEXT NOT NULL, slot_end TEXT NOT NULL, ticket TEXT NOT NULL,
        code_hash TEXT NOT NULL, resident_hash TEXT NOT NULL, resident_masked TEXT NOT NULL,
        device_id TEXT NOT NULL REFERENCES devices(device_id), session_id TEXT NOT NULL,
        booked_at TEXT NOT NULL, cancelled_at TEXT);
    CREATE UNIQUE INDEX appointments_one_open ON appointments(resident_hash, item_code)
        WHERE cancelled_at IS NULL;
    CREATE INDEX appointments_by_slot ON appointments(hall_id, slot_start);
    CREATE TABLE appointment_keys (
        device_id TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL,
        status INTEGER NOT NULL, response BLOB NOT NULL, stored_at TEXT NOT NULL,
        PRIMARY KEY (device_id, key)) WITHOUT ROWID;
    CREATE TABLE ticket_sequence (
        hall_id TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL,
        PRIMARY KEY (hall_id, day)) WITHOUT ROWID;
    """,
    # Issue #19. Hall clerks who answer video calls (central.clerks): a PIN hash like an
    # agent's, and shift-long tokens stored as hashes. Their wrong PINs are counted in
    # sign_in_attempts under "clerk:<number>". Calls themselves are not stored
    # (central.assist_calls says why).
    8: """
    CREATE TABLE clerks (
        clerk_id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
        pin_hash TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE clerk_tokens (
        token_hash TEXT PRIMARY KEY, clerk_id TEXT NOT NULL REFERENCES clerks(clerk_id),
        issued_at TEXT NOT NULL, expires_at TEXT NOT NULL);
    """,
}


class SchemaTooNew(RuntimeError):
    """The database was written by a newer sandbox; refuse rather than misread it."""


class Database:
    def __init__(self, path: Path) -> None:
        self.path = path
        private_dir(path.parent)
        # SQLite gives the -wal and -shm files the database file's mode, so creating that
        # file owner-only first keeps all three private (files.py says why that matters).
        private_file(path)
        # Held open for the database's life: when the last connection to a WAL database
        # closes, SQLite checkpoints and removes the WAL, which every short request paid for.
        self._keeper: sqlite3.Connection | None = self.connect()
        self._keeper.execute("PRAGMA journal_mode=WAL")
        for companion in ("-wal", "-shm"):    # left behind, looser, by an older sandbox
            tighten(path.with_name(path.name + companion))
        self._migrate(self._keeper)

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextmanager
    def session(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        try:
            yield conn
        finally:
            conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        with write(conn):
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise SchemaTooNew(f"{self.path} has schema {current}; this sandbox knows "
                                   f"up to {SCHEMA_VERSION}")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                # Recorded in the same transaction that applies the migration.
                conn.execute(f"PRAGMA user_version={version}")


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the database's write lock up front."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
