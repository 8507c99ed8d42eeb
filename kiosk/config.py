"""The terminal's configuration, declared once: typed, defaulted, documented, validated.

Loaded from ``<data-dir>/config.toml``; any key can be overridden from the environment as
``KIOSK_<SECTION>_<KEY>`` (for example ``KIOSK_PLATFORM_URL``). Invalid values fail at
start-up with a :class:`~kiosk.errors.ConfigError` that names the key, the value and what
is allowed. Every setting's documentation is its ``doc`` metadata below; ``kiosk config
show`` prints them.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from offline_queue.tls import ClientSettings

CONFIG_FILE = "config.toml"
ENV_PREFIX = "KIOSK_"


def setting(default: Any, doc: str, *, choices: tuple[str, ...] = (),
            minimum: float | None = None, maximum: float | None = None,
            check: Callable[[Any], str | None] | None = None, secret: bool = False) -> Any:
    """Declare one setting: its default, its documentation and what values are allowed."""
    meta = {"doc": doc, "choices": choices, "minimum": minimum, "maximum": maximum,
            "check": check, "secret": secret}
    return field(default=default, metadata=meta)


def _device_url(value: str) -> str | None:
    if value == "" or value.startswith("/"):
        return None
    scheme = urlsplit(value).scheme
    if scheme in {"serial", "tcp", "file", "usb"}:
        return None
    return "empty, a device path, or a URL serial://, tcp://HOST:PORT, file:// or usb://"


def platform_url_problem(value: str) -> str | None:
    """The rule lives with the credentials it protects (the lower layer); the configuration
    checks platform.url with the very same function, imported when a URL is checked so that
    start-up does not pay for it."""
    from offline_queue.credentials import url_problem

    return url_problem(value)


# The rules of the connection settings live with the client they configure
# (offline_queue.tls), imported only when such a setting is given: most terminals set none.
def _proxy(value: str) -> str | None:
    from offline_queue.tls import proxy_problem

    return proxy_problem(value)


def _ca_bundle(value: str) -> str | None:
    from offline_queue.tls import ca_bundle_problem

    return ca_bundle_problem(value)


def _pins(value: str) -> str | None:
    from offline_queue.tls import pins_problem

    return pins_problem(value)


def _region_code(value: str) -> str | None:
    return None if len(value) == 6 and value.isdigit() else "six digits (GB/T 2260 code)"


@dataclass(frozen=True)
class TerminalConfig:
    kind: str = setting("kiosk", "what this terminal is: a street kiosk or a village agent's "
                        "laptop/tablet", choices=("kiosk", "agent"))
    site_region_code: str = setting("330122", "administrative region of the site (6 digits)",
                                    check=_region_code)
    site_name: str = setting("示范服务点", "name of the site, shown to technicians")
    language: str = setting("zh", "language a session starts in", choices=("zh", "en"))
    idle_warning_s: int = setting(60, "seconds without a touch, key or card event before the "
                                  "'are you still there?' warning", minimum=10, maximum=600)
    idle_countdown_s: int = setting(20, "seconds the warning counts down before the session "
                                    "is wiped", minimum=5, maximum=120)
    hide_cursor: bool = setting(False, "hide the mouse cursor in citizen mode (touch screens)")


@dataclass(frozen=True)
class DevicesConfig:
    idcard_port: str = setting("", "ID-card reader: serial device or URL; empty = auto-detect",
                               check=_device_url)
    smartcard_reader: str = setting("", "PC/SC reader name for social-security cards; "
                                    "empty = first reader found")
    receipt_printer: str = setting("", "receipt printer URL (serial://, tcp://HOST:9100, "
                                   "file:///dev/usb/lp0); empty = none", check=_device_url)
    receipt_profile: str = setting("generic-80", "receipt printer model profile")
    printer_check_s: int = setting(60, "seconds between receipt-printer status checks "
                                   "between jobs (paper running out reaches the fleet "
                                   "before a citizen finds it)", minimum=10, maximum=3600)
    a4_queue: str = setting("", "CUPS queue for A4 documents; empty = none")


@dataclass(frozen=True)
class PlatformConfig:
    url: str = setting("http://127.0.0.1:8765", "base URL of the central platform",
                       check=platform_url_problem)
    connect_timeout_s: float = setting(5.0, "seconds to wait for a connection",
                                       minimum=0.5, maximum=60)
    read_timeout_s: float = setting(20.0, "seconds to wait for an answer",
                                    minimum=1, maximum=300)
    sync_interval_s: int = setting(60, "seconds between background syncs",
                                   minimum=5, maximum=3600)
    heartbeat_interval_s: int = setting(300, "seconds between heartbeats",
                                        minimum=30, maximum=3600)
    proxy: str = setting("", "HTTP proxy every platform request goes through, e.g. "
                         "http://10.1.2.3:3128 (HTTPS is tunnelled: the proxy sees the host, "
                         "never the token); empty = connect directly. HTTP_PROXY, HTTPS_PROXY "
                         "and ALL_PROXY in the environment are ignored", check=_proxy)
    ca_bundle: str = setting("", "PEM file (absolute path) of the CA certificates that may "
                             "sign the platform's certificate; empty = the system's trust "
                             "store. SSL_CERT_FILE and SSL_CERT_DIR are ignored",
                             check=_ca_bundle)
    pin_sha256: str = setting("", "base64 SHA-256 of the platform certificate's public key "
                              "(SubjectPublicKeyInfo, as HPKP's pin-sha256), several "
                              "comma-separated for a key rollover; a server with another key "
                              "is refused before anything is sent. Empty = no pinning. "
                              "`openssl x509 -pubkey -noout -in cert.pem | openssl pkey "
                              "-pubin -outform der | openssl dgst -sha256 -binary | base64`",
                              check=_pins)

    def client_settings(self, *, read_timeout_s: float | None = None) -> ClientSettings:
        """How every client to the platform connects, built here and nowhere else;
        ``read_timeout_s`` shortens the read time-out where a person is waiting."""
        from offline_queue.tls import ClientSettings, parse_pins

        return ClientSettings(
            connect_timeout_s=self.connect_timeout_s,
            read_timeout_s=self.read_timeout_s if read_timeout_s is None else read_timeout_s,
            proxy=self.proxy, ca_bundle=self.ca_bundle, pins=parse_pins(self.pin_sha256))


@dataclass(frozen=True)
class QueueConfig:
    retention_days: int = setting(7, "days a delivered submission's data is kept before only "
                                  "a tombstone with the case number remains",
                                  minimum=0, maximum=365)


@dataclass(frozen=True)
class AgentConfig:
    inactivity_sign_out_s: int = setting(900, "agent mode: seconds without a touch, key or card "
                                         "event before the agent is signed out",
                                         minimum=60, maximum=8 * 3600)
    max_pin_failures: int = setting(5, "agent mode: wrong PINs in a row (online or offline) "
                                    "that lock sign-in on this terminal", minimum=1, maximum=20)
    lockout_minutes: int = setting(15, "agent mode: minutes sign-in stays locked after too "
                                   "many wrong PINs", minimum=1, maximum=24 * 60)


@dataclass(frozen=True)
class SecurityConfig:
    technician_pin_hash: str = setting("", "scrypt hash of the technician PIN "
                                       "(set it with `kiosk config pin`)", secret=True)


@dataclass(frozen=True)
class LoggingConfig:
    level: str = setting("INFO", "lowest level written to the log",
                         choices=("DEBUG", "INFO", "WARNING", "ERROR"))


@dataclass(frozen=True)
class Config:
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    queue: QueueConfig = field(default_factory=QueueConfig)
    agent: AgentConfig = field(default_factory=AgentConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)


# a named tuple, not a frozen dataclass like the sections: `kiosk run` loads this module
# before its first frame, and a dataclass takes ~1 ms to define (bench/startup.py)
class SettingInfo(NamedTuple):
    """One setting as declared: its key, type, default, documentation and allowed values."""

    key: str                    # "section.name"
    type: type
    default: Any
    doc: str
    choices: tuple[str, ...]
    minimum: float | None
    maximum: float | None
    check: Callable[[Any], str | None] | None
    secret: bool

    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.type is bool:
            return "true or false"
        kind = {int: "a whole number", float: "a number", str: "text"}[self.type]
        if self.minimum is not None and self.maximum is not None:
            return f"{kind} from {self.minimum:g} to {self.maximum:g}"
        return kind


def _section_class(section: dataclasses.Field[Any]) -> type[Any]:
    """The dataclass of one section of :class:`Config`: its field's default factory."""
    factory = section.default_factory
    assert isinstance(factory, type)
    return factory


def settings() -> Iterator[SettingInfo]:
    """Every setting, in declaration order."""
    for section in dataclasses.fields(Config):
        section_cls = _section_class(section)
        hints = {f.name: f.type for f in dataclasses.fields(section_cls)}
        for f in dataclasses.fields(section_cls):
            typ = {"str": str, "int": int, "float": float, "bool": bool}[str(hints[f.name])]
            m = f.metadata
            yield SettingInfo(f"{section.name}.{f.name}", typ, f.default, m["doc"], m["choices"],
                              m["minimum"], m["maximum"], m["check"], m["secret"])


def setting_info(key: str) -> SettingInfo:
    for info in settings():
        if info.key == key:
            return info
    known = ", ".join(i.key for i in settings())
    raise ConfigError(key, None, f"no such setting; known settings: {known}")


def coerce(info: SettingInfo, raw: Any, source: str = "") -> Any:
    """Turn a TOML value or a string (environment, command line) into a checked value."""
    value = raw
    if isinstance(raw, str) and info.type is not str:
        text = raw.strip()
        try:
            if info.type is bool:
                if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError(text)
                value = text.lower() in {"true", "1", "yes"}
            else:
                value = info.type(text)
        except ValueError:
            raise ConfigError(info.key, raw, info.allowed(), source) from None
    if info.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, info.type) or (info.type is int and isinstance(value, bool)):
        raise ConfigError(info.key, raw, info.allowed(), source)
    # TOML and float() both accept nan and inf; nan passes every range check below (each
    # comparison is False) and reaches socket.settimeout as a bug, not as this message
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(info.key, raw, info.allowed(), source)
    if info.choices and value not in info.choices:
        raise ConfigError(info.key, raw, info.allowed(), source)
    if isinstance(value, int | float):  # only numbers declare a range
        if info.minimum is not None and value < info.minimum:
            raise ConfigError(info.key, raw, info.allowed(), source)
        if info.maximum is not None and value > info.maximum:
            raise ConfigError(info.key, raw, info.allowed(), source)
    if info.check and (problem := info.check(value)):
        raise ConfigError(info.key, raw, problem, source)
    return value


def read_toml(path: Path) -> dict[str, Any]:
    """The document in ``path`` ({} when there is none); a file that cannot be read as UTF-8
    TOML is a :class:`ConfigError` naming it, since under systemd anything else would be an
    "internal error" that a restart cannot fix."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise ConfigError("(file)", str(path), "is a directory, not a file; remove it or "
                          "put the configuration file there") from None
    except PermissionError:
        raise ConfigError("(file)", str(path), "cannot be read by this user (permission "
                          "denied); it must belong to the user the kiosk runs as, mode "
                          "600") from None
    except OSError as exc:
        raise ConfigError("(file)", str(path), f"cannot be read: {exc.strerror}") from None
    try:
        # utf-8-sig: Windows editors may start a UTF-8 file with a byte-order mark
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("(file)", str(path), f"not UTF-8 text (byte {exc.start} is not "
                          "UTF-8; GBK perhaps): save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("(file)", str(path), f"not valid TOML: {exc}") from exc


def load(data_dir: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read ``config.toml`` in ``data_dir``, apply environment overrides, validate everything."""
    environ = os.environ if environ is None else environ
    path = data_dir / CONFIG_FILE
    raw = read_toml(path)
    known_sections = {f.name for f in dataclasses.fields(Config)}
    for section, values in raw.items():
        if section not in known_sections or not isinstance(values, dict):
            raise ConfigError(section, values, "unknown section; known sections: "
                              + ", ".join(sorted(known_sections)), str(path))
    sections: dict[str, dict[str, Any]] = {name: {} for name in known_sections}
    known_keys = set()
    for info in settings():
        known_keys.add(info.key)
        section, name = info.key.split(".")
        env_name = f"{ENV_PREFIX}{section}_{name}".upper()
        if env_name in environ:
            sections[section][name] = coerce(info, environ[env_name], env_name)
        elif name in raw.get(section, {}):
            sections[section][name] = coerce(info, raw[section][name], str(path))
    for section, values in raw.items():
        for name in values:
            if f"{section}.{name}" not in known_keys:
                raise ConfigError(f"{section}.{name}", values[name], "unknown setting",
                                  str(path))
    return Config(**{
        f.name: _section_class(f)(**sections[f.name])
        for f in dataclasses.fields(Config)
    })


def as_dict(config: Config, *, show_secrets: bool = False) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for info in settings():
        section, name = info.key.split(".")
        value = getattr(getattr(config, section), name)
        if info.secret and value and not show_secrets:
            value = "(set)"
        out.setdefault(section, {})[name] = value
    return out


def set_value(data_dir: Path, key: str, raw: str) -> Any:
    """Validate and store one setting in ``config.toml``, keeping the others as they are."""
    info = setting_info(key)
    value = coerce(info, raw, "command line")
    path = data_dir / CONFIG_FILE
    current = read_toml(path)
    section, name = key.split(".")
    current.setdefault(section, {})[name] = value
    write_toml(path, current)
    return value


def write_toml(path: Path, document: dict[str, Any]) -> None:
    """Replace ``path`` atomically with an owner-only file (it may hold the PIN hash)."""
    import tomli_w  # only technicians write the file; start-up only reads it

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".toml.tmp")
    with tmp.open("wb") as fh:
        os.fchmod(fh.fileno(), 0o600)
        tomli_w.dump(document, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
