"""``kiosk devices emulate``: run a device emulator standalone."""

from __future__ import annotations

import argparse

from kiosk.cli.devices import idcard_emulator, printer_emulator


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("emulate", parents=[parent],
                               help="run a device emulator for trying the software")
    sub = group.add_subparsers(dest="emulate_action", required=True, metavar="DEVICE")
    idcard_emulator.register(sub, parent)
    printer_emulator.register(sub, parent)
