"""No personal data in plain text anywhere the terminal writes, through a whole life cycle.

Enrolment, queueing with attachments, delivery to the sandbox, status updates from the
changes feed, a rejected item and its correction, a purge, a failing listener, all with
DEBUG logs written to the data dir; then every file there is scanned for the applicant's
name, ID number and address in the encodings a careless program might use.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from offline_queue import Outbox, State
from offline_queue.retry import RetryPolicy
from offline_queue.sync import SyncEngine
from offline_queue.worker import SyncWorker
from tests.central.builders import APPLICANT, SIGNATURE
from tests.offline_queue.conftest import TIMEOUTS, copy_of, enrolled, valid_submission

if TYPE_CHECKING:
    from central.platform import SandboxServer

SECRETS = (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["address"])
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "gbk")


class RawRecords(logging.Handler):
    """Every record as the outbox emitted it, before any redacting filter."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(f"{record.getMessage()} {getattr(record, 'ctx', '')} "
                          f"{record.exc_text or ''}")


@pytest.fixture
def debug_logs(data_dir: Path) -> Iterator[RawRecords]:
    from kiosk import logs

    raw = RawRecords()
    logs.configure(data_dir, level="DEBUG", stderr_level="CRITICAL", stream=io.StringIO())
    logging.getLogger().addHandler(raw)
    yield raw
    logging.getLogger().removeHandler(raw)
    logs.configure(None, stderr_level="CRITICAL", stream=io.StringIO())


def scan(data_dir: Path) -> list[tuple[str, str, str]]:
    """(file, secret, encoding) for every secret found in plain text."""
    found = []
    for path in data_dir.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        for secret in SECRETS:
            for encoding in ENCODINGS:
                if secret.encode(encoding) in raw:
                    found.append((str(path.relative_to(data_dir)), secret, encoding))
        if SIGNATURE in raw:
            found.append((str(path.relative_to(data_dir)), "attachment bytes", "raw"))
    return found


def test_life_cycle_leaves_no_personal_data_in_any_file(
        sandbox: SandboxServer, data_dir: Path, debug_logs: RawRecords) -> None:
    """After a realistic life cycle no file in the data dir holds a name, ID number or address."""
    creds = enrolled(sandbox, data_dir)
    template = valid_submission(sandbox)
    photo = b"\xff\xd8\xff-photo-of-" + APPLICANT["name"].encode() + os.urandom(64)
    photo_ref = {"sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo),
                 "media_type": "image/jpeg", "role": "photo"}
    with Outbox(data_dir) as box:
        def failing_listener(event: object) -> None:
            raise RuntimeError("a listener's bug")
        box.add_listener(failing_listener)
        ids = [box.enqueue(copy_of(template, attachments=[*template["attachments"], photo_ref]),
                           [SIGNATURE, photo]) for _ in range(3)]
        rejected = box.enqueue(copy_of(template, form={"applicant_name": APPLICANT["name"]}),
                               [SIGNATURE])
        with SyncEngine(box, creds, policy=RetryPolicy(base_s=0.01, cap_s=0.05),
                        **TIMEOUTS) as engine:
            with SyncWorker(engine, interval_s=0.05):   # the app's background thread
                deadline = time.monotonic() + 20
                while box.store.next_due() is not None:
                    assert time.monotonic() < deadline, box.stats()
                    time.sleep(0.02)
            assert box.get(rejected)["state"] == State.DEAD
            corrected = box.retry(rejected, copy_of(template))
            for sid in [*ids, corrected]:   # the platform moves the cases on
                httpx.post(f"{sandbox.url}/v1/_sandbox/advance",
                           json={"steps": 3, "submission_id": sid})
            engine.sync_once()
        assert box.get(corrected)["state"] == State.SENT
        assert len(box.get(ids[0])["status_updates"]) >= 3
        assert scan(data_dir) == []         # while open: the WAL and shm files too
    with Outbox(data_dir, retention_s=0) as box:   # delivered rows purged to tombstones
        assert box.get(ids[0])["purged"]
    assert (data_dir / "logs" / "kiosk.log").stat().st_size > 0
    assert scan(data_dir) == []
    raw = "\n".join(debug_logs.texts)        # not even before the log filter masks it
    assert "outbox.enqueued" in raw and "outbox.listener_failed" in raw
    for secret in SECRETS:
        assert secret not in raw
