"""Conventions every ``kiosk`` subcommand shares (see docs/cli.md).

* ``--json`` prints exactly one JSON object on stdout, and nothing else goes to stdout;
* exit codes: 0 success, 1 bad usage or input, 2 nothing to do / not found in time,
  3 device or platform failure;
* an expected failure is a :class:`~kiosk.errors.KioskError`: one message on stderr, no
  traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from kiosk.paths import default_data_dir

EXIT_OK, EXIT_USAGE, EXIT_NOTHING, EXIT_FAILURE = 0, 1, 2, 3


def common_options() -> argparse.ArgumentParser:
    """Options accepted by every subcommand (also before the subcommand)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                        help="the terminal's state: configuration, queue, keys, catalog cache "
                             f"(default: {default_data_dir()})")
    return parent


def finite_float(text: str) -> float:
    """The ``type=`` of every number option: float() also takes nan and inf, which no
    time-out or interval means and which fail later as a bug (socket.settimeout(nan))."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout and nothing else")


def data_dir_of(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "data_dir", None) or default_data_dir())


def emit(result: dict[str, Any], as_json: bool, human: str | None = None) -> None:
    """Print a command's result: one JSON object, or human-readable text."""
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write((human if human is not None else _human(result)) + "\n")
    sys.stdout.flush()


def _human(result: dict[str, Any], indent: str = "") -> str:
    lines = []
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(_human(value, indent + "  "))
        else:
            lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines)


def say(message: str) -> None:
    """Human-readable progress: stderr, so that stdout stays clean for --json."""
    print(message, file=sys.stderr, flush=True)
