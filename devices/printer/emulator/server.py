"""The printer emulator on a pseudo-terminal and a TCP 9100-style listener.

One thread (``printer-emulator``) serves both: it reads the pty master and the TCP
connections, hands the bytes to one :class:`Mechanism` and writes its answers back on the
channel they came from. The emulator keeps its own handle on the pty slave, in raw mode,
so the driver can open and close the port per job without the master seeing a hang-up
(and so the line discipline never swallows 0x12/0x16 status bytes). Listens on 127.0.0.1
only. ``start()``/``stop()`` or a ``with`` block; nothing is left running after ``stop``.
"""

from __future__ import annotations

import logging
import os
import selectors
import socket
import threading
import tty
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from devices.printer.emulator.mechanism import Mechanism
from devices.printer.emulator.model import Slip
from devices.printer.emulator.render import slip_png
from devices.printer.glyphs import GlyphRenderer
from devices.printer.status import PrinterState

log = logging.getLogger(__name__)


class PrinterEmulator:
    """An ESC/POS printer that answers status queries and decodes what it prints."""

    def __init__(self, state: PrinterState = PrinterState.OK, *, pty: bool = True,
                 tcp_port: int | None = 0, dots: int = 576, png_dir: Path | None = None,
                 link: Path | None = None,
                 on_slip: Callable[[Slip, Path | None], None] | None = None) -> None:
        self.mechanism = Mechanism(state, on_slip=self._slip_done)
        self.dots = dots
        self.png_dir = png_dir
        self._want_pty, self._want_port, self._link = pty, tcp_port, link
        self._on_slip = on_slip
        self._glyphs: GlyphRenderer | None = None
        self._master = self._slave = -1
        self._listener: socket.socket | None = None
        self._wake_r = self._wake_w = -1
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._slip_count = 0
        self.pty_path: str | None = None
        self.tcp_port: int | None = None

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> PrinterEmulator:
        self._wake_r, self._wake_w = os.pipe()
        if self._want_pty:
            self._master, self._slave = os.openpty()
            tty.setraw(self._slave)
            self.pty_path = os.ttyname(self._slave)
            if self._link is not None:
                self._link.unlink(missing_ok=True)
                self._link.symlink_to(self.pty_path)
        if self._want_port is not None:
            self._listener = socket.create_server(("127.0.0.1", self._want_port))
            self.tcp_port = int(self._listener.getsockname()[1])
        self._thread = threading.Thread(target=self._serve, name="printer-emulator",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping = True
        os.write(self._wake_w, b"x")
        self._thread.join(timeout=5)
        self._thread = None
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = self._wake_r = self._wake_w = -1
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._link is not None:
            self._link.unlink(missing_ok=True)

    def __enter__(self) -> PrinterEmulator:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def serial_url(self) -> str:
        if self.pty_path is None:
            raise RuntimeError("the emulator has no pty")
        return f"serial://{self.pty_path}?baud=115200"

    @property
    def tcp_url(self) -> str:
        if self.tcp_port is None:
            raise RuntimeError("the emulator has no TCP listener")
        return f"tcp://127.0.0.1:{self.tcp_port}"

    def set_state(self, state: PrinterState, error_cause: str = "cutter") -> None:
        self.mechanism.set_state(state, error_cause)

    # -- the thread -------------------------------------------------------------------

    def _serve(self) -> None:
        with selectors.DefaultSelector() as sel:
            sel.register(self._wake_r, selectors.EVENT_READ, "wake")
            if self._master >= 0:
                sel.register(self._master, selectors.EVENT_READ, ("pty", bytearray()))
            if self._listener is not None:
                sel.register(self._listener, selectors.EVENT_READ, "listen")
            while not self._stopping:
                for key, _ in sel.select():
                    if key.data == "wake":
                        continue
                    if key.data == "listen":
                        assert self._listener is not None
                        conn, _ = self._listener.accept()
                        sel.register(conn, selectors.EVENT_READ, ("tcp", bytearray()))
                        continue
                    kind, pending = key.data
                    self._read_channel(sel, key, kind, pending)
            for key in list(sel.get_map().values()):
                if isinstance(key.fileobj, socket.socket) and key.data[0] == "tcp":
                    key.fileobj.close()

    def _read_channel(self, sel: selectors.BaseSelector, key: selectors.SelectorKey,
                      kind: str, pending: bytearray) -> None:
        try:
            if kind == "pty":
                data = os.read(self._master, 65536)
            else:
                assert isinstance(key.fileobj, socket.socket)
                data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if not data:
            if kind == "tcp":                        # the driver closed its job connection
                sel.unregister(key.fileobj)
                assert isinstance(key.fileobj, socket.socket)
                key.fileobj.close()
            return
        pending += data
        reply = self.mechanism.receive(pending)
        if not reply:
            return
        try:
            if kind == "pty":
                os.write(self._master, reply)
            else:
                assert isinstance(key.fileobj, socket.socket)
                key.fileobj.sendall(reply)
        except OSError:
            log.info("printer_emulator.reply_lost", extra={"ctx": {"channel": kind}})

    def _slip_done(self, slip: Slip) -> None:
        self._slip_count += 1
        path = None
        if self.png_dir is not None:
            if self._glyphs is None:
                self._glyphs = GlyphRenderer()
            path = self.png_dir / f"slip-{self._slip_count:04d}.png"
            path.write_bytes(slip_png(slip, self.dots, self._glyphs))
        if self._on_slip is not None:
            self._on_slip(slip, path)
