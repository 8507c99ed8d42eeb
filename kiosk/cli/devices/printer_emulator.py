"""``kiosk devices emulate printer``: an ESC/POS printer on a pty and a TCP port.

Prints two lines on stdout, the serial URL and the TCP URL to point ``--printer`` or
``devices.receipt_printer`` at, then takes commands on stdin. Each slip it prints is
summarised on stderr and, with ``--png-dir``, drawn as a PNG.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from devices.printer import PrinterState, get_profile, profile_names
from devices.printer.emulator.mechanism import ERROR_CAUSES
from devices.printer.emulator.model import Slip
from devices.printer.emulator.server import PrinterEmulator
from kiosk.cli.common import EXIT_USAGE, say
from kiosk.cli.devices.serving import serve

STATES = [s.value for s in PrinterState]
COMMANDS_HELP = f"""commands on stdin:
  state NAME [CAUSE]   set the state: {", ".join(STATES)}
                       (CAUSE of an error: {", ".join(sorted(ERROR_CAUSES))})
  fail-after N NAME    switch to state NAME after N more bytes are printed (mid-job fault)
  status               state, bytes received, slips printed, commands held
  problems             unknown or malformed commands received so far
  quit                 stop the emulator"""


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "printer", parents=[parent], help="a receipt printer on a pseudo-terminal and TCP 9100",
        description="Run an emulated ESC/POS receipt printer that answers status queries from "
                    "a state you set and decodes what it prints.",
        epilog=COMMANDS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--state", choices=STATES, default="ok", help="state at start")
    cmd.add_argument("--port", type=int, default=9100,
                     help="TCP port on 127.0.0.1 (default 9100; 0 = any free port)")
    cmd.add_argument("--no-tcp", action="store_true", help="only the pseudo-terminal")
    cmd.add_argument("--link", type=Path, metavar="PATH",
                     help="keep a symlink here pointing at the pty")
    cmd.add_argument("--png-dir", type=Path, metavar="DIR",
                     help="write a PNG of every slip printed here")
    cmd.add_argument("--profile", choices=profile_names(), default="generic-80",
                     help="paper width of the PNGs (default generic-80)")
    cmd.set_defaults(func=run)


def _report(slip: Slip, path: Path | None) -> None:
    summary = slip.summary()
    say(f"slip: {json.dumps(summary, ensure_ascii=False)}" + (f" -> {path}" if path else ""))


def run(args: argparse.Namespace) -> int:
    if args.png_dir is not None:
        args.png_dir.mkdir(parents=True, exist_ok=True)
    try:
        emulator = PrinterEmulator(PrinterState(args.state),
                                   tcp_port=None if args.no_tcp else args.port,
                                   dots=get_profile(args.profile).dots, png_dir=args.png_dir,
                                   link=args.link, on_slip=_report)
        emulator.start()
    except OSError as exc:
        say(f"kiosk: cannot start the printer emulator: {exc}")
        return EXIT_USAGE
    print(emulator.serial_url, flush=True)
    if emulator.tcp_port is not None:
        print(emulator.tcp_url, flush=True)
    say(f"printer emulator ({args.state}). Type 'help' for commands.")
    return serve(lambda words: _command(emulator, words), emulator.stop)


def _command(emulator: PrinterEmulator, words: list[str]) -> bool:
    """Run one stdin command; False to quit."""
    if not words:
        return True
    verb, rest = words[0].lower(), words[1:]
    mech = emulator.mechanism
    if verb in ("quit", "exit"):
        return False
    if verb == "state" and rest and rest[0] in STATES and (
            len(rest) == 1 or rest[1] in ERROR_CAUSES):
        emulator.set_state(PrinterState(rest[0]), *rest[1:2])
        say(f"state {rest[0]}")
    elif verb == "fail-after" and len(rest) == 2 and rest[0].isdigit() and rest[1] in STATES:
        mech.fail_after(int(rest[0]), PrinterState(rest[1]))
        say(f"will switch to {rest[1]} after {rest[0]} bytes")
    elif verb == "status":
        say(f"state {mech.state.value}, {mech.received} bytes received, "
            f"{len(mech.slips)} slips, {mech.held} commands held")
    elif verb == "problems":
        for problem in mech.problems:
            say(f"{problem.offset}: {problem.kind} [{problem.raw}] {problem.message}")
    else:
        say(COMMANDS_HELP)
    return True
