"""The terminal's configuration, declared once: typed, defaulted, documented, validated.

Loaded from ``<data-dir>/config.toml``; any key can be overridden from the environment as
``KIOSK_<SECTION>_<KEY>`` (for example ``KIOSK_PLATFORM_URL``). Invalid values fail at
start-up with a :class:`~kiosk.errors.ConfigError` that names the key, the value and what
is allowed. Every setting's documentation is its ``doc`` metadata in
:mod:`.sections`; ``kiosk config show`` prints them. :mod:`.files` reads and writes them.
"""

from kiosk.config.files import (
    SettingInfo,
    as_dict,
    coerce,
    load,
    read_toml,
    set_value,
    setting_info,
    settings,
    write_toml,
)
from kiosk.config.sections import (
    CONFIG_FILE,
    ENV_PREFIX,
    AgentConfig,
    Config,
    DevicesConfig,
    IdentityConfig,
    LoggingConfig,
    PlatformConfig,
    QueueConfig,
    SecurityConfig,
    TerminalConfig,
    platform_url_problem,
    setting,
)

__all__ = ["CONFIG_FILE", "ENV_PREFIX", "AgentConfig", "Config", "DevicesConfig",
           "IdentityConfig", "LoggingConfig", "PlatformConfig", "QueueConfig", "SecurityConfig",
           "SettingInfo", "TerminalConfig", "as_dict", "coerce", "load", "platform_url_problem",
           "read_toml", "set_value", "setting", "setting_info", "settings", "write_toml"]
