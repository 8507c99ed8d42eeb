"""``kiosk enroll``: enrol this terminal with the platform."""

from __future__ import annotations

import argparse

from kiosk.cli.pending import not_yet


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    enroll = sub.add_parser("enroll", parents=[parent],
                            help="enrol this terminal with the platform",
                            description="Enrol the terminal with a one-time code from the "
                                        "platform's operators and store its credentials in the "
                                        "data dir (owner-only).")
    enroll.add_argument("--platform", required=True, metavar="URL")
    enroll.add_argument("--code", required=True)
    enroll.add_argument("--kind", choices=("kiosk", "agent"), required=True)
    enroll.set_defaults(func=not_yet("enroll", "enrolment (the offline outbox issue)"))
