"""``kiosk devices list``.

Each kind of device contributes one section (a function of the parsed arguments returning a
JSON-able dict), so the serial, PC/SC and printer work each edit only their own line here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kiosk.cli.common import emit, json_option
from kiosk.cli.devices import idcard, printer, smartcard

Section = Callable[[argparse.Namespace], dict[str, Any]]


# key in the JSON output -> the function that fills it; order is the order printed
SECTIONS: dict[str, Section] = {
    "serial": idcard.serial_section,
    "pcsc": smartcard.pcsc_section,
    "printers": printer.printers_section,
}


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    cmd = actions.add_parser("list", parents=[parent],
                             help="serial ports, PC/SC readers and printers, with what answers")
    smartcard.allow_virtual_option(cmd)
    json_option(cmd)
    cmd.set_defaults(func=_list)


def _list(args: argparse.Namespace) -> int:
    emit({key: section(args) for key, section in SECTIONS.items()}, args.json)
    return 0
