"""``kiosk devices smartcard``, and the PC/SC section of ``kiosk devices list``.

``read`` waits for a social-security card and prints its public data (docs/cli.md): a field
a third-generation card withholds without a security module is null and named in
``protected_fields``, and a plain explanation goes to stderr. Exit 2 when no card arrives
in time, 3 for a reader or card failure. The reader is ``--reader``, else the terminal's
``devices.smartcard_reader``, else the first one with a card: the command tests the reader
the application uses.

Readers named ``Virtual PCD`` (vsmartcard-vpcd) are refused unless ``--allow-virtual`` is
given or ``KIOSK_ALLOW_VIRTUAL_READER=1`` is set: **development and tests only**, since
anyone who can reach vpcd's TCP port can insert a card (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from devices.smartcard import (
    NoCardError,
    PcscContext,
    SmartCardError,
    VirtualReaderRefusedError,
    read_card,
)
from kiosk.cli.common import (
    EXIT_FAILURE,
    EXIT_NOTHING,
    EXIT_USAGE,
    emit,
    finite_float,
    json_option,
    say,
)
from kiosk.errors import KioskError

ALLOW_VIRTUAL_ENV = "KIOSK_ALLOW_VIRTUAL_READER"


class SmartCardCommandError(KioskError):
    """A reader or card failure, with the exit code docs/cli.md gives it."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("smartcard", parents=[parent], help="social-security cards (PC/SC)")
    sub = group.add_subparsers(dest="smartcard_action", required=True, metavar="ACTION")
    read = sub.add_parser("read", parents=[parent],
                          help="read a social-security card's public data",
                          description="Wait for a social-security card in a PC/SC reader and "
                                      "print its public data. Fields a third-generation card "
                                      "keeps for terminals with a security module are null "
                                      "and listed in protected_fields.")
    read.add_argument("--reader", metavar="NAME",
                      help="reader name (or a unique part of it); default: the configured "
                           "devices.smartcard_reader, else the first reader with a card")
    read.add_argument("--timeout", type=finite_float, default=10.0, metavar="S",
                      help="seconds to wait for a card (default 10)")
    allow_virtual_option(read)
    json_option(read)
    read.set_defaults(func=_read)


def allow_virtual_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-virtual", action="store_true",
                        help="DEVELOPMENT ONLY: accept 'Virtual PCD' readers (vsmartcard-vpcd); "
                             f"also {ALLOW_VIRTUAL_ENV}=1")


def allow_virtual(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "allow_virtual", False)) or \
        os.environ.get(ALLOW_VIRTUAL_ENV, "") in ("1", "true", "yes")


def _read(args: argparse.Namespace) -> int:
    if args.timeout < 0:
        raise SmartCardCommandError("--timeout must be 0 or more seconds", EXIT_USAGE)
    reader = args.reader or configured_reader(args)
    if not args.json:
        say(f"waiting for a social-security card{f' in {reader}' if reader else ''} ...")
    try:
        with PcscContext(allow_virtual=allow_virtual(args)) as context:
            card = read_card(context, reader, args.timeout)
    except NoCardError as exc:
        raise SmartCardCommandError(str(exc), EXIT_NOTHING) from exc
    except VirtualReaderRefusedError as exc:
        raise SmartCardCommandError(f"{exc} For development and tests only: "
                                    f"--allow-virtual or {ALLOW_VIRTUAL_ENV}=1.",
                                    EXIT_FAILURE) from exc
    except SmartCardError as exc:
        raise SmartCardCommandError(str(exc), EXIT_FAILURE) from exc
    if card.protected_message is not None:
        say(f"{card.protected_message['en']}\n{card.protected_message['zh']}")
    emit(card.to_json(), args.json)
    return 0


def configured_reader(args: argparse.Namespace) -> str | None:
    """``devices.smartcard_reader`` from the data dir's configuration; None when empty."""
    from kiosk.cli.common import data_dir_of
    from kiosk.config import load

    return load(data_dir_of(args)).devices.smartcard_reader or None


def pcsc_section(args: argparse.Namespace) -> dict[str, Any]:
    """The PC/SC part of ``kiosk devices list``: pcscd, its readers, and what answers in each.

    A card in an allowed reader is probed with SELECT SSSE only (no personal data is read).
    The logic lives in kiosk.technician.discovery, shared with the technician's screens.
    """
    from kiosk.technician.discovery import pcsc_readers

    return pcsc_readers(allow_virtual(args))
