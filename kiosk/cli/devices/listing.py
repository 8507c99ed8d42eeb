"""``kiosk devices list``."""

from __future__ import annotations

import argparse

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    cmd = actions.add_parser("list", parents=[parent],
                             help="serial ports, PC/SC readers and printers, with what answers")
    json_option(cmd)
    cmd.set_defaults(func=not_yet("devices list", "device discovery"))
