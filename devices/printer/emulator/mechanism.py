"""The emulated printer's mechanism: a state, a print buffer, real-time commands.

Bytes from any channel (pty or TCP) go through :meth:`Mechanism.receive`, which returns
what the printer sends back. As on a real printer:

* DLE EOT and DLE ENQ are executed on arrival, whatever the state (printing.md §1.7);
* while the state stops printing (paper out, cover open, error), everything else is *held*
  in the buffer, GS r included, so the driver's end-of-job marker goes unanswered;
* DLE ENQ 2 discards what is held; otherwise, once the state is set back to ``ok``, the
  held commands print, which is exactly the half slip the driver must prevent;
* ``offline`` is an unpowered printer: nothing is answered and nothing is kept.

``fail_after(n, state)`` switches state after ``n`` more bytes have been printed: a job
that fails mid-way, on cue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from devices.printer.emulator import parser as p
from devices.printer.emulator.decoder import Decoder
from devices.printer.emulator.model import Slip, StreamProblem
from devices.printer.status import PrinterState

# DLE EOT 1-4 replies per state (printing.md §1.7 test vectors).
REPLIES: dict[PrinterState, tuple[int, int, int, int]] = {
    PrinterState.OK: (0x12, 0x12, 0x12, 0x12),
    PrinterState.PAPER_NEAR_END: (0x12, 0x12, 0x12, 0x1E),
    PrinterState.PAPER_OUT: (0x1A, 0x32, 0x12, 0x7E),
    PrinterState.COVER_OPEN: (0x1A, 0x16, 0x12, 0x12),
    PrinterState.ERROR: (0x1A, 0x52, 0x1A, 0x12),
}
ERROR_CAUSES = {"cutter": 0x1A, "unrecoverable": 0x32, "auto_recoverable": 0x52}


@dataclass
class _Fault:
    after: int
    state: PrinterState


class Mechanism:
    """Thread-safe: channels call :meth:`receive`; tests and operators change the state."""

    def __init__(self, state: PrinterState = PrinterState.OK, *, chinese_default: bool = True,
                 on_slip: Callable[[Slip], None] | None = None) -> None:
        self._lock = threading.Condition()
        self._state = state
        self._error_cause = "cutter"
        self._decoder = Decoder(chinese_default=chinese_default)
        self._chinese_parse = chinese_default
        self._held: list[p.Command] = []
        self._fault: _Fault | None = None
        self._printed_bytes = 0
        self._on_slip = on_slip
        self.received = 0
        self.status_queries = 0

    # -- operator side ----------------------------------------------------------------

    @property
    def state(self) -> PrinterState:
        with self._lock:
            return self._state

    def set_state(self, state: PrinterState, error_cause: str = "cutter") -> None:
        """Change the state; back to a printing state, held commands print (and are lost
        answers: a reply to a held GS r goes nowhere)."""
        if error_cause not in ERROR_CAUSES:
            raise ValueError(f"error cause is one of {sorted(ERROR_CAUSES)}")
        with self._lock:
            self._state, self._error_cause = state, error_cause
            if state.can_print:
                held, self._held = self._held, []
                for cmd in held:
                    self._print(cmd)
            self._lock.notify_all()

    def fail_after(self, printed_bytes: int, state: PrinterState) -> None:
        with self._lock:
            self._fault = _Fault(self._printed_bytes + printed_bytes, state)

    @property
    def held(self) -> int:
        with self._lock:
            return len(self._held)

    @property
    def slips(self) -> list[Slip]:
        with self._lock:
            return list(self._decoder.slips)

    @property
    def current(self) -> Slip:
        """What is printed but not yet cut or torn off."""
        with self._lock:
            return self._decoder.current

    @property
    def problems(self) -> list[StreamProblem]:
        with self._lock:
            return list(self._decoder.problems)

    def wait_for_slips(self, count: int, timeout: float) -> list[Slip]:
        """Block until ``count`` slips are out (or the time-out); returns them all."""
        with self._lock:
            self._lock.wait_for(lambda: len(self._decoder.slips) >= count, timeout)
            return list(self._decoder.slips)

    # -- channel side -----------------------------------------------------------------

    def receive(self, buffer: bytearray) -> bytes:
        """Consume whole commands from ``buffer`` (a channel's pending bytes); returns the
        printer's answers. Incomplete trailing bytes stay in ``buffer``."""
        with self._lock:
            if self._state is PrinterState.OFFLINE:
                self.received += len(buffer)
                buffer.clear()
                return b""
            replies = bytearray()
            while True:
                cmd = p.next_command(buffer, self._chinese_parse)
                if cmd is None:
                    break
                del buffer[:len(cmd.raw)]
                self.received += len(cmd.raw)
                self._track_mode(cmd)
                if cmd.realtime:
                    replies += self._realtime(cmd)
                elif self._state.can_print:
                    replies += self._print(cmd)
                else:
                    self._held.append(cmd)
            self._lock.notify_all()
            return bytes(replies)

    def _track_mode(self, cmd: p.Command) -> None:
        # Parsing text needs to know Chinese mode even for commands that are only held.
        if cmd.key == (p.FS, 0x26):
            self._chinese_parse = True
        elif cmd.key == (p.FS, 0x2E):
            self._chinese_parse = False
        elif cmd.key == (p.ESC, 0x40):
            self._chinese_parse = self._decoder.chinese_default

    def _realtime(self, cmd: p.Command) -> bytes:
        n = cmd.raw[2]
        if cmd.key == (p.DLE, 0x04):
            self.status_queries += 1
            if n not in (1, 2, 3, 4):
                self._decoder.flag(cmd, "malformed", f"DLE EOT {n}: 1-4")
                return b""
            replies = list(REPLIES[self._state])
            if self._state is PrinterState.ERROR:
                replies[2] = ERROR_CAUSES[self._error_cause]
            return bytes([replies[n - 1]])
        if n == 2:                                   # DLE ENQ 2: recover, clear buffers
            self._held.clear()
        elif n != 1:
            self._decoder.flag(cmd, "malformed", f"DLE ENQ {n}: 1 or 2")
        return b""

    def _print(self, cmd: p.Command) -> bytes:
        before = len(self._decoder.slips)
        self._decoder.paper_sensor = 0x03 if self._state is PrinterState.PAPER_NEAR_END else 0
        reply = self._decoder.apply(cmd)
        self._printed_bytes += len(cmd.raw)
        if self._fault and self._printed_bytes >= self._fault.after:
            self._state, self._fault = self._fault.state, None
        if self._on_slip is not None:
            for slip in self._decoder.slips[before:]:
                self._on_slip(slip)
        return reply
