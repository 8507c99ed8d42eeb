"""``kiosk devices emulate``: run a device emulator standalone."""

from __future__ import annotations

import argparse

from kiosk.cli.devices import idcard_emulator
from kiosk.cli.pending import not_yet


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("emulate", parents=[parent],
                               help="run a device emulator for trying the software")
    sub = group.add_subparsers(dest="emulate_action", required=True, metavar="DEVICE")
    idcard_emulator.register(sub, parent)
    printer = sub.add_parser("printer", parents=[parent],
                             help="a receipt printer on a pseudo-terminal and TCP 9100")
    printer.set_defaults(func=not_yet("devices emulate printer", "the printer emulator"))
