"""``kiosk enroll``: enrol this terminal with the platform."""

from __future__ import annotations

import argparse
import socket

from kiosk import __version__
from kiosk.cli.common import EXIT_OK, data_dir_of, say
from kiosk.config import platform_url_problem
from kiosk.errors import ConfigError, KioskError


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    enroll = sub.add_parser("enroll", parents=[parent],
                            help="enrol this terminal with the platform",
                            description="Enrol the terminal with a one-time code from the "
                                        "platform's operators and store its credentials in the "
                                        "data dir (owner-only).")
    enroll.add_argument("--platform", required=True, metavar="URL")
    enroll.add_argument("--code", required=True)
    enroll.add_argument("--kind", choices=("kiosk", "agent"), required=True)
    enroll.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from offline_queue import OutboxError, credentials

    problem = platform_url_problem(args.platform)
    if problem:
        raise ConfigError("--platform", args.platform, problem)
    data_dir = data_dir_of(args)
    from kiosk import config

    settings = config.load(data_dir)  # defaults when no configuration is written yet
    site = {"region_code": settings.terminal.site_region_code,
            "name": settings.terminal.site_name}
    try:
        creds = credentials.enroll(data_dir, args.platform, args.code, args.kind,
                                   hostname=socket.gethostname(), app_version=__version__,
                                   site=site,
                                   client_settings=settings.platform.client_settings())
    except OutboxError as exc:
        raise KioskError(str(exc)) from exc
    say(f"enrolled as {creds.kind} device {creds.device_id} with {creds.platform_url}")
    from offline_queue.location import resume_after_enrolment

    if resume_after_enrolment(data_dir):
        say("the queue, paused since the platform refused the old credentials, is resumed: "
            "`kiosk queue sync` delivers what waited")
    return EXIT_OK
