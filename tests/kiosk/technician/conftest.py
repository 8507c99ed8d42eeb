"""Fixtures of the technician services' tests: a console on a fresh data dir, an audit log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.technician.audit import AuditLog
from kiosk.technician.console import TechnicianConsole

if TYPE_CHECKING:
    pass

TECHNICIAN = "T07"


@pytest.fixture
def audit(data_dir: Path) -> AuditLog:
    return AuditLog(data_dir)


@pytest.fixture
def console(data_dir: Path, audit: AuditLog) -> TechnicianConsole:
    return TechnicianConsole(data_dir, TECHNICIAN, audit)


def actions(audit: AuditLog) -> list[tuple[str, str]]:
    return [(e["action"], e["outcome"]) for e in audit.entries()]
