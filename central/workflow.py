"""The case workflow simulator: submissions move on by themselves, as cases do at a bureau.

received → accepted → in_review → approved → completed, or → rejected after review. Each
step waits ``step_s``; whether a case is rejected is decided from its id, so a run is
reproducible. Every step is a row in ``changes``, which terminals read through
``GET /v1/changes``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass

from central.clock import Clock, rfc3339
from central.db import Database, write

NEXT = {"received": "accepted", "accepted": "in_review", "approved": "completed"}
MESSAGES = {
    "accepted": "已受理 / Accepted",
    "in_review": "审核中 / Under review",
    "approved": "已批准 / Approved",
    "rejected": "未通过：材料不符合要求，请携带证件到服务大厅咨询 / "
                "Rejected: the materials do not meet the requirements; please ask at the "
                "service hall with your ID card",
    "completed": "已办结 / Completed",
}
FINAL = {"completed", "rejected"}


@dataclass(frozen=True)
class WorkflowSchedule:
    step_s: float = 5.0          # 0 = cases move only when told (POST /v1/_sandbox/advance)
    reject_fraction: float = 0.1


def _rejects(submission_id: str, fraction: float) -> bool:
    digest = hashlib.sha256(submission_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1000 < fraction * 1000


class Workflow:
    def __init__(self, db: Database, clock: Clock, schedule: WorkflowSchedule) -> None:
        self._db = db
        self._clock = clock
        self.schedule = schedule
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def next_status(self, submission_id: str, status: str) -> str | None:
        if status == "in_review":
            return "rejected" if _rejects(submission_id, self.schedule.reject_fraction) \
                else "approved"
        return NEXT.get(status)

    def advance(self, submission_id: str | None = None, *, only_due: bool = False) -> int:
        """Move cases one step; all cases (or one) unless ``only_due``. Returns how many moved."""
        now = self._clock()
        stamp = rfc3339(now)
        moved = 0
        with self._db.session() as conn, write(conn):
            query = "SELECT submission_id, device_id, case_number, status FROM submissions " \
                    "WHERE status NOT IN ('completed', 'rejected')"
            args: list[str] = []
            if submission_id:
                query += " AND submission_id = ?"
                args.append(submission_id)
            if only_due:
                query += " AND next_step_at <= ?"
                args.append(stamp)
            for row in conn.execute(query, args).fetchall():
                status = self.next_status(row["submission_id"], row["status"])
                if status is None:
                    continue
                due = None if status in FINAL else rfc3339(
                    now + dt.timedelta(seconds=self.schedule.step_s))
                conn.execute("UPDATE submissions SET status = ?, message = ?, updated_at = ?, "
                             "next_step_at = ? WHERE submission_id = ?",
                             (status, MESSAGES[status], stamp, due, row["submission_id"]))
                conn.execute("INSERT INTO changes (submission_id, device_id, case_number, "
                             "status, message, at) VALUES (?,?,?,?,?,?)",
                             (row["submission_id"], row["device_id"], row["case_number"],
                              status, MESSAGES[status], stamp))
                moved += 1
        return moved

    def first_step_at(self, received: dt.datetime) -> dt.datetime:
        """When a case received now takes its first step."""
        return received + dt.timedelta(seconds=self.schedule.step_s)

    def start(self) -> None:
        if self.schedule.step_s <= 0:
            return
        self._thread = threading.Thread(target=self._run, name="central-workflow")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        tick = min(1.0, max(0.05, self.schedule.step_s / 4))
        while not self._stop.wait(tick):
            self.advance(only_due=True)
