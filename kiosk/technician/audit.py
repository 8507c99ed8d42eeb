"""The technician audit log: append-only, hash-chained JSON lines in the data dir.

``<data-dir>/audit/technician.jsonl`` (owner-only). One line per action: when (UTC),
who (the technician's id as typed at entry), what (an action name such as
``config.set``), the outcome (``ok``, ``failed``, ``refused``, ``bug``) and a small detail
dict. Details never carry personal data: callers pass only settings, device URLs, ids and
counts, and every text is passed through :func:`civic.pii.redact_text` anyway.

Each line holds the SHA-256 of the line before it (``prev``), so a line removed or edited
afterwards shows in :meth:`AuditLog.verify`. Lines are written with ``O_APPEND`` and
fsynced before the action's result is returned.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from civic.pii import redact_text

AUDIT_DIR = "audit"
AUDIT_FILE = "technician.jsonl"
OUTCOMES = ("ok", "failed", "refused", "bug")
_GENESIS = "0" * 64


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)[:500]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value][:50]
    return redact_text(str(value))[:500]


class AuditLog:
    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.dir = Path(data_dir) / AUDIT_DIR
        self.path = self.dir / AUDIT_FILE
        self._clock = clock
        self._lock = threading.Lock()

    def _last_hash(self) -> str:
        if not self.path.exists():
            return _GENESIS
        last = b""
        with self.path.open("rb") as fh:
            for line in fh:
                if line.strip():
                    last = line.rstrip(b"\n")
        return hashlib.sha256(last).hexdigest() if last else _GENESIS

    def record(self, technician: str, action: str, outcome: str,
               detail: dict[str, Any] | None = None) -> dict[str, Any]:
        """Append one entry durably; returns it."""
        if outcome not in OUTCOMES:
            raise ValueError(f"audit outcome {outcome!r} is not one of {OUTCOMES}")
        with self._lock:
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            entry = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._clock())),
                     "technician": _clean(technician), "action": action, "outcome": outcome,
                     "detail": _clean(detail or {}), "prev": self._last_hash()}
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode() + b"\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def verify(self) -> list[int]:
        """Line numbers (1-based) whose ``prev`` does not match the line before: tampering."""
        broken, prev = [], _GENESIS
        if not self.path.exists():
            return []
        for number, line in enumerate(self.path.read_bytes().splitlines(), 1):
            if not line.strip():
                continue
            try:
                if json.loads(line).get("prev") != prev:
                    broken.append(number)
            except ValueError:
                broken.append(number)
            prev = hashlib.sha256(line).hexdigest()
        return broken
