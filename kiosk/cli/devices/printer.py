"""``kiosk devices printer``."""

from __future__ import annotations

import argparse

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("printer", parents=[parent], help="receipt printers (ESC/POS)")
    sub = group.add_subparsers(dest="printer_action", required=True, metavar="ACTION")
    status = sub.add_parser("status", parents=[parent], help="the printer's paper and error state")
    status.add_argument("--printer", required=True, metavar="URL")
    json_option(status)
    status.set_defaults(func=not_yet("devices printer status", "the receipt printer driver"))
    test = sub.add_parser("test", parents=[parent], help="print a test receipt")
    test.add_argument("--printer", required=True, metavar="URL")
    test.set_defaults(func=not_yet("devices printer test", "the receipt printer driver"))
