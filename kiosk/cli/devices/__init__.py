"""``kiosk devices``: list, read, test and emulate the terminal's devices.

Each kind of device registers its own commands from its own module, so the ID-card,
smart-card and printer work can grow without touching one another.
"""

from __future__ import annotations

import argparse

from kiosk.cli.devices import emulate, idcard, listing, printer, smartcard


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("devices", parents=[parent], help="list, read and test devices",
                           description="Find, read and test ID-card readers, social-security "
                                       "card readers and receipt printers, or run their "
                                       "emulators.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing.register(actions, parent)
    idcard.register(actions, parent)
    smartcard.register(actions, parent)
    printer.register(actions, parent)
    emulate.register(actions, parent)
