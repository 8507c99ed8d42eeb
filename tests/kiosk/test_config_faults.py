"""Configuration faults a technician can cause: numbers that are not numbers, a config.toml
that cannot be read as text, and what `kiosk` (and `kiosk run` under systemd) does then."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config as cfg
from kiosk.errors import ConfigError
from kiosk.systemd import CONFIG_EXIT_STATUS, LEAVE_KIOSK_EXIT_STATUS
from tests.conftest import REPO, run_kiosk

FLOAT_KEYS = [info.key for info in cfg.settings() if info.type is float]
NOT_FINITE = ["nan", "inf", "-inf"]


def write(data_dir: Path, text: str) -> None:
    (data_dir / cfg.CONFIG_FILE).write_text(text, encoding="utf-8")


# -- 1. NaN and infinity ---------------------------------------------------------------------
def test_there_are_number_settings_to_check() -> None:
    """The checks below cover the time-outs at least (they would pass vacuously without)."""
    assert {"platform.connect_timeout_s", "platform.read_timeout_s"} <= set(FLOAT_KEYS)


@pytest.mark.parametrize("key", FLOAT_KEYS)
@pytest.mark.parametrize("value", NOT_FINITE)
def test_nan_and_infinity_in_the_file_are_refused(data_dir: Path, key: str,
                                                  value: str) -> None:
    """A TOML nan/inf for a number setting fails loading, naming key, value and the range."""
    section, name = key.split(".")
    write(data_dir, f"[{section}]\n{name} = {value}\n")
    with pytest.raises(ConfigError) as refused:
        cfg.load(data_dir, environ={})
    assert refused.value.key == key
    assert "a number from" in str(refused.value) and value in str(refused.value)


@pytest.mark.parametrize("key", FLOAT_KEYS)
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity"])
def test_nan_and_infinity_from_the_environment_are_refused(data_dir: Path, key: str,
                                                           value: str) -> None:
    """KIOSK_SECTION_KEY=nan (or inf) fails loading and names the variable."""
    variable = cfg.ENV_PREFIX + key.replace(".", "_").upper()
    with pytest.raises(ConfigError, match=variable) as refused:
        cfg.load(data_dir, environ={variable: value})
    assert refused.value.key == key and "a number from" in str(refused.value)


def test_config_set_refuses_nan(data_dir: Path) -> None:
    """`config set platform.read_timeout_s nan` is refused and leaves no file behind."""
    with pytest.raises(ConfigError, match=r"platform\.read_timeout_s"):
        cfg.set_value(data_dir, "platform.read_timeout_s", "nan")
    assert not (data_dir / cfg.CONFIG_FILE).exists()


def test_config_show_refuses_nan_from_the_environment(data_dir: Path) -> None:
    """Through the real CLI: exit 1, one line naming the variable and the range."""
    proc = run_kiosk("config", "show", data_dir=data_dir,
                     env={"KIOSK_PLATFORM_CONNECT_TIMEOUT_S": "nan"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "platform.connect_timeout_s" in proc.stderr
    assert "KIOSK_PLATFORM_CONNECT_TIMEOUT_S" in proc.stderr
    assert "a number from 0.5 to 60" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("argv", "option"), [
    (["queue", "sync", "--max-seconds", "nan"], "--max-seconds"),
    (["devices", "idcard", "read", "--port", "/dev/null", "--timeout", "nan"], "--timeout"),
    (["devices", "smartcard", "read", "--timeout", "inf"], "--timeout"),
    (["central", "serve", "--host", "192.0.2.1", "--workflow-step-s", "nan"],
     "--workflow-step-s"),
])
def test_numeric_options_refuse_nan_and_infinity(data_dir: Path, argv: list[str],
                                                 option: str) -> None:
    """Every numeric option of every command refuses nan/inf as bad usage (exit 1) before
    doing anything, naming the option."""
    proc = run_kiosk(*argv, data_dir=data_dir, timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert option in proc.stderr and "finite number" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_emulator_delay_command_refuses_infinity() -> None:
    """The ID-card emulator's `delay S` stdin command does not take inf (a reader that never
    answers) for a number; it answers with the command list instead."""
    proc = run_kiosk("devices", "emulate", "idcard", "--no-pacing",
                     input="delay inf\ndelay 0.5\nquit\n", timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "replies inf s late" not in proc.stderr
    assert "replies 0.5 s late" in proc.stderr


# -- 2. a config.toml that cannot be read as text ---------------------------------------------
def test_gbk_file_is_a_config_error(data_dir: Path) -> None:
    """A config.toml saved in GBK (a Chinese Windows editor's default) says so by name."""
    (data_dir / cfg.CONFIG_FILE).write_bytes('[terminal]\nsite_name = "东湖村"\n'.encode("gbk"))
    with pytest.raises(ConfigError) as refused:
        cfg.load(data_dir, environ={})
    assert str(data_dir / cfg.CONFIG_FILE) in str(refused.value)
    assert "not UTF-8 text" in str(refused.value) and "save it as UTF-8" in str(refused.value)


def test_utf8_with_a_byte_order_mark_is_read(data_dir: Path) -> None:
    """Notepad's "UTF-8 with BOM" is UTF-8 too: the mark is not taken for TOML."""
    (data_dir / cfg.CONFIG_FILE).write_bytes(
        '\ufeff[terminal]\nsite_name = "东湖村"\n'.encode())
    assert cfg.load(data_dir, environ={}).terminal.site_name == "东湖村"


def test_directory_is_a_config_error(data_dir: Path) -> None:
    """A directory where config.toml should be is named as such."""
    (data_dir / cfg.CONFIG_FILE).mkdir()
    with pytest.raises(ConfigError) as refused:
        cfg.load(data_dir, environ={})
    assert str(data_dir / cfg.CONFIG_FILE) in str(refused.value)
    assert "is a directory, not a file" in str(refused.value)


def _config_show(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return run_kiosk("config", "show", data_dir=data_dir)


@pytest.mark.parametrize("fault", ["gbk", "directory"])
def test_config_show_reports_an_unreadable_file(data_dir: Path, fault: str) -> None:
    """Through the real CLI: exit 1 and a message naming the file, not "internal error"."""
    path = data_dir / cfg.CONFIG_FILE
    if fault == "gbk":
        path.write_bytes('[terminal]\nsite_name = "东湖村"\n'.encode("gbk"))
    else:
        path.mkdir()
    proc = _config_show(data_dir)
    assert proc.returncode == 1, proc.stderr
    assert str(path) in proc.stderr and "internal error" not in proc.stderr
    assert ("not UTF-8 text" if fault == "gbk" else "is a directory") in proc.stderr


def test_file_without_read_permission_is_a_config_error(data_dir: Path) -> None:
    """A config.toml the kiosk's user may not read is named, with what to do. As root the
    child runs without the capabilities that bypass file permissions."""
    path = data_dir / cfg.CONFIG_FILE
    write(data_dir, '[terminal]\nsite_name = "东湖村"\n')
    path.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop CAP_DAC_OVERRIDE")
        prefix = [setpriv, "--inh-caps=-all",
                  "--bounding-set=-dac_override,-dac_read_search"]
    proc = subprocess.run([*prefix, sys.executable, "-m", "kiosk.cli.main", "config", "show",
                           "--data-dir", str(data_dir)], capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert proc.returncode == 1, proc.stderr
    assert str(path) in proc.stderr and "cannot be read" in proc.stderr
    assert "permission" in proc.stderr.lower() and "internal error" not in proc.stderr


@pytest.mark.parametrize("fault", ["gbk", "directory", "nan"])
def test_kiosk_run_stops_with_the_no_restart_status(data_dir: Path, fault: str) -> None:
    """`kiosk run` with a broken configuration stops before any window with the message and
    the exit status deploy/kiosk.service does not restart (a restart cannot fix a file)."""
    path = data_dir / cfg.CONFIG_FILE
    if fault == "gbk":
        path.write_bytes('[terminal]\nsite_name = "东湖村"\n'.encode("gbk"))
    elif fault == "directory":
        path.mkdir()
    else:
        write(data_dir, "[platform]\nread_timeout_s = nan\n")
    proc = run_kiosk("run", "--quit-after-ready", data_dir=data_dir)
    assert proc.returncode == CONFIG_EXIT_STATUS, proc.stderr
    assert str(path) in proc.stderr and "ready in" not in proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert "kiosk config" in proc.stderr             # says how to look and fix


def test_the_unit_does_not_restart_on_a_configuration_error() -> None:
    """deploy/kiosk.service lists the configuration error's status (next to the technician's
    leave status) in RestartPreventExitStatus, and docs/cli.md documents it."""
    unit = (REPO / "deploy" / "kiosk.service").read_text(encoding="utf-8")
    prevent = next(line for line in unit.splitlines()
                   if line.startswith("RestartPreventExitStatus="))
    statuses = prevent.partition("=")[2].split()
    assert str(CONFIG_EXIT_STATUS) in statuses and str(LEAVE_KIOSK_EXIT_STATUS) in statuses
    assert f"`{CONFIG_EXIT_STATUS}`" in (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


# -- 4. how the platform is reached: proxy, trust store, pins ----------------------------------
PIN = base64.b64encode(hashlib.sha256(b"a platform key").digest()).decode()
OTHER_PIN = base64.b64encode(hashlib.sha256(b"the next platform key").digest()).decode()


@pytest.mark.parametrize(("key", "value", "allowed"), [
    ("proxy", "socks5://10.1.2.3:1080", "http:// or https://"),
    ("proxy", "10.1.2.3:3128", "http:// or https://"),
    ("proxy", "http://10.1.2.3:3128/pac", "scheme, host and port only"),
    ("ca_bundle", "certs/platform.pem", "absolute path"),
    ("ca_bundle", "/nonexistent/platform.pem", "no such file"),
    ("ca_bundle", str(REPO / "pyproject.toml"), "not a PEM file"),
    ("pin_sha256", "abc", "not a base64 SHA-256 digest"),
    ("pin_sha256", f"{PIN},sha256/{OTHER_PIN}", "not a base64 SHA-256 digest"),
    ("pin_sha256", base64.b64encode(b"short").decode(), "not a base64 SHA-256 digest"),
])
def test_connection_settings_are_checked(data_dir: Path, key: str, value: str,
                                         allowed: str) -> None:
    """platform.proxy, ca_bundle and pin_sha256 are refused at start-up when they cannot
    work, naming the key, the value and what is allowed."""
    write(data_dir, f"[platform]\n{key} = {json.dumps(value)}\n")
    with pytest.raises(ConfigError) as refused:
        cfg.load(data_dir, environ={})
    assert refused.value.key == f"platform.{key}" and allowed in str(refused.value)
    assert value in str(refused.value)


def test_connection_settings_make_the_client_settings(data_dir: Path) -> None:
    """Valid values (file and environment) end up in the one ClientSettings every platform
    client is built from; the defaults mean direct, the system's trust store, no pinning."""
    import certifi

    defaults = cfg.load(data_dir, environ={}).platform.client_settings()
    assert (defaults.proxy, defaults.ca_bundle, defaults.pins) == ("", "", frozenset())
    write(data_dir, f'[platform]\nread_timeout_s = 30\nca_bundle = "{certifi.where()}"\n'
                    f'pin_sha256 = " {PIN} , {OTHER_PIN} "\n')
    platform = cfg.load(data_dir, environ={"KIOSK_PLATFORM_PROXY": "http://10.1.2.3:3128"}
                        ).platform
    settings = platform.client_settings()
    assert settings.proxy == "http://10.1.2.3:3128" and settings.ca_bundle == certifi.where()
    assert settings.pins == {hashlib.sha256(b"a platform key").digest(),
                             hashlib.sha256(b"the next platform key").digest()}
    assert (settings.connect_timeout_s, settings.read_timeout_s) == (5.0, 30.0)
    assert platform.client_settings(read_timeout_s=8.0).read_timeout_s == 8.0
