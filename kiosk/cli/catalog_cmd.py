"""``kiosk catalog``: check and summarise the service catalog."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet

WHAT = "the service catalog"


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("catalog", parents=[parent], help="check the service catalog",
                           description="Validate the service catalog and count its items.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", parents=[parent], help="validate a catalog")
    check.add_argument("path", nargs="?", type=Path, metavar="PATH")
    check.set_defaults(func=not_yet("catalog check", WHAT))
    stats = actions.add_parser("stats", parents=[parent], help="items, departments, life events")
    json_option(stats)
    stats.set_defaults(func=not_yet("catalog stats", WHAT))
