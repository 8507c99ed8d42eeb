"""``kiosk central``: the sandbox central platform."""

from __future__ import annotations

import argparse

from kiosk.cli.common import json_option
from kiosk.cli.pending import not_yet

WHAT = "the sandbox central platform"


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = sub.add_parser("central", parents=[parent], help="the sandbox central platform",
                           description="Run and administer the sandbox platform that stands "
                                       "in for the province's servers in demos and tests.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = actions.add_parser("serve", parents=[parent], help="run the sandbox platform")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.set_defaults(func=not_yet("central serve", WHAT))
    code = actions.add_parser("enrollment-code", parents=[parent], help="issue an enrolment code")
    code.add_argument("--kind", choices=("kiosk", "agent"))
    code.set_defaults(func=not_yet("central enrollment-code", WHAT))
    agent = actions.add_parser("agent", parents=[parent], help="village agents")
    agent_actions = agent.add_subparsers(dest="agent_action", required=True, metavar="ACTION")
    add = agent_actions.add_parser("add", parents=[parent], help="create a village agent")
    add.add_argument("number", metavar="NUMBER")
    add.add_argument("--pin", required=True)
    add.add_argument("--area", required=True, metavar="VILLAGE")
    add.set_defaults(func=not_yet("central agent add", WHAT))
    revoke = actions.add_parser("revoke", parents=[parent], help="revoke a terminal's token")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.set_defaults(func=not_yet("central revoke", WHAT))
    fleet = actions.add_parser("fleet", parents=[parent], help="each terminal's last heartbeat")
    json_option(fleet)
    fleet.set_defaults(func=not_yet("central fleet", WHAT))
