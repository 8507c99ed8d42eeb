"""``config.toml`` and the environment: reading, validating and writing the settings that
:mod:`kiosk.config.sections` declares.

Any key can be overridden from the environment as ``KIOSK_<SECTION>_<KEY>`` (for example
``KIOSK_PLATFORM_URL``). An invalid value fails at start-up with a
:class:`~kiosk.errors.ConfigError` that names the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from kiosk.config.sections import CONFIG_FILE, ENV_PREFIX, Config
from kiosk.errors import ConfigError


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
