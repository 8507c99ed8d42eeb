"""``kiosk config``: show and change the terminal's configuration."""

from __future__ import annotations

import argparse
import getpass
import sys

from civic.pin import hash_pin
from kiosk import config as cfg
from kiosk.cli.common import EXIT_OK, data_dir_of, emit, json_option, say
from kiosk.errors import ConfigError


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("config", parents=[parent], help="show or change the configuration",
                           description="Show or change the configuration in "
                                       "<data-dir>/config.toml. Environment variables "
                                       "KIOSK_<SECTION>_<KEY> override the file.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser("show", parents=[parent], help="print the effective configuration")
    json_option(show)
    show.add_argument("--docs", action="store_true", help="include each setting's meaning")
    show.set_defaults(func=show_cmd)
    set_ = actions.add_parser("set", parents=[parent], help="validate and store one setting",
                              description="Store one setting, e.g. "
                                          "`kiosk config set devices.idcard_port /dev/ttyUSB0`.")
    set_.add_argument("key", metavar="SECTION.KEY")
    set_.add_argument("value", metavar="VALUE")
    set_.set_defaults(func=set_cmd)
    pin = actions.add_parser("pin", parents=[parent], help="set the technician PIN",
                             description="Asks for a new technician PIN (6 to 12 digits) and "
                                         "stores only its slow salted hash. Reads the PIN from "
                                         "standard input when it is not a terminal.")
    pin.set_defaults(func=pin_cmd)


def show_cmd(args: argparse.Namespace) -> int:
    config = cfg.load(data_dir_of(args))
    result = cfg.as_dict(config)
    if args.docs and not args.json:
        for info in cfg.settings():
            section, name = info.key.split(".")
            print(f"{info.key} = {result[section][name]!r}\n    {info.doc} ({info.allowed()})")
        return EXIT_OK
    emit(result, args.json)
    return EXIT_OK


def set_cmd(args: argparse.Namespace) -> int:
    if cfg.setting_info(args.key).secret:
        raise ConfigError(args.key, "…", "set this with `kiosk config pin`")
    value = cfg.set_value(data_dir_of(args), args.key, args.value)
    cfg.load(data_dir_of(args))  # the whole file must still load, environment included
    say(f"{args.key} = {value!r}")
    return EXIT_OK


def pin_cmd(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("new technician PIN: ")
        if getpass.getpass("again: ") != pin:
            raise ConfigError("security.technician_pin", "…", "the two PINs differ")
    else:
        pin = sys.stdin.readline().strip()
    if not (pin.isdigit() and 6 <= len(pin) <= 12):
        raise ConfigError("security.technician_pin", "…", "6 to 12 digits")
    data_dir = data_dir_of(args)
    path = data_dir / cfg.CONFIG_FILE
    current = cfg.read_toml(path)
    current.setdefault("security", {})["technician_pin_hash"] = hash_pin(pin)
    cfg.write_toml(path, current)
    say("technician PIN stored")
    return EXIT_OK
