"""Configuration: declared defaults, file, environment overrides and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import config as cfg
from kiosk.errors import ConfigError


def write(data_dir: Path, text: str) -> None:
    (data_dir / cfg.CONFIG_FILE).write_text(text, encoding="utf-8")


def test_defaults_without_a_file(data_dir: Path) -> None:
    """A data dir with no config.toml gives the documented defaults."""
    config = cfg.load(data_dir, environ={})
    assert config.terminal.kind == "kiosk"
    assert config.platform.url == "http://127.0.0.1:8765"
    assert config.queue.retention_days == 7


def test_every_setting_is_documented() -> None:
    """Each setting carries a sentence of documentation and a description of allowed values."""
    infos = list(cfg.settings())
    assert len(infos) > 15
    for info in infos:
        assert len(info.doc) > 10, info.key
        assert info.allowed()


def test_file_values_are_read_and_typed(data_dir: Path) -> None:
    """Values from config.toml are read with their types (ints given for floats accepted)."""
    write(data_dir, '[terminal]\nkind = "agent"\nidle_warning_s = 90\n'
                    '[platform]\nread_timeout_s = 30\n')
    config = cfg.load(data_dir, environ={})
    assert config.terminal.kind == "agent"
    assert config.terminal.idle_warning_s == 90
    assert config.platform.read_timeout_s == 30.0


def test_environment_overrides_the_file(data_dir: Path) -> None:
    """KIOSK_SECTION_KEY wins over the file, and is parsed to the setting's type."""
    write(data_dir, '[terminal]\nidle_warning_s = 90\n')
    config = cfg.load(data_dir, environ={"KIOSK_TERMINAL_IDLE_WARNING_S": "120",
                                         "KIOSK_TERMINAL_HIDE_CURSOR": "true"})
    assert config.terminal.idle_warning_s == 120
    assert config.terminal.hide_cursor is True


@pytest.mark.parametrize(("toml", "key", "allowed"), [
    ('[terminal]\nkind = "bus"\n', "terminal.kind", "one of kiosk, agent"),
    ('[terminal]\nidle_warning_s = 5\n', "terminal.idle_warning_s", "from 10 to 600"),
    ('[terminal]\nidle_warning_s = "soon"\n', "terminal.idle_warning_s", "a whole number"),
    ('[platform]\nurl = "http://192.0.2.1/"\n', "platform.url", "loopback"),
    ('[terminal]\nsite_region_code = "33"\n', "terminal.site_region_code", "six digits"),
    ('[devices]\nreceipt_printer = "lpt://x"\n', "devices.receipt_printer", "tcp://"),
    ('[terminal]\ncolour = "red"\n', "terminal.colour", "unknown setting"),
    ('[screen]\nsize = 1\n', "screen", "unknown section"),
])
def test_invalid_values_name_key_value_and_what_is_allowed(
        data_dir: Path, toml: str, key: str, allowed: str) -> None:
    """A bad value fails loading with a message naming the key, the value and the rule."""
    write(data_dir, toml)
    with pytest.raises(ConfigError) as info:
        cfg.load(data_dir, environ={})
    message = str(info.value)
    assert key in message and allowed in message
    assert info.value.key == key


def test_bad_environment_value_names_the_variable(data_dir: Path) -> None:
    """An environment override that does not parse says which variable was wrong."""
    with pytest.raises(ConfigError, match="KIOSK_PLATFORM_CONNECT_TIMEOUT_S"):
        cfg.load(data_dir, environ={"KIOSK_PLATFORM_CONNECT_TIMEOUT_S": "fast"})


def test_broken_toml_is_a_config_error(data_dir: Path) -> None:
    """A config.toml that is not TOML is reported as such, not as a traceback."""
    write(data_dir, "[terminal\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        cfg.load(data_dir, environ={})


def test_set_value_keeps_other_settings_and_is_private(data_dir: Path) -> None:
    """set_value validates, keeps the rest of the file and leaves an owner-only file."""
    write(data_dir, '[terminal]\nsite_name = "东湖村"\n')
    cfg.set_value(data_dir, "devices.idcard_port", "/dev/ttyUSB0")
    config = cfg.load(data_dir, environ={})
    assert config.devices.idcard_port == "/dev/ttyUSB0"
    assert config.terminal.site_name == "东湖村"
    assert (data_dir / cfg.CONFIG_FILE).stat().st_mode & 0o077 == 0
    with pytest.raises(ConfigError):
        cfg.set_value(data_dir, "terminal.language", "fr")


def test_https_required_except_loopback() -> None:
    """The platform URL may be plain http only on a loopback host."""
    assert cfg.platform_url_problem("https://gov.example.cn/api") is None
    assert cfg.platform_url_problem("http://127.0.0.1:8765") is None
    assert cfg.platform_url_problem("http://localhost:8765") is None
    assert cfg.platform_url_problem("http://[::1]:8765") is None
    assert cfg.platform_url_problem("http://10.0.0.5:8765") is not None
    assert cfg.platform_url_problem("ftp://x") is not None


def test_agent_limits_are_settings(data_dir: Path) -> None:
    """The agent's inactivity sign-out and lock-out are declared once, with defaults and
    ranges: read from [agent], and a value out of range names the key and what is allowed."""
    defaults = cfg.load(data_dir, environ={}).agent
    assert (defaults.inactivity_sign_out_s, defaults.max_pin_failures,
            defaults.lockout_minutes) == (900, 5, 15)
    write(data_dir, "[agent]\ninactivity_sign_out_s = 600\nlockout_minutes = 30\n")
    loaded = cfg.load(data_dir, environ={"KIOSK_AGENT_MAX_PIN_FAILURES": "3"}).agent
    assert (loaded.inactivity_sign_out_s, loaded.max_pin_failures,
            loaded.lockout_minutes) == (600, 3, 30)
    write(data_dir, "[agent]\nmax_pin_failures = 0\n")
    with pytest.raises(ConfigError, match=r"agent\.max_pin_failures") as refused:
        cfg.load(data_dir, environ={})
    assert "from 1 to 20" in str(refused.value)
