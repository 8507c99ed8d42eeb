"""`kiosk central` commands, run as an operator would run them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import REPO, free_port, run_kiosk


def test_serve_prints_url_and_first_enrolment_code(data_dir: Path) -> None:
    """On first start `serve` says where it listens and prints a code that enrols a terminal."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "central", "serve", "--port", str(port),
         "--data-dir", str(data_dir)], cwd=REPO, stderr=subprocess.PIPE, text=True,
        env={**os.environ})
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while not any("enrolment code" in line for line in lines):
            assert time.monotonic() < deadline and proc.poll() is None, lines
            lines.append(proc.stderr.readline())
        assert any(f"http://127.0.0.1:{port}" in line for line in lines)
        code = next(line for line in lines if "enrolment code" in line).split()[-1]
        answer = httpx.post(f"http://127.0.0.1:{port}/v1/devices/enroll",
                            json={"enrollment_code": code, "kind": "kiosk"})
        assert answer.status_code == 201
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stderr.close()


def test_operator_commands_beside_a_running_server_leave_its_database_whole(
        data_dir: Path) -> None:
    """`kiosk central enrollment-code` run again and again while `serve` runs: every code
    enrols. (Opening the database file to tighten its mode dropped the server's SQLite
    locks; the next operator command then deleted the WAL under it, and every request
    after was a 500 "disk I/O error".)"""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "central", "serve", "--port", str(port),
         "--data-dir", str(data_dir)], cwd=REPO, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while "enrolment code" not in proc.stderr.readline():
            assert time.monotonic() < deadline and proc.poll() is None
        for _ in range(3):
            code = run_kiosk("central", "enrollment-code", "--kind", "kiosk",
                             data_dir=data_dir).stdout.split()[-1]
            answer = httpx.post(f"http://127.0.0.1:{port}/v1/devices/enroll",
                                json={"enrollment_code": code, "kind": "kiosk"})
            assert answer.status_code == 201, answer.text
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stderr.close()


def test_codes_agents_revocation_and_fleet(data_dir: Path) -> None:
    """Operator commands work on the sandbox's data dir without a running server."""
    issued = run_kiosk("central", "enrollment-code", "--kind", "agent", "--json",
                       data_dir=data_dir)
    assert issued.returncode == 0, issued.stderr
    assert json.loads(issued.stdout)["kind"] == "agent"
    added = run_kiosk("central", "agent", "add", "A001", "--pin", "135790", "--area", "荀山村",
                      "--json", data_dir=data_dir)
    assert added.returncode == 0 and json.loads(added.stdout)["area"] == "荀山村"
    again = run_kiosk("central", "agent", "add", "A001", "--pin", "135790", "--area", "荀山村",
                      data_dir=data_dir)
    assert again.returncode == 1 and "exists already" in again.stderr
    short = run_kiosk("central", "agent", "add", "A002", "--pin", "12", "--area", "荀山村",
                      data_dir=data_dir)
    assert short.returncode == 1 and "6 to 12 digits" in short.stderr
    unknown = run_kiosk("central", "revoke", "kiosk-nothere", data_dir=data_dir)
    assert unknown.returncode == 1 and "no terminal" in unknown.stderr
    fleet = run_kiosk("central", "fleet", "--json", data_dir=data_dir)
    assert fleet.returncode == 0 and json.loads(fleet.stdout) == {"terminals": []}
