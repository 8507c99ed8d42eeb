"""The ID-card commands through the real ``kiosk`` command line against the emulated reader."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.idcard.emulator import IdCardEmulator
from tests.conftest import REPO, run_kiosk

# docs/cli.md, `idcard read --json` fields, in order
FIELDS = ["card_type", "name", "name_en", "gender", "gender_label", "nation", "nation_label",
          "birth_date", "address", "id_number", "id_number_valid", "issuer", "valid_from",
          "valid_until", "nationality", "pass_number", "issue_count", "photo_sha256"]


def test_read_resident_card_json(emulator: IdCardEmulator) -> None:
    """`idcard read --json` prints one object with exactly the documented fields; exit 0."""
    emulator.place("R001")
    proc = run_kiosk("devices", "idcard", "read", "--port", emulator.device_path, "--json",
                     "--timeout", "3")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert list(doc) == FIELDS
    assert doc == {
        "card_type": "resident", "name": "张建国", "name_en": None, "gender": "1",
        "gender_label": "男", "nation": "01", "nation_label": "汉族",
        "birth_date": "1946-10-23", "address": "浙江省杭州市余杭区良渚街道荀山村10号",
        "id_number": "330110194610230210", "id_number_valid": True,
        "issuer": "杭州市公安局余杭分局", "valid_from": "2010-05-01",
        "valid_until": "long-term", "nationality": None, "pass_number": None,
        "issue_count": None, "photo_sha256": doc["photo_sha256"]}
    assert len(doc["photo_sha256"]) == 64 and "张建国" in proc.stdout   # not ASCII-escaped


@pytest.mark.parametrize(("ref", "expected"), [
    ("F001", {"card_type": "foreign_permanent", "name_en": "SMITH JOHN WILLIAM",
              "nationality": "USA", "nation": None, "address": None,
              "id_number_valid": False, "valid_until": "2029-03-01"}),
    ("F002", {"card_type": "foreign_permanent_2023", "nationality": "ESP",
              "name_en": "GARCIA LOPEZ MARIA DE LOS ANGELES FERNANDA", "gender_label": "女"}),
    ("H001", {"card_type": "hmt_residence", "pass_number": "H12345678", "issue_count": "01",
              "nation": None, "nation_label": None, "id_number": "810000199001011230"}),
])
def test_read_other_card_types_json(emulator: IdCardEmulator, ref: str,
                                    expected: dict[str, object]) -> None:
    """Foreign and residence-permit cards fill their own fields and null the others."""
    emulator.place(ref)
    emulator.set_faults(fragmented=True)
    proc = run_kiosk("devices", "idcard", "read", "--port",
                     f"serial://{emulator.device_path}?baud=115200", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert list(doc) == FIELDS
    assert {k: doc[k] for k in expected} == expected


def test_no_card_within_the_time_out_exits_2(emulator: IdCardEmulator) -> None:
    """No card placed: exit 2, nothing on stdout, a plain message on stderr."""
    proc = run_kiosk("devices", "idcard", "read", "--port", emulator.device_path, "--json",
                     "--timeout", "0.6")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "no ID card" in proc.stderr and "Traceback" not in proc.stderr


def test_dead_port_exits_3(emulator: IdCardEmulator) -> None:
    """A reader that is unplugged (its port gone) gives exit 3 and says what to check."""
    emulator.unplug()
    proc = run_kiosk("devices", "idcard", "read", "--port", emulator.device_path, "--json",
                     "--timeout", "1")
    assert proc.returncode == 3
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert "does not exist" in proc.stderr and "设备不存在" in proc.stderr


def test_sam_fault_exits_3(emulator: IdCardEmulator) -> None:
    """A reader whose SAM fails its self-test gives exit 3 with the maintenance message."""
    emulator.set_faults(sam_fault=True)
    proc = run_kiosk("devices", "idcard", "read", "--port", emulator.device_path)
    assert proc.returncode == 3 and "maintenance" in proc.stderr


def test_bad_port_url_exits_1() -> None:
    """A URL that is not a serial port is bad usage: exit 1 naming the problem."""
    proc = run_kiosk("devices", "idcard", "read", "--port", "http://example.invalid/x")
    assert proc.returncode == 1 and "not a serial port" in proc.stderr


def test_human_output_masks_personal_data(emulator: IdCardEmulator) -> None:
    """Without --json the name, number and address are shown masked."""
    emulator.place("R006")
    proc = run_kiosk("devices", "idcard", "read", "--port", emulator.device_path)
    assert proc.returncode == 0, proc.stderr
    assert "330***********0310" in proc.stdout and "330113199008140310" not in proc.stdout
    assert "刘伟" not in proc.stdout and "东湖村15号" not in proc.stdout


def test_devices_list_shows_the_configured_reader(emulator: IdCardEmulator,
                                                  data_dir: Path) -> None:
    """`devices list --json` probes the configured ID-card port and reports its speed and SAM."""
    (data_dir / "config.toml").write_text(
        f'[devices]\nidcard_port = "{emulator.device_path}"\n', encoding="utf-8")
    proc = run_kiosk("devices", "list", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    ports = json.loads(proc.stdout)["serial"]["ports"]
    mine = [p for p in ports if p["path"] == emulator.device_path]
    assert mine and mine[0]["configured_as"] == "idcard"
    assert mine[0]["idcard"] == {"answers": True, "baudrate": 115200,
                                 "sam_id": "05.01-123456789-3221971278-0000001234"}


def test_emulate_command_serves_a_reader_driven_from_stdin(tmp_path: Path) -> None:
    """`emulate idcard` prints its path; `place`/`remove` on stdin drive what a read sees."""
    link = tmp_path / "ttyEMU"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "devices", "emulate", "idcard", "--link",
         str(link), "--no-pacing"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == str(link)
        proc.stdin.write("place H002\n")
        proc.stdin.flush()
        deadline = time.monotonic() + 10
        while True:
            read = run_kiosk("devices", "idcard", "read", "--port", str(link), "--json",
                             "--timeout", "2")
            if read.returncode == 0 or time.monotonic() > deadline:
                break
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout)["pass_number"] == "12345678"
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.wait(10) == 0
        assert not link.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_emulate_help_documents_the_stdin_commands() -> None:
    """`emulate idcard --help` lists place, remove and quit, and the fault switches."""
    proc = run_kiosk("devices", "emulate", "idcard", "--help")
    assert proc.returncode == 0
    for word in ("place REF", "remove", "quit", "sam_fault", "unplug"):
        assert word in proc.stdout


def test_emulate_refuses_an_unknown_profile() -> None:
    """An unknown --profile is bad usage naming the known cards."""
    proc = run_kiosk("devices", "emulate", "idcard", "--profile", "X999")
    assert proc.returncode == 1 and "R001" in proc.stderr


def test_emulate_without_stdin_serves_until_terminated(tmp_path: Path) -> None:
    """With stdin closed (as a demo starts it) it keeps serving; SIGTERM stops it cleanly."""
    link = tmp_path / "ttyBG"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "devices", "emulate", "idcard", "--link",
         str(link), "--profile", "r005", "--no-pacing"], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == str(link)
        read = run_kiosk("devices", "idcard", "read", "--port", str(link), "--json")
        assert read.returncode == 0, read.stderr
        assert json.loads(read.stdout)["valid_until"] == "2036-03-01"
        proc.terminate()
        assert proc.wait(10) == 0
        assert not link.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
