"""The ``kiosk`` command line: help, JSON output, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_kiosk


def test_help_lists_every_command_group() -> None:
    """`kiosk --help` names every group of docs/cli.md and the exit-code convention."""
    proc = run_kiosk("--help")
    assert proc.returncode == 0
    for group in ("run", "devices", "enroll", "queue", "catalog", "central", "config"):
        assert f"\n    {group} " in proc.stdout
    assert "Exit codes" in proc.stdout


@pytest.mark.parametrize("group", ["devices", "queue", "catalog", "central", "config",
                                   "devices idcard", "devices printer", "central agent"])
def test_every_group_has_help(group: str) -> None:
    """Each command group answers --help with a usage line."""
    proc = run_kiosk(*group.split(), "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: kiosk " + group)


def test_config_show_json_is_one_object_on_stdout(data_dir: Path) -> None:
    """`config show --json` prints exactly one JSON object and keeps the PIN hash secret."""
    (data_dir / "config.toml").write_text(
        '[terminal]\nsite_name = "东湖村服务点"\n[security]\ntechnician_pin_hash = "scrypt$x"\n',
        encoding="utf-8")
    proc = run_kiosk("config", "show", "--json", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["terminal"]["site_name"] == "东湖村服务点"
    assert "东湖村服务点" in proc.stdout  # not ASCII-escaped
    assert doc["security"]["technician_pin_hash"] == "(set)"
    assert doc["platform"]["url"] == "http://127.0.0.1:8765"


def test_bad_config_value_exits_1_naming_key_value_and_rule(data_dir: Path) -> None:
    """A bad value in config.toml is reported in one line, with exit 1 and no traceback."""
    (data_dir / "config.toml").write_text('[terminal]\nlanguage = "fr"\n', encoding="utf-8")
    proc = run_kiosk("config", "show", "--json", data_dir=data_dir)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "terminal.language" in proc.stderr and "'fr'" in proc.stderr
    assert "one of zh, en" in proc.stderr and "Traceback" not in proc.stderr


def test_config_set_then_show(data_dir: Path) -> None:
    """`config set` stores a validated value that `config show` then reports."""
    assert run_kiosk("config", "set", "devices.receipt_printer", "tcp://127.0.0.1:9100",
                     data_dir=data_dir).returncode == 0
    bad = run_kiosk("config", "set", "terminal.idle_warning_s", "3", data_dir=data_dir)
    assert bad.returncode == 1 and "from 10 to 600" in bad.stderr
    shown = json.loads(run_kiosk("config", "show", "--json", data_dir=data_dir).stdout)
    assert shown["devices"]["receipt_printer"] == "tcp://127.0.0.1:9100"
    assert shown["terminal"]["idle_warning_s"] == 60


def test_config_pin_stores_only_a_hash(data_dir: Path) -> None:
    """`config pin` keeps a slow salted hash, never the PIN itself."""
    proc = run_kiosk("config", "pin", data_dir=data_dir, input="246813\n")
    assert proc.returncode == 0, proc.stderr
    text = (data_dir / "config.toml").read_text()
    assert "246813" not in text and "scrypt$" in text
    assert run_kiosk("config", "pin", data_dir=data_dir, input="12\n").returncode == 1


def test_bad_usage_exits_1() -> None:
    """An unknown command or a missing argument is bad usage: exit 1."""
    assert run_kiosk("fly").returncode == 1
    assert run_kiosk("devices", "idcard", "read").returncode == 1


def test_commands_other_than_run_do_not_import_qt(data_dir: Path) -> None:
    """A technician's SSH session without a display can use every command but `run`."""
    proc = run_kiosk("config", "show", "--json", data_dir=data_dir,
                     env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode == 0
    assert "PySide6" not in proc.stderr
