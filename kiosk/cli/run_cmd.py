"""``kiosk run``: the Qt application. Qt is imported only when this command runs."""

from __future__ import annotations

import argparse

from kiosk.errors import ConfigError, KioskError
from kiosk.systemd import CONFIG_EXIT_STATUS, DOWNGRADE_EXIT_STATUS, QUEUE_REFUSED_EXIT_STATUS


class StartupConfigError(KioskError):
    """The configuration stopped ``kiosk run`` before any window: exit with the status the
    systemd unit does not restart (``kiosk.systemd.CONFIG_EXIT_STATUS``)."""

    exit_code = CONFIG_EXIT_STATUS


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    run = sub.add_parser("run", parents=[parent], help="start the terminal application",
                         description="Start the Qt application in citizen (street kiosk), "
                                     "agent or technician mode.",
                         epilog=f"Exit status {StartupConfigError.exit_code} when the "
                                "configuration is invalid or unreadable, "
                                f"{QUEUE_REFUSED_EXIT_STATUS} when the queue of applications "
                                "cannot be read as it is (see `kiosk queue reset`), "
                                f"{DOWNGRADE_EXIT_STATUS} when a newer version last used the "
                                "data dir (a downgrade); the systemd unit does not restart "
                                "any of these until it is fixed. Exit status 0 on the attract "
                                "screen once a newer version is installed (the unit starts "
                                "it).")
    run.add_argument("--mode", choices=("citizen", "agent", "technician"), default=None,
                     help="default: citizen on a kiosk, agent on an agent terminal")
    run.add_argument("--demo", action="store_true",
                     help="start the sandbox platform and emulated devices on loopback and "
                          "wire the application to them")
    run.add_argument("--quit-after-ready", action="store_true",
                     help="exit 0 once the first screen is interactive, printing "
                          "'ready in N ms' on stderr")
    run.set_defaults(func=run_cmd)


def run_cmd(args: argparse.Namespace) -> int:
    from kiosk.app.launch import run  # Qt is imported here, and only here

    try:
        return run(args)
    except ConfigError as exc:
        raise StartupConfigError(
            f"{exc}\nThe terminal stays stopped until this is fixed: check it with "
            "`kiosk config show`, correct it (`kiosk config set SECTION.KEY VALUE`), then "
            "`systemctl restart kiosk`.") from exc
