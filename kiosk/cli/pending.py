"""Commands whose work belongs to a later issue say so plainly instead of pretending."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from kiosk.errors import NotAvailableError


def not_yet(command: str, what: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        raise NotAvailableError(f"`kiosk {command}` is not available yet in this version: "
                                f"{what} has not been built.")
    return handler
