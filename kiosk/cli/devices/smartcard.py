"""``kiosk devices smartcard``."""

from __future__ import annotations

import argparse

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("smartcard", parents=[parent], help="social-security cards (PC/SC)")
    sub = group.add_subparsers(dest="smartcard_action", required=True, metavar="ACTION")
    read = sub.add_parser("read", parents=[parent],
                          help="read a social-security card's public data")
    read.add_argument("--reader", metavar="NAME")
    read.add_argument("--timeout", type=float, default=10.0, metavar="S")
    json_option(read)
    read.set_defaults(func=not_yet("devices smartcard read", "the social-security card reader"))
