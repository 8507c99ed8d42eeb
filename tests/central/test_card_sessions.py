"""Card sessions on the real sandbox (platform-api.md, "Access to shared data is bound to a
card session"): who may open one for whom, one at a time, 15 minutes, rolling-window limits
with Retry-After, and shared data read only inside a session, every read logged.

The sandbox here runs on a clock the tests move (``central.clock``), so sessions age and
windows roll without sleeping; its limits are small (5 a rolling hour for a kiosk, 8 a
rolling day for an agent terminal) so a test reaches them in a few requests.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from central import admin
from central.card_sessions import SessionLimits
from central.platform import SandboxServer, SandboxSettings
from central.workflow import WorkflowSchedule
from tests.central.builders import MovableClock, open_session
from tests.central.conftest import Enrol
from tests.conftest import REPO, free_port, run_kiosk

PREFILL = "/v1/residents/{}/prefill"
PIN = "135790"
STRANGER = "11010519491231002X"     # valid, but no resident of the sandbox




@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def operator_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --data-dir of `kiosk central` for this module's sandbox (which is <it>/central)."""
    return tmp_path_factory.mktemp("operator")


@pytest.fixture(scope="module")
def sandbox(operator_dir: Path, clock: MovableClock) -> Iterator[SandboxServer]:
    settings = SandboxSettings(operator_dir / "central", workflow=WorkflowSchedule(step_s=0),
                               session_limits=SessionLimits(kiosk_per_hour=5, agent_per_day=8))
    with SandboxServer(settings, clock=clock) as server:
        yield server


def residents(sandbox: SandboxServer) -> tuple[str, str, str]:
    """Two residents of one village, and one of another village."""
    people = sandbox.platform.catalog.residents
    first = people[0]
    same = next(r for r in people[1:] if r.village == first.village)
    other = next(r for r in people if r.village != first.village)
    return first.id_number, same.id_number, other.id_number


def item(sandbox: SandboxServer) -> str:
    return next(i.code for i in sandbox.platform.catalog.catalog.items if str(i.mode) == "apply")


def prefill(client: httpx.Client, sandbox: SandboxServer, id_number: str,
            session_id: str | None) -> httpx.Response:
    headers = {"X-Session-Id": session_id} if session_id is not None else {}
    return client.get(PREFILL.format(id_number), params={"item_code": item(sandbox)},
                      headers=headers)


def opened(answer: httpx.Response) -> str:
    assert answer.status_code == 201, answer.text
    return str(answer.json()["session_id"])


def problem(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json().get("code", "")


def open_rows(sandbox: SandboxServer, device_id: str) -> int:
    with sandbox.platform.db.session() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM card_sessions WHERE device_id = ? AND "
                                "closed_at IS NULL", (device_id,)).fetchone()[0])


def signed_in_agent(sandbox: SandboxServer, client: httpx.Client, area: str,
                    number: str) -> str:
    admin.add_agent(sandbox.platform.settings.data_dir, number, PIN, area)
    answer = client.post("/v1/agents/sign-in", json={"agent_number": number, "pin": PIN})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["agent_token"])


# -- reads need a session ----------------------------------------------------------------------
def test_prefill_is_refused_outside_a_session_of_this_device_for_this_resident(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """No session, another resident's session, another device's session, an unknown id and
    a closed session are each 403 no_session; the session itself reads; every attempt is in
    the access log, the refused ones as no_session."""
    kiosk, other_kiosk = enrol(), enrol()
    me, neighbour, _ = residents(sandbox)
    mine = opened(open_session(kiosk, me))
    theirs = opened(open_session(other_kiosk, me))
    assert problem(prefill(kiosk, sandbox, me, None)) == (403, "no_session")
    assert problem(prefill(kiosk, sandbox, neighbour, mine)) == (403, "no_session")
    assert problem(prefill(kiosk, sandbox, me, theirs)) == (403, "no_session")
    assert problem(prefill(kiosk, sandbox, me, "no-such-session")) == (403, "no_session")
    assert prefill(kiosk, sandbox, me, mine).status_code == 200
    assert kiosk.delete(f"/v1/sessions/{mine}").status_code == 204
    assert problem(prefill(kiosk, sandbox, me, mine)) == (403, "no_session")
    with sandbox.platform.db.session() as conn:
        rows = conn.execute("SELECT outcome, session_id FROM access_log WHERE device_id = ? "
                            "ORDER BY id", (kiosk.device_id,)).fetchall()
    assert [r["outcome"] for r in rows] == ["no_session"] * 4 + ["found", "no_session"]
    assert rows[4]["session_id"] == mine


def test_a_session_lasts_fifteen_minutes(sandbox: SandboxServer, enrol: Enrol,
                                         clock: MovableClock) -> None:
    """A session reads until 15 minutes after it opened, and not from then on; closing an
    expired session is 404."""
    kiosk = enrol()
    me = residents(sandbox)[0]
    answer = open_session(kiosk, me)
    session = opened(answer)
    expires = dt.datetime.fromisoformat(answer.json()["expires_at"].replace("Z", "+00:00"))
    assert expires - clock.now == dt.timedelta(minutes=15)
    clock.advance(minutes=14, seconds=59)
    assert prefill(kiosk, sandbox, me, session).status_code == 200
    clock.advance(seconds=1)
    assert problem(prefill(kiosk, sandbox, me, session)) == (403, "no_session")
    assert kiosk.delete(f"/v1/sessions/{session}").status_code == 404


def test_a_kiosk_holds_one_open_session(sandbox: SandboxServer, enrol: Enrol) -> None:
    """Opening a session closes the kiosk's previous one; a session is closed once, and only
    by its own device."""
    kiosk, other_kiosk = enrol(), enrol()
    me, neighbour, _ = residents(sandbox)
    first = opened(open_session(kiosk, me))
    second = opened(open_session(kiosk, neighbour))
    assert open_rows(sandbox, kiosk.device_id) == 1
    assert problem(prefill(kiosk, sandbox, me, first)) == (403, "no_session")
    assert prefill(kiosk, sandbox, neighbour, second).status_code == 200
    assert kiosk.delete(f"/v1/sessions/{first}").status_code == 404
    assert other_kiosk.delete(f"/v1/sessions/{second}").status_code == 404
    assert kiosk.delete(f"/v1/sessions/{second}").status_code == 204
    assert kiosk.delete(f"/v1/sessions/{second}").status_code == 404
    assert open_rows(sandbox, kiosk.device_id) == 0


def test_what_a_session_request_must_hold(sandbox: SandboxServer, enrol: Enrol) -> None:
    """A kiosk may not open agent_verified sessions (403 forbidden); a card session needs the
    card's digest; the answer says whether the platform knows the resident; the digest is
    kept for audit, the ID number is not."""
    kiosk = enrol()
    me = residents(sandbox)[0]
    assert problem(open_session(kiosk, me, identified_by="agent_verified",
                                card_digest=None)) == (403, "forbidden")
    assert problem(open_session(kiosk, me, card_digest=None)) == (400, "bad_request")
    assert problem(open_session(kiosk, me, card_digest="ABC")) == (400, "bad_request")
    assert problem(open_session(kiosk, me, identified_by="passport")) == (400, "bad_request")
    assert open_session(kiosk, me, identified_by="social_security_card"
                        ).json()["resident_known"] is True
    assert open_session(kiosk, STRANGER).json()["resident_known"] is False
    with sandbox.platform.db.session() as conn:
        rows = [dict(r) for r in conn.execute("SELECT * FROM card_sessions WHERE device_id = ?",
                                              (kiosk.device_id,))]
    assert len(rows) == 2 and all(len(r["card_digest"]) == 64 for r in rows)
    assert not any(me in str(r) or STRANGER in str(r) for r in rows)


# -- agents --------------------------------------------------------------------------------------
def test_an_agent_opens_sessions_only_for_residents_of_their_area(
        sandbox: SandboxServer, enrol: Enrol) -> None:
    """An agent terminal sends the agent's token (else 403 agent_sign_in_required) and opens
    sessions for residents of the agent's area only (another area's or an unknown resident:
    403 outside_area), from a card or agent_verified; each signed-in agent holds their own."""
    device = enrol("agent")
    me, neighbour, elsewhere = residents(sandbox)
    area = sandbox.platform.catalog.resident_by_id(me).village
    token = signed_in_agent(sandbox, device, area, f"S{free_port()}")
    colleague = signed_in_agent(sandbox, device, area, f"T{free_port()}")
    assert problem(open_session(device, me)) == (403, "agent_sign_in_required")
    assert problem(open_session(device, me, agent_token="forged")) == \
        (403, "agent_token_invalid")
    assert problem(open_session(device, elsewhere, agent_token=token)) == (403, "outside_area")
    assert problem(open_session(device, STRANGER, agent_token=token)) == (403, "outside_area")
    mine = opened(open_session(device, me, agent_token=token))
    verified = opened(open_session(device, neighbour, identified_by="agent_verified",
                                   card_digest=None, agent_token=colleague))
    assert open_rows(sandbox, device.device_id) == 2      # one per signed-in agent
    assert prefill(device, sandbox, me, mine).status_code == 200
    assert prefill(device, sandbox, neighbour, verified).status_code == 200
    opened(open_session(device, neighbour, agent_token=token))   # closes the agent's first
    assert problem(prefill(device, sandbox, me, mine)) == (403, "no_session")
    assert prefill(device, sandbox, neighbour, verified).status_code == 200


# -- limits --------------------------------------------------------------------------------------
def test_a_kiosk_past_its_hourly_limit_waits_for_the_oldest_session_to_age_out(
        sandbox: SandboxServer, enrol: Enrol, clock: MovableClock) -> None:
    """With 5 an hour, the sixth session within 60 minutes is 429 session_rate with
    Retry-After until the oldest of the window is 60 minutes old; then one more opens, and
    the next waits for the second oldest."""
    kiosk = enrol()
    me = residents(sandbox)[0]
    for _ in range(5):
        opened(open_session(kiosk, me))
        clock.advance(minutes=1)
    refused = open_session(kiosk, me)
    assert problem(refused) == (429, "session_rate")
    # the oldest opened 5 minutes ago: it leaves the window in 55 minutes
    assert refused.headers["Retry-After"] == str(55 * 60)
    clock.advance(seconds=55 * 60 - 1)
    assert problem(open_session(kiosk, me)) == (429, "session_rate")
    clock.advance(seconds=1)
    opened(open_session(kiosk, me))
    again = open_session(kiosk, me)
    assert problem(again) == (429, "session_rate")
    assert again.headers["Retry-After"] == "60"      # the second oldest, a minute younger


def test_an_agent_terminal_has_a_daily_limit(sandbox: SandboxServer, enrol: Enrol,
                                             clock: MovableClock) -> None:
    """An agent terminal opens 8 sessions a rolling day here, then waits for the oldest to
    be a day old; refused opens are not counted."""
    device = enrol("agent")
    me = residents(sandbox)[0]
    token = signed_in_agent(sandbox, device, sandbox.platform.catalog.resident_by_id(me).village,
                            f"D{free_port()}")
    for _ in range(8):
        opened(open_session(device, me, agent_token=token))
        clock.advance(hours=1)
    refused = open_session(device, me, agent_token=token)
    assert problem(refused) == (429, "session_rate")
    assert refused.headers["Retry-After"] == str(16 * 3600)
    clock.advance(hours=16)
    token = signed_in_agent(sandbox, device, sandbox.platform.catalog.resident_by_id(me).village,
                            f"E{free_port()}")      # the first agent's 12-hour token ran out
    opened(open_session(device, me, agent_token=token))


def test_parallel_opens_never_pass_the_limit(sandbox: SandboxServer, enrol: Enrol) -> None:
    """Twenty opens at once from one kiosk: exactly five are opened, the rest are
    429 session_rate, and one session is left open."""
    kiosk = enrol()
    me = residents(sandbox)[0]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: open_session(kiosk, me).status_code, range(20)))
    assert sorted(answers) == [201] * 5 + [429] * 15
    assert open_rows(sandbox, kiosk.device_id) == 1


# -- what the operator sees ----------------------------------------------------------------------
def test_access_and_fleet_show_reads_and_flag_a_device_past_80_percent(
        sandbox: SandboxServer, enrol: Enrol, operator_dir: Path) -> None:
    """`kiosk central access` counts each device's reads per endpoint (refused ones apart)
    and its sessions against the limit; `fleet` flags a device past 80 % of it: 4 of 5 is
    not past, 5 of 5 is."""
    busy, quiet = enrol(), enrol()
    me = residents(sandbox)[0]
    for _ in range(4):
        session = opened(open_session(busy, me))
    assert prefill(busy, sandbox, me, session).status_code == 200
    assert prefill(busy, sandbox, me, None).status_code == 403
    opened(open_session(quiet, me))

    def fleet_flags() -> dict[str, list[str]]:
        result = run_kiosk("central", "fleet", "--json", data_dir=operator_dir)
        assert result.returncode == 0, result.stderr
        return {t["device_id"]: t["flags"] for t in json.loads(result.stdout)["terminals"]}

    assert fleet_flags()[busy.device_id] == []
    opened(open_session(busy, me))
    assert fleet_flags()[busy.device_id] == ["session_rate_near_limit"]
    assert fleet_flags()[quiet.device_id] == []
    human = run_kiosk("central", "fleet", data_dir=operator_dir).stdout
    busy_line = next(line for line in human.splitlines() if line.startswith(busy.device_id))
    assert "sessions 5/5" in busy_line and "FLAG session_rate_near_limit" in busy_line

    result = run_kiosk("central", "access", "--json", data_dir=operator_dir)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["limits"] == {"kiosk_per_hour": 5, "agent_per_day": 8}
    devices = {d["device_id"]: d for d in doc["devices"]}
    assert devices[busy.device_id]["sessions_in_window"] == 5
    assert devices[busy.device_id]["near_limit"] is True
    assert devices[quiet.device_id]["near_limit"] is False
    [reads] = devices[busy.device_id]["reads"]
    assert (reads["endpoint"], reads["reads"], reads["refused"], reads["residents"]) == \
        ("GET /v1/residents/{id_number}/prefill", 2, 1, 1)
    assert devices[quiet.device_id]["reads"] == []
    human = run_kiosk("central", "access", data_dir=operator_dir).stdout
    assert "kiosk 5 per rolling hour" in human and "NEAR LIMIT" in human
    assert "2 reads (1 without a session), 1 residents" in human
    assert me not in result.stdout + human


def test_serve_takes_session_limits(tmp_path: Path) -> None:
    """`kiosk central serve --session-limits 2,3` enforces 2 sessions an hour for a kiosk
    and `access` reports the limits it serves with."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "central", "serve", "--port", str(port),
         "--session-limits", "2,3", "--data-dir", str(tmp_path)], cwd=REPO,
        stderr=subprocess.PIPE, text=True, env={**os.environ})
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while not any("enrolment code" in line for line in lines):
            assert time.monotonic() < deadline and proc.poll() is None, lines
            lines.append(proc.stderr.readline())
        code = next(line for line in lines if "enrolment code" in line).split()[-1]
        enrolled = httpx.post(f"http://127.0.0.1:{port}/v1/devices/enroll",
                              json={"enrollment_code": code, "kind": "kiosk"}).json()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={
                "Authorization": f"Bearer {enrolled['token']}"}) as kiosk:
            statuses = [open_session(kiosk, STRANGER).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]
        doc = json.loads(run_kiosk("central", "access", "--json", data_dir=tmp_path).stdout)
        assert doc["limits"] == {"kiosk_per_hour": 2, "agent_per_day": 3}
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stderr.close()
    bad = run_kiosk("central", "serve", "--session-limits", "60", data_dir=tmp_path)
    assert bad.returncode != 0 and "KIOSK_PER_HOUR,AGENT_PER_DAY" in bad.stderr


def test_an_older_database_keeps_its_prefill_audit_in_the_access_log(tmp_path: Path) -> None:
    """A sandbox database of schema 3 is migrated: its prefill audit rows move into the
    access log (no session), and the database gets its own resident key."""
    import sqlite3

    from central.db import _MIGRATIONS, SCHEMA_VERSION, Database

    path = tmp_path / "central.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for version in (1, 2, 3):
        for statement in _MIGRATIONS[version].split(";"):
            if statement.strip():
                old.execute(statement)
    old.execute("PRAGMA user_version=3")
    old.execute("INSERT INTO prefill_audit (at, device_id, agent_id, item_code, resident_hash, "
                "outcome) VALUES ('2026-12-01T08:00:00.000Z', 'kiosk-old', NULL, 'X1', "
                "'ab12', 'found')")
    old.close()
    db = Database(path)
    try:
        with db.session() as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            rows = [dict(r) for r in conn.execute("SELECT * FROM access_log")]
            key = conn.execute("SELECT value FROM sandbox_values WHERE name = 'resident_key'"
                               ).fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        db.close()
    assert [(r["device_id"], r["session_id"], r["resident_hash"], r["endpoint"], r["outcome"])
            for r in rows] == [("kiosk-old", None, "ab12",
                                "GET /v1/residents/{id_number}/prefill", "found")]
    assert len(key) == 64 and int(key, 16) >= 0
    assert "prefill_audit" not in tables
