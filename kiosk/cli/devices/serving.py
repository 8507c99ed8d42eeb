"""How a standalone emulator runs: commands from stdin, then on until stopped."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from kiosk.cli.common import EXIT_OK

#: one stdin command (its words); False to quit
Command = Callable[[list[str]], bool]


class _Terminated(Exception):
    pass


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def serve(command: Command, stop: Callable[[], None]) -> int:
    """Run ``command`` for each line of stdin; once stdin is closed, serve on until
    interrupted or terminated (SIGTERM). ``stop`` (the emulator's) is called whatever ends
    it, and SIGTERM's handler is put back."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        for line in sys.stdin:
            if not command(line.split()):
                return EXIT_OK
        threading.Event().wait()
    except (KeyboardInterrupt, _Terminated):
        pass
    finally:
        stop()
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK
