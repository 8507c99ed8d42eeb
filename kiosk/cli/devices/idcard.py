"""``kiosk devices idcard read``, and the ID-card part of ``kiosk devices list``.

``read`` opens the reader (detecting its speed unless the URL gives one), polls for a card
until the time-out and prints it with the field names of docs/cli.md. Exit 0 with a card,
2 when no card was placed in time, 3 when the reader or the card failed (the message says
what to check), 1 for a malformed port URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from civic import gb11643
from devices.idcard import IdCard, connect
from devices.idcard.errors import CardError, IdCardError, ReaderError
from devices.serialurl import parse_serial_url
from kiosk.cli.common import (
    EXIT_FAILURE,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    emit,
    finite_float,
    json_option,
)
from kiosk.cli.common import say as _say

POLL_INTERVAL = 0.5


def register(actions: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    group = actions.add_parser("idcard", parents=[parent], help="resident ID-card readers")
    sub = group.add_subparsers(dest="idcard_action", required=True, metavar="ACTION")
    read = sub.add_parser(
        "read", parents=[parent], help="wait for an ID card and print it",
        description="Open the ID-card reader, wait for a card and print what it holds.",
        epilog="Exit codes: 0 a card was read; 2 no card within the time-out; 3 the reader "
               "or the card failed (the message says what to check); 1 bad usage. Without "
               "--json the name, number and address are shown masked.")
    read.add_argument("--port", required=True, metavar="URL",
                      help="serial:///dev/ttyUSB0?baud=115200 or a device path; without "
                           "baud= the speed is detected (115200, 57600, 38400, 19200, 9600)")
    read.add_argument("--timeout", type=finite_float, default=10.0, metavar="S",
                      help="seconds to wait for a card (default 10)")
    json_option(read)
    read.set_defaults(func=_read)


def _fail(exc: IdCardError) -> None:
    _say(f"kiosk: {exc.en}")
    if exc.zh != exc.en:
        _say(f"       {exc.zh}")


def _read(args: argparse.Namespace) -> int:
    try:
        target = parse_serial_url(args.port)
    except ValueError as exc:
        _say(f"kiosk: {exc}")
        return EXIT_USAGE
    deadline = time.monotonic() + max(0.0, args.timeout)
    try:
        reader = connect(target)
    except IdCardError as exc:
        _fail(exc)
        return EXIT_FAILURE
    card_problem: CardError | None = None
    with reader:
        if not args.json:
            _say(f"Reader on {reader.device} at {reader.baudrate} bit/s; place an ID card "
                 f"(waiting up to {args.timeout:g} s).")
        while True:
            started = time.monotonic()
            try:
                card = reader.read_card()
            except CardError as exc:
                card, card_problem = None, exc
            except ReaderError as exc:
                _fail(exc)
                return EXIT_FAILURE
            if card is not None:
                emit(card_fields(card), args.json, human=_human(card))
                return EXIT_OK
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(remaining, max(0.0, POLL_INTERVAL - (time.monotonic() - started))))
    if card_problem is not None:
        _fail(card_problem)
        return EXIT_FAILURE
    _say(f"kiosk: no ID card was placed on the reader within {args.timeout:g} s.")
    return EXIT_NOTHING


def _date(value: dt.date) -> str:
    return value.isoformat()


def card_fields(card: IdCard) -> dict[str, Any]:
    """The card as docs/cli.md names its fields (the full data: for --json only)."""
    return {
        "card_type": card.card_type.value,
        "name": card.name,
        "name_en": card.name_en,
        "gender": card.gender,
        "gender_label": card.gender_label,
        "nation": card.nation,
        "nation_label": card.nation_label,
        "birth_date": _date(card.birth_date),
        "address": card.address,
        "id_number": card.id_number,
        "id_number_valid": card.id_number_valid,
        "issuer": card.issuer,
        "valid_from": _date(card.valid_from),
        "valid_until": (_date(card.valid_until) if isinstance(card.valid_until, dt.date)
                        else card.valid_until.value),
        "nationality": card.nationality,
        "pass_number": card.pass_number,
        "issue_count": card.issue_count,
        "photo_sha256": card.photo_sha256,
    }


def _human(card: IdCard) -> str:
    fields = card_fields(card)
    fields["name"] = card.name[:1] + "*" * max(0, len(card.name) - 1)
    fields["id_number"] = gb11643.mask(card.id_number)
    if card.address:
        fields["address"] = card.address[:6] + "…"
    if card.is_expired(dt.date.today()):
        fields["valid_until"] = f"{fields['valid_until']} (EXPIRED 已过期)"
    return "\n".join(f"{key}: {value}" for key, value in fields.items())


# -- kiosk devices list ---------------------------------------------------------------------
# The logic lives in kiosk.technician.discovery, shared with the technician's screens.
def probe_port(url: str) -> dict[str, Any]:
    """What answers on one serial port as an ID-card reader (nothing is left open)."""
    from kiosk.technician.discovery import probe_port as probe

    return probe(url)


def serial_section(args: argparse.Namespace) -> dict[str, Any]:
    """Serial ports (system ports and the configured ID-card port) and what answers."""
    from kiosk.cli.common import data_dir_of
    from kiosk.config import load
    from kiosk.technician.discovery import serial_ports

    return serial_ports(load(data_dir_of(args)).devices)
