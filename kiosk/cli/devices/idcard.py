"""``kiosk devices idcard``."""

from __future__ import annotations

import argparse

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("idcard", parents=[parent], help="resident ID-card readers")
    sub = group.add_subparsers(dest="idcard_action", required=True, metavar="ACTION")
    read = sub.add_parser("read", parents=[parent], help="wait for an ID card and print it")
    read.add_argument("--port", required=True, metavar="URL")
    read.add_argument("--timeout", type=float, default=10.0, metavar="S")
    json_option(read)
    read.set_defaults(func=not_yet("devices idcard read", "the ID-card reader driver"))
