"""An ID-card reader on a real pseudo-terminal, for tests, demos and technicians.

The driver opens the pty's slave side exactly as it opens ``/dev/ttyUSB0``; the emulator
answers on the master side from its own thread, with the SAM model of :mod:`.sam`.

Faithful where it matters to a driver:

* the timing model sends replies at the reader's speed (10 bits per byte, in 32-byte
  bursts like a USB-serial adapter), so a 1295-byte read takes about 112 ms at 115200;
* the speed is real: the emulator reads the speed the driver set on the slave (the pty
  pair shares its termios settings) and ignores commands sent at another speed, so baud
  detection is exercised; command 60 answers at the old speed, then switches;
* unplugging closes the pty (the driver's next read fails like a pulled USB cable) and
  replugging makes a new one: ``link_path``, a symlink the emulator keeps pointing at the
  current slave, plays the role of a stable udev name the driver looks up again.

Pty pitfalls handled here: the slave is made raw at once and kept open by the emulator, so
nothing is echoed or lost and the master never sees EIO while the driver reopens the port;
the master is non-blocking, so a writer whose reader went away cannot hang the thread.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import random
import select
import termios
import threading
import time
import tty
from collections import deque
from pathlib import Path

from devices.idcard.emulator.profiles import IdCardProfile
from devices.idcard.emulator.sam import BAD_LENGTH, SamBehaviour, SamModel
from devices.idcard.frames import (
    MIN_COMMAND_LEN,
    FrameCommand,
    FrameReader,
    build_reply,
    wire_time,
)

log = logging.getLogger(__name__)

BAD_CHECKSUM = 0x10
USB_BURST = 32
PARTIAL_COMMAND_TIMEOUT = 0.5   # a half-received command is answered 11 after this

_SPEEDS = {getattr(termios, f"B{n}"): n for n in (1200, 2400, 4800, 9600, 19200, 38400,
                                                   57600, 115200, 230400)}


@dataclasses.dataclass(frozen=True)
class Faults:
    """Switches of the emulated reader (all off: a healthy reader)."""

    sam_fault: bool = False              # SAM self-test failed: 60 to everything
    no_card: bool = False                # the antenna never finds a card
    lift_required: bool = False          # a read card must be lifted before it is found again
    remove_during_read: bool = False     # the card is pulled away during the read
    empty_appended_as_90: bool = False   # "no appended address" as 90 + no data
    fragmented: bool = False             # replies in random small pieces with small gaps
    garbage_before_preamble: bool = False  # random bytes before each reply
    reply_delay: float = 0.0             # seconds before each reply (slow SAM)
    corrupt_replies: int = 0             # this many next replies get a wrong checksum

    def behaviour(self) -> SamBehaviour:
        return SamBehaviour(sam_fault=self.sam_fault, no_card=self.no_card,
                            lift_required=self.lift_required,
                            remove_during_read=self.remove_during_read,
                            empty_appended_as_90=self.empty_appended_as_90)


class IdCardEmulator:
    """The reader. ``start()`` plugs it in, ``stop()`` unplugs it; place/remove cards any time."""

    def __init__(self, profiles: dict[str, IdCardProfile] | None = None, *,
                 link_path: Path | None = None, baudrate: int = 115200, pacing: bool = True,
                 faults: Faults | None = None, seed: int | None = None) -> None:
        self.profiles = dict(profiles or {})
        self._link_path = link_path
        self._baudrate = baudrate
        self.pacing = pacing
        self._faults = faults or Faults()
        self._random = random.Random(seed)
        self._model = SamModel()
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._slave_name = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        #: (cmd, para) of every command received, newest last (for tests and diagnosis)
        self.commands: deque[tuple[int, int]] = deque(maxlen=1000)
        self.ignored_bytes = 0   # bytes received at a speed other than the reader's

    # -- the card and the switches ---------------------------------------------------------
    def place(self, card: IdCardProfile | str) -> None:
        profile = self.profiles[card] if isinstance(card, str) else card
        with self._lock:
            self._model.place(profile)

    def remove(self) -> None:
        with self._lock:
            self._model.remove()

    @property
    def card(self) -> IdCardProfile | None:
        return self._model.card

    @property
    def faults(self) -> Faults:
        return self._faults

    def set_faults(self, **changes: object) -> None:
        """Change switches, e.g. ``set_faults(sam_fault=True, reply_delay=0.2)``."""
        with self._lock:
            self._faults = dataclasses.replace(self._faults, **changes)  # type: ignore[arg-type]

    @property
    def baudrate(self) -> int:
        """The reader's current speed (changes with command 60)."""
        return self._baudrate

    @property
    def max_rf_bytes(self) -> int | None:
        return self._model.max_rf_bytes

    # -- plugging ----------------------------------------------------------------------------
    @property
    def device_path(self) -> str:
        """Where the driver finds the reader: the stable link if any, else the pty slave."""
        return str(self._link_path) if self._link_path else self._slave_name

    @property
    def plugged(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Plug the reader in: a new pty (and the link pointed at it) served by a new thread."""
        if self._thread is not None:
            return
        master, slave = os.openpty()
        tty.setraw(slave)          # before anyone writes: no echo, no line buffering
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self._slave_name = os.ttyname(slave)
        if self._link_path is not None:
            tmp = self._link_path.with_name(self._link_path.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._slave_name)
            tmp.replace(self._link_path)
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="idcard-emulator",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Unplug the reader: the thread ends, the pty closes, the link disappears."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(5.0)
        if self._link_path is not None:
            self._link_path.unlink(missing_ok=True)
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    unplug = stop
    replug = start

    def __enter__(self) -> IdCardEmulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the thread --------------------------------------------------------------------------
    def _serve(self) -> None:
        assert self._master is not None
        master = self._master
        frames = FrameReader(min_len=MIN_COMMAND_LEN)
        partial_since: float | None = None
        while not self._stop.is_set():
            readable, _, _ = select.select([master], [], [], 0.05)
            if not readable:
                if partial_since and time.monotonic() - partial_since > PARTIAL_COMMAND_TIMEOUT:
                    frames.clear()
                    partial_since = None
                    self._send(build_reply(BAD_LENGTH), self._baudrate)
                continue
            try:
                data = os.read(master, 4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:   # EIO: no slave open (cannot happen while we hold one)
                self._stop.wait(0.05)
                continue
            if self._host_baudrate() != self._baudrate:
                # A UART at another speed sees framing errors, not a command: no answer.
                self.ignored_bytes += len(data)
                continue
            frames.feed(data)
            self._answer(frames)
            partial_since = (partial_since or time.monotonic()) if frames.pending else None

    def _answer(self, frames: FrameReader) -> None:
        bad_sums, bad_lens = frames.stats.bad_checksums, frames.stats.bad_lengths
        while (frame := frames.next_frame()) is not None:
            command = FrameCommand.parse(frame)
            self.commands.append((command.cmd, command.para))
            with self._lock:
                faults = self._faults
                reply = self._model.handle(command, faults.behaviour())
            self._send(build_reply(reply.sw3, reply.data), self._baudrate)
            if reply.new_baudrate is not None:
                self._baudrate = reply.new_baudrate
        if frames.stats.bad_checksums > bad_sums:
            self._send(build_reply(BAD_CHECKSUM), self._baudrate)
        elif frames.stats.bad_lengths > bad_lens:
            self._send(build_reply(BAD_LENGTH), self._baudrate)

    def _host_baudrate(self) -> int:
        """The speed the driver set on the slave side (shared termios of the pty pair)."""
        if self._master is None:
            return self._baudrate
        try:
            speed = termios.tcgetattr(self._master)[5]
        except termios.error:
            return self._baudrate
        return _SPEEDS.get(speed, 0)

    def _send(self, frame: bytes, baudrate: int) -> None:
        with self._lock:
            faults = self._faults
            if faults.corrupt_replies:
                self._faults = dataclasses.replace(faults,
                                                   corrupt_replies=faults.corrupt_replies - 1)
                frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])
        if faults.reply_delay and self._stop.wait(faults.reply_delay):
            return
        if faults.garbage_before_preamble:
            junk = bytes(self._random.choice([0x00, 0x96, 0x69, 0xFF, 0x55, 0x13])
                         for _ in range(self._random.randint(1, 12)))
            frame = junk + b"\xaa\xaa" + frame      # even a partial preamble
        pieces = self._pieces(frame, fragmented=faults.fragmented)
        started, sent = time.monotonic(), 0
        for piece in pieces:
            sent += len(piece)
            if self.pacing:
                due = started + wire_time(sent, baudrate)
                if self._stop.wait(max(0.0, due - time.monotonic())):
                    return
            elif faults.fragmented and self._stop.wait(self._random.uniform(0, 0.002)):
                return
            self._write(piece)

    def _pieces(self, data: bytes, *, fragmented: bool) -> list[bytes]:
        if not fragmented and not self.pacing:
            return [data]
        pieces, pos = [], 0
        while pos < len(data):
            size = self._random.randint(1, 64) if fragmented else USB_BURST
            pieces.append(data[pos:pos + size])
            pos += size
        return pieces

    def _write(self, data: bytes) -> None:
        master = self._master
        while data and master is not None and not self._stop.is_set():
            try:
                written = os.write(master, data)
            except BlockingIOError:
                select.select([], [master], [], 0.05)
                continue
            except OSError:
                return   # the far end is gone; the reply is lost, as on a real line
            data = data[written:]
