"""A4 printing through CUPS with ``lp`` and ``lpstat`` — Qt-free.

The queue's state comes from CUPS, never from Qt: Qt reports "Idle" and a successful paint
even when the queue rejects jobs (printing.md §4.1). Commands run with ``LANG=C`` so their
output can be parsed; ``CUPS_SERVER`` in the environment selects the scheduler (the tests
run a private ``cupsd``). Jobs are printed without any dialog.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.documents.errors import PrintJobError, PrintQueueUnavailable

_JOB_ID = re.compile(r"request id is (\S+-\d+)")


@dataclass(frozen=True)
class QueueState:
    """``state``: idle, processing, stopped, missing (no such queue) or unavailable (no CUPS)."""

    state: str
    accepting: bool
    reasons: tuple[str, ...] = ()
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.state in ("idle", "processing") and self.accepting

    def as_dict(self) -> dict[str, object]:
        return {"state": self.state, "accepting": self.accepting,
                "reasons": list(self.reasons), "detail": self.detail}


def _run(*args: str, timeout: float = 15.0) -> subprocess.CompletedProcess[str]:
    exe = shutil.which(args[0])
    if exe is None:
        raise PrintQueueUnavailable(f"{args[0]} is not installed (Debian: cups-client)",
                                    "A4 打印服务未安装，请联系工作人员")
    env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
    try:
        return subprocess.run([exe, *args[1:]], capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintQueueUnavailable(f"{args[0]} failed: {exc}",
                                    "A4 打印服务无响应，请联系工作人员") from exc


def queue_state(queue: str) -> QueueState:
    """What CUPS says about ``queue``: state, whether it accepts jobs, and its alerts."""
    try:
        printer = _run("lpstat", "-p", queue, "-l")
    except PrintQueueUnavailable as exc:
        return QueueState("unavailable", False, (), str(exc))
    text = (printer.stdout + printer.stderr).strip()
    if printer.returncode != 0:
        missing = "invalid destination" in text.lower() or "unknown" in text.lower()
        return QueueState("missing" if missing else "unavailable", False, (), text)
    first = text.splitlines()[0] if text else ""
    if " is idle" in first:
        state = "idle"
    elif "now printing" in first:
        state = "processing"
    elif " disabled " in first:
        state = "stopped"
    else:
        state = "unavailable"
    reasons: tuple[str, ...] = ()
    message = ""
    for line in text.splitlines()[1:]:
        line = line.strip()
        if line.startswith("Alerts:"):
            reasons = tuple(line.removeprefix("Alerts:").split())
        elif line and not message and ":" not in line[:20]:
            message = line                                # the reason given to cupsdisable
    accepting = _run("lpstat", "-a", queue)
    accepts = accepting.returncode == 0 and "not accepting" not in accepting.stdout
    if not accepts:
        lines = accepting.stdout.strip().splitlines()
        message = message or (lines[1].strip() if len(lines) > 1 else "not accepting jobs")
    return QueueState(state, accepts, reasons, message)


def submit(queue: str, pdf: Path, title: str, copies: int = 1) -> str:
    """Queue ``pdf`` on ``queue`` as an A4 job without any dialog; returns the job id."""
    state = queue_state(queue)
    if not state.ready:
        raise PrintQueueUnavailable(
            f"A4 printer queue {queue!r} cannot print: {state.state}"
            + (", not accepting jobs" if not state.accepting else "")
            + (f" ({state.detail})" if state.detail else ""),
            "A4 打印机暂停服务，请联系工作人员")
    done = _run("lp", "-d", queue, "-t", title, "-n", str(copies), "-o", "media=A4",
                "-o", "fit-to-page", str(pdf))
    match = _JOB_ID.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise PrintJobError(f"lp refused the job on {queue!r}: {done.stderr.strip()}",
                            "A4 打印任务提交失败，请联系工作人员")
    return match.group(1)


def wait_for_job(queue: str, job_id: str, timeout: float = 60.0) -> None:
    """Block until CUPS no longer lists ``job_id`` as pending or processing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = queue_state(queue)
        if state.state in ("stopped", "missing", "unavailable"):
            raise PrintJobError(f"job {job_id} cannot complete: queue {queue!r} is "
                                f"{state.state} ({state.detail})",
                                "A4 打印机故障，请联系工作人员")
        pending = _run("lpstat", "-W", "not-completed", "-o", queue)
        if job_id not in pending.stdout.split():
            completed = _run("lpstat", "-W", "completed", "-o", queue)
            if job_id in completed.stdout.split():
                return
            raise PrintJobError(f"job {job_id} disappeared from {queue!r} without completing",
                                "A4 打印任务失败，请联系工作人员")
        time.sleep(0.2)                                   # CUPS has no blocking wait
    raise PrintJobError(f"job {job_id} did not complete within {timeout:.0f} s",
                        "A4 打印超时，请联系工作人员")
