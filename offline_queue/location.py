"""Where a terminal's queue lives, and the two things done to a queue as a whole: merging a
stray queue left by earlier builds, and resetting one that cannot be read.

Every part of the terminal that opens the queue (the application's modes, every
``kiosk queue`` command, the technician console, the heartbeat) opens it through
:func:`open_terminal_outbox`, so there is one queue per terminal, in ``<data-dir>/outbox/``.
Earlier builds' ``kiosk queue`` commands opened ``<data-dir>/outbox.db`` instead: a queue
found there is merged into the real one at start (each item once, re-sealed with the real
queue's key, delivered ones staying delivered) and then removed; the log says so.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from offline_queue.crypto import key_path
from offline_queue.dbfile import DB_NAME, sealed_rows
from offline_queue.errors import OutboxError, QueueRefusedError, UnreadableRecordError
from offline_queue.files import fsync_dir, write_durably
from offline_queue.outbox import Outbox
from offline_queue.states import State
from offline_queue.store import Store

log = logging.getLogger(__name__)

OUTBOX_DIR_NAME = "outbox"
#: what ``reset`` writes beside the queue it moved aside
LOST_RECORD = "lost.json"
_SIDE_FILES = ("-wal", "-shm")
#: items the platform has not answered yet: what a reset loses (a sent one is delivered, a
#: rejected one is known to the platform's tracking page already)
WAITING = (State.PENDING, State.IN_FLIGHT, State.RETRY_WAIT)


def outbox_dir(data_dir: Path) -> Path:
    """The one place a terminal's queue lives."""
    return Path(data_dir) / OUTBOX_DIR_NAME


def open_terminal_outbox(data_dir: Path, **options: Any) -> Outbox:
    """The terminal's queue, opened (``options`` as for :class:`Outbox`), with a stray
    queue of an earlier build merged into it first."""
    box = Outbox(outbox_dir(data_dir), **options).open()
    try:
        merge_stray(Path(data_dir), box)
    except BaseException:
        box.close()
        raise
    return box


def resume_after_enrolment(data_dir: Path, box: Outbox | None = None) -> bool:
    """New credentials were stored: a queue the platform had paused (a refused token) may
    send again. ``box``: the queue when the caller has it open. Returns whether it was
    paused. A queue that cannot be opened is left for its own refusal to explain."""
    if box is not None:
        return box.resume()
    if not (outbox_dir(data_dir) / DB_NAME).exists():
        return False
    try:
        with open_terminal_outbox(data_dir) as opened:
            return opened.resume()
    except OutboxError as exc:
        log.warning("outbox.resume_failed", extra={"ctx": {"error": str(exc)}})
        return False


# -- a stray queue ----------------------------------------------------------------------------
def merge_stray(data_dir: Path, box: Outbox) -> int:
    """Merge ``<data-dir>/outbox.db`` (earlier builds' CLI queue) into ``box``, then remove
    it. Returns how many items were merged. A stray queue that cannot be read is refused
    like the real one (``kiosk queue reset --i-understand`` moves both aside)."""
    stray_db = data_dir / DB_NAME
    if not stray_db.exists():
        return 0
    # The stray queue shares <data-dir>/keys/outbox.key with the agent's vault: that key is
    # read, never removed.
    with Outbox(data_dir, retention_s=float("inf")) as stray:
        merged, damaged = _copy_items(stray.store, box.store, box.clock())
    for name in (DB_NAME, *(DB_NAME + s for s in _SIDE_FILES), "sync.lock"):
        (data_dir / name).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "blobs", ignore_errors=True)
    fsync_dir(data_dir)
    log.warning("outbox.stray_merged", extra={"ctx": {
        "from": str(stray_db), "into": str(box.data_dir), "items": merged,
        "damaged": damaged}})
    return merged


def _copy_items(src: Store, dst: Store, now: float) -> tuple[int, int]:
    """Every item of ``src`` not in ``dst``, with its attempts and status updates, in one
    commit of ``dst``: a crash leaves the stray queue whole for the next start."""
    merged = damaged = 0
    with dst.write("merging a stray queue") as db:
        have = {r[0] for r in db.execute("SELECT id FROM items")}
        for row in src.db.query("SELECT * FROM items ORDER BY seq"):
            sid = row["id"]
            if sid in have:
                continue
            row = _resealed(row, src, dst)
            if row["damaged"]:
                damaged += 1
            del row["seq"]
            db.execute(f"INSERT INTO items ({', '.join(row)}) VALUES "
                       f"({', '.join('?' for _ in row)})", list(row.values()))
            for update in src.db.query("SELECT status, at, message FROM status_updates "
                                       "WHERE submission_id = ? ORDER BY id", [sid]):
                message = update["message"]
                if message is not None:
                    try:
                        message = dst.sealer.seal(src.sealer.open(message, f"status:{sid}"),
                                                  f"status:{sid}")
                    except UnreadableRecordError:
                        message = None
                db.execute("INSERT INTO status_updates (submission_id, status, at, message) "
                           "VALUES (?, ?, ?, ?)", [sid, update["status"], update["at"], message])
            for attempt in src.db.query("SELECT at, outcome, http_status, detail FROM attempts "
                                        "WHERE submission_id = ? ORDER BY id", [sid]):
                db.execute("INSERT INTO attempts (submission_id, at, outcome, http_status, "
                           "detail) VALUES (?, ?, ?, ?, ?)", [sid, *attempt.values()])
            merged += 1
        db.conn.executemany("INSERT OR IGNORE INTO uploaded_blobs VALUES (?)",
                            src.db.execute("SELECT sha256 FROM uploaded_blobs").fetchall())
    return merged, damaged


def _resealed(row: dict[str, Any], src: Store, dst: Store) -> dict[str, Any]:
    """``row`` with its sealed body, reasons and attachments under ``dst``'s key. What does
    not open any more is merged as a damaged, dead item: never dropped in silence."""
    row = dict(row)
    sid = row["id"]
    try:
        for column, aad in (("payload", f"item:{sid}"), ("reasons", f"reasons:{sid}")):
            if row[column] is not None:
                row[column] = dst.sealer.seal(src.sealer.open(row[column], aad), aad)
        if row["payload"] is not None:      # a purged tombstone names no files any more
            for sha in json.loads(row["blobs"]):
                if not dst.blobs.has(sha):
                    dst.blobs.put(src.blobs.read(sha))
    except UnreadableRecordError as exc:
        row.update(state="dead", damaged=1, reasons=None,
                   last_error=f"damaged_on_terminal: {exc.what} cannot be read")
    return row


# -- a queue that cannot be read ----------------------------------------------------------------
def reset_queue(data_dir: Path, *, why: str) -> dict[str, Any]:
    """Move the terminal's queue (and a stray one) aside into ``<data-dir>/outbox.lost-<time>/``
    with ``lost.json``, a record of what was lost (ids, states, receipt numbers, times: no
    content), and start an empty queue that remembers the lost ids, so the heartbeat tells
    the platform and the tracking page tells each citizen to apply again.

    Only for a queue :class:`Outbox` refuses (the command asks the technician to say so);
    a queue that opens is not reset. Returns the record."""
    data_dir = Path(data_dir)
    try:
        open_terminal_outbox(data_dir).close()
    except QueueRefusedError:
        pass
    else:
        raise OutboxError("the queue opens and reads normally: there is nothing to reset "
                          "(`kiosk queue stats` shows it)")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    aside = data_dir / f"outbox.lost-{stamp}"
    aside.mkdir(mode=0o700)
    lost: list[dict[str, Any]] = []
    problems: list[str] = []
    for source, name in ((outbox_dir(data_dir), "outbox"), (data_dir, "stray")):
        db = source / DB_NAME
        if not db.exists():
            continue
        try:
            lost += [i for i in sealed_rows(db) if i["state"] in WAITING]
        except QueueRefusedError as exc:
            problems.append(f"{name}: {exc}")
        target = aside if name == "outbox" else aside / "stray"
        target.mkdir(mode=0o700, exist_ok=True)
        for file in (DB_NAME, *(DB_NAME + s for s in _SIDE_FILES)):
            if (source / file).exists():
                os.replace(source / file, target / file)
        if name == "outbox":
            for extra in ("blobs", "keys"):
                if (source / extra).exists():
                    os.replace(source / extra, target / extra)
        elif (source / "blobs").exists():
            os.replace(source / "blobs", target / "blobs")
    record = {"reset_at": stamp, "why": why, "items": lost, "unreadable": problems,
              "key_was_present": key_path(aside).exists()}
    write_durably(aside / LOST_RECORD, json.dumps(record, ensure_ascii=False,
                                                  indent=1).encode())
    with open_terminal_outbox(data_dir) as box:
        box.store.record_lost(lost, why, box.clock())
    log.warning("outbox.reset", extra={"ctx": {"aside": str(aside), "lost": len(lost),
                                               "unreadable": len(problems)}})
    return {**record, "aside": str(aside)}
