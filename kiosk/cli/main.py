"""Entry point of the ``kiosk`` command: builds the parser from each group and dispatches."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from civic.errors import CivicError
from kiosk import __version__
from kiosk.cli.common import EXIT_FAILURE, EXIT_USAGE, common_options, data_dir_of
from kiosk.errors import KioskError

log = logging.getLogger(__name__)

# Command name -> the module whose register(subparsers, common_parent) adds it; the order
# is the order in --help. Only the named command's module is imported when one is given:
# the kiosk's start-up (`kiosk run`) must not pay for every other command's imports.
GROUPS = {"run": "kiosk.cli.run_cmd", "devices": "kiosk.cli.devices",
          "enroll": "kiosk.cli.enroll_cmd", "queue": "kiosk.cli.queue_cmd",
          "catalog": "kiosk.cli.catalog_cmd", "central": "kiosk.cli.central_cmd",
          "config": "kiosk.cli.config_cmd", "identity": "kiosk.cli.identity_cmd",
          "assist": "kiosk.cli.assist_cmd"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 1 for bad usage, as docs/cli.md says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if it is one of ours."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(list(argv))
    return known.command if known.command in GROUPS else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or one with just the command ``only`` (faster to build)."""
    parent = common_options()
    parser = _Parser(
        prog="kiosk", parents=[parent],
        description="Government self-service terminal: run the kiosk or agent application, "
                    "diagnose devices, manage the offline queue, check the service catalog "
                    "and run the sandbox platform.",
        epilog="Exit codes: 0 success, 1 bad usage or input, 2 nothing to do or not found "
               "in time, 3 device or platform failure. `kiosk COMMAND --help` for details.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)
    for name, module in GROUPS.items():
        if only is None or name == only:
            import_module(module).register(sub, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KioskError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return exc.exit_code
    except CivicError as exc:       # data the domain cannot use (a broken catalog): bad input
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:
        # A bug, not a known failure: keep the traceback (redacted) in the log and say so.
        from kiosk import logs

        try:
            logs.configure(data_dir_of(args), stderr_level="CRITICAL")
        except OSError:
            logs.configure(None, stderr_level="CRITICAL")
        log.exception("cli.bug", extra={"ctx": {"command": args.command}})
        print("kiosk: internal error; the details are in the log "
              f"({data_dir_of(args) / 'logs' / 'kiosk.log'}). Please report it.",
              file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
