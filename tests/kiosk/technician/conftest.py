"""Fixtures of the technician services' tests: a console on a fresh data dir, an audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.technician.audit import AuditLog
from kiosk.technician.console import TechnicianConsole

if TYPE_CHECKING:
    from central.platform import SandboxServer

TECHNICIAN = "T07"


@pytest.fixture
def audit(data_dir: Path) -> AuditLog:
    return AuditLog(data_dir)


@pytest.fixture
def console(data_dir: Path, audit: AuditLog) -> TechnicianConsole:
    return TechnicianConsole(data_dir, TECHNICIAN, audit)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    from central.platform import SandboxServer, SandboxSettings
    from central.workflow import WorkflowSchedule

    settings = SandboxSettings(tmp_path_factory.mktemp("central"),
                               workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings) as server:
        yield server


def actions(audit: AuditLog) -> list[tuple[str, str]]:
    return [(e["action"], e["outcome"]) for e in audit.entries()]
