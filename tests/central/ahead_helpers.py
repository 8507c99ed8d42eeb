"""What the tests of "thinking ahead" share: a sandbox clock stopped at 10:00 local time on
the next Monday (halls open, the day's first slots gone), and sessions for demo residents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx

from central.clock import utc_now
from central.halls import LOCAL
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from tests.central.builders import MovableClock, open_session

R001 = "330110194610230210"         # 张建国, 80, draws a resident pension (荀山村)
R008 = "330110197411020353"         # 孙志强, 52, unemployed: a working-age list
ELDERLY_ALLOWANCE = "1133011000250201204005000017000"     # 高龄津贴申领 (civil_affairs)
PENSION_CERTIFICATION = "11330110002503015G4007000015000"  # 养老保险待遇领取资格认证 (hrss)
REAL_ESTATE = "real_estate"


def next_monday_10() -> dt.datetime:
    """10:00 local (UTC+8) on the first Monday after today, in UTC."""
    today = utc_now().astimezone(LOCAL).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(10), LOCAL).astimezone(dt.UTC)


def serve(data_dir: Path, clock: MovableClock) -> Iterator[SandboxServer]:
    settings = SandboxSettings(data_dir, workflow=WorkflowSchedule(step_s=0))
    with SandboxServer(settings, clock=clock) as server:
        yield server


def session(client: httpx.Client, id_number: str) -> dict[str, str]:
    """Open a card session for the resident; the header every read in it carries."""
    answer = open_session(client, id_number)
    assert answer.status_code == 201, answer.text
    return {"X-Session-Id": answer.json()["session_id"]}
