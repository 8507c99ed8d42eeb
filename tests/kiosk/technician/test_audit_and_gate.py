"""The technician audit trail (append-only, chained, redacted) and the PIN gate."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from civic.pin import hash_pin
from kiosk.agent.lockout import LockoutPolicy
from kiosk.agent.vault import Vault
from kiosk.technician.audit import AuditLog
from kiosk.technician.errors import AccessDenied
from kiosk.technician.gate import TechnicianGate
from tests.kiosk.technician.conftest import TECHNICIAN, actions


def test_entries_say_who_what_when_and_outcome(audit: AuditLog) -> None:
    """Each entry has time, technician, action, outcome and detail; the file is owner-only."""
    audit.record(TECHNICIAN, "config.set", "ok", {"key": "devices.a4_queue", "value": "A4"})
    (entry,) = audit.entries()
    assert entry["technician"] == TECHNICIAN and entry["action"] == "config.set"
    assert entry["outcome"] == "ok" and entry["at"].endswith("Z")
    assert entry["detail"] == {"key": "devices.a4_queue", "value": "A4"}
    assert stat.S_IMODE(audit.path.stat().st_mode) == 0o600
    with pytest.raises(ValueError):
        audit.record(TECHNICIAN, "x", "maybe")


def test_id_numbers_never_reach_the_audit(audit: AuditLog) -> None:
    """An ID number passed by mistake in a detail is masked before it is written."""
    audit.record(TECHNICIAN, "devices.test_idcard", "failed",
                 {"message": "card 330110194610230210 unreadable", "list": ["11010519491231002X"]})
    text = audit.path.read_text()
    assert "330110194610230210" not in text and "11010519491231002X" not in text
    assert "330" in text


def test_editing_or_removing_a_line_is_detected(audit: AuditLog) -> None:
    """The hash chain shows an edited or a removed line; an intact log verifies clean."""
    for n in range(4):
        audit.record(TECHNICIAN, f"action.{n}", "ok")
    assert audit.verify() == []
    lines = audit.path.read_text().splitlines()
    edited = json.loads(lines[1])
    edited["outcome"] = "failed"
    audit.path.write_text("\n".join([lines[0], json.dumps(edited, sort_keys=True,
                                                          ensure_ascii=False), *lines[2:]]) + "\n")
    assert audit.verify() == [3]
    audit.path.write_text("\n".join([lines[0], *lines[2:]]) + "\n")
    assert audit.verify() == [2]


def test_gate_locks_after_wrong_pins_across_restarts(data_dir: Path, audit: AuditLog) -> None:
    """Wrong technician PINs lock entry, the lock survives a new gate, every try is audited."""
    stored = hash_pin("24680135")
    now = [1000.0]
    policy = LockoutPolicy(max_failures=2, lock_s=60)

    def gate() -> TechnicianGate:
        return TechnicianGate(Vault(data_dir), audit, lambda: stored, policy=policy,
                              clock=lambda: now[0])
    with pytest.raises(AccessDenied):
        gate().enter(TECHNICIAN, "11111111")
    with pytest.raises(AccessDenied):
        gate().enter(TECHNICIAN, "11111111")
    with pytest.raises(AccessDenied) as locked:
        gate().enter(TECHNICIAN, "24680135")
    assert "锁定" in locked.value.zh
    now[0] += 61
    gate().enter(TECHNICIAN, "24680135")
    assert actions(audit) == [("technician.enter", "refused")] * 3 + [("technician.enter", "ok")]
    assert [e["detail"].get("why") for e in audit.entries()][:3] == [
        "wrong_pin", "wrong_pin", "locked"]


def test_gate_without_a_pin_set_refuses(data_dir: Path, audit: AuditLog) -> None:
    """No technician PIN configured: nobody enters, and the attempt is audited."""
    with pytest.raises(AccessDenied) as info:
        TechnicianGate(Vault(data_dir), audit, lambda: "").enter("", "123456")
    assert "kiosk config pin" in info.value.en
    assert audit.entries()[0]["technician"] == "unknown"
