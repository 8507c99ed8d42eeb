"""``kiosk devices emulate idcard``: an ID-card reader on a pseudo-terminal.

Prints the device path on stdout (one line; point ``kiosk devices idcard read --port`` or
``devices.idcard_port`` at it), then takes commands on stdin. When stdin is not a
terminal and ends, the emulator keeps running until it is interrupted or terminated.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from devices.idcard.emulator import Faults, IdCardEmulator, load_profiles
from kiosk.cli.common import EXIT_USAGE, finite_float, say
from kiosk.cli.devices.serving import serve
from seeds import seeds_dir

SWITCHES = ("sam_fault", "no_card", "lift_required", "remove_during_read", "fragmented",
            "garbage_before_preamble", "empty_appended_as_90")

COMMANDS_HELP = """commands on stdin:
  place REF            put a demo card on the reader (list shows the references)
  remove               take the card away
  list                 the demo cards
  fault NAME on|off    switch a fault: """ + ", ".join(SWITCHES) + """
  delay S              answer every command S seconds late (0 = normal)
  unplug / replug      pull the reader's cable out / plug it back (same path)
  status               what the reader is doing
  quit                 stop the emulator"""


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "idcard", parents=[parent], help="an ID-card reader on a pseudo-terminal",
        description="Run an emulated ID-card reader (SAM serial protocol) on a pseudo-"
                    "terminal, with the demo residents' cards. The device path is printed on "
                    "stdout.",
        epilog=COMMANDS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--profile", metavar="REF",
                     help="demo card on the reader at start (e.g. R001, F001, F002, H001)")
    cmd.add_argument("--link", type=Path, metavar="PATH",
                     help="keep a symlink here pointing at the current pty (stable across "
                          "unplug/replug)")
    cmd.add_argument("--baud", type=int, default=115200,
                     choices=(115200, 57600, 38400, 19200, 9600),
                     help="the reader's speed (default 115200)")
    cmd.add_argument("--no-pacing", action="store_true",
                     help="answer at once instead of at the speed of the serial line")
    cmd.add_argument("--lift-required", action="store_true",
                     help="a read card must be lifted before it is found again")
    cmd.add_argument("--residents", type=Path, metavar="FILE",
                     default=seeds_dir() / "residents.toml",
                     help="demo residents file (default: the installed seeds)")
    cmd.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    profiles = load_profiles(args.residents)
    by_ref = {ref.upper(): ref for ref in profiles}
    if args.profile and args.profile.upper() not in by_ref:
        say(f"kiosk: no demo card {args.profile!r}; known: {', '.join(profiles)}")
        return EXIT_USAGE
    emulator = IdCardEmulator(profiles, link_path=args.link, baudrate=args.baud,
                              pacing=not args.no_pacing,
                              faults=Faults(lift_required=args.lift_required))
    emulator.start()
    if args.profile:
        emulator.place(by_ref[args.profile.upper()])
    print(emulator.device_path, flush=True)
    say(f"ID-card reader emulator on {emulator.device_path} at {args.baud} bit/s. "
        "Type 'help' for commands.")
    return serve(lambda words: _command(emulator, by_ref, words), emulator.stop)


def _command(emulator: IdCardEmulator, by_ref: dict[str, str], words: list[str]) -> bool:
    """Run one stdin command; False to quit."""
    if not words:
        return True
    verb, rest = words[0].lower(), words[1:]
    if verb in ("quit", "exit"):
        return False
    if verb == "place" and len(rest) == 1 and rest[0].upper() in by_ref:
        emulator.place(by_ref[rest[0].upper()])
        say(f"placed {by_ref[rest[0].upper()]}")
    elif verb == "remove":
        emulator.remove()
        say("removed")
    elif verb == "list":
        for ref, profile in emulator.profiles.items():
            say(f"{ref}  {profile.card_type.value}")
    elif verb == "fault" and len(rest) == 2 and rest[0] in SWITCHES and rest[1] in ("on", "off"):
        emulator.set_faults(**{rest[0]: rest[1] == "on"})
        say(f"{rest[0]} {rest[1]}")
    elif verb == "delay" and len(rest) == 1 and _is_number(rest[0]):
        emulator.set_faults(reply_delay=float(rest[0]))
        say(f"replies {float(rest[0]):g} s late")
    elif verb == "unplug":
        emulator.unplug()
        say("unplugged")
    elif verb == "replug":
        emulator.replug()
        say(f"plugged in again on {emulator.device_path}")
    elif verb == "status":
        card = emulator.card
        say(f"{'plugged' if emulator.plugged else 'unplugged'} {emulator.device_path}, "
            f"{emulator.baudrate} bit/s, card: {card.ref if card else 'none'}, "
            f"faults: {emulator.faults}")
    else:
        say(COMMANDS_HELP)
    return True


def _is_number(text: str) -> bool:
    try:
        return finite_float(text) >= 0      # "delay inf" would be a reader that never answers
    except argparse.ArgumentTypeError:
        return False
