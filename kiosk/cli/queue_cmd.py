"""``kiosk queue``: the offline outbox."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet

WHAT = "the offline outbox"


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("queue", parents=[parent], help="the offline queue of submissions",
                           description="Queue submissions durably and deliver them to the "
                                       "enrolled platform exactly once.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    enqueue = actions.add_parser("enqueue", parents=[parent], help="durably queue one submission")
    enqueue.add_argument("--submission", type=Path, required=True, metavar="FILE.json")
    enqueue.add_argument("--attach", type=Path, action="append", default=[], metavar="FILE")
    enqueue.set_defaults(func=not_yet("queue enqueue", WHAT))
    sync = actions.add_parser("sync", parents=[parent], help="deliver what is queued")
    sync.add_argument("--until-empty", action="store_true")
    sync.add_argument("--max-seconds", type=float, default=300.0, metavar="S")
    sync.set_defaults(func=not_yet("queue sync", WHAT))
    stats = actions.add_parser("stats", parents=[parent], help="counts by state")
    json_option(stats)
    stats.set_defaults(func=not_yet("queue stats", WHAT))
    dead = actions.add_parser("dead", parents=[parent], help="items the platform rejected")
    json_option(dead)
    dead.set_defaults(func=not_yet("queue dead", WHAT))
    retry = actions.add_parser("retry", parents=[parent], help="queue a corrected copy")
    retry.add_argument("id", metavar="ID")
    retry.add_argument("--submission", type=Path, required=True, metavar="FILE.json")
    retry.set_defaults(func=not_yet("queue retry", WHAT))
