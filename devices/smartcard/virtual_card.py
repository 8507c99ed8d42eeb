"""A virtual social-security card for tests and the demo, speaking vsmartcard's vpcd protocol.

pcscd's vpcd driver (package ``vsmartcard-vpcd``, **never on a real terminal**: see
docs/deployment.md) listens on TCP 35963 for slot 0. A card "is inserted" while a TCP
connection to it is open and "removed" when the connection closes. Every message either way
is a 2-byte big-endian length and a body; a 1-byte body from vpcd is a control code
(00 power off, 01 power on, 02 reset, 04 "send your ATR"), anything longer is an APDU that
the card answers with the response APDU (id-cards spec section 7).

The connection is made by a ``connect`` function passed in, so that tests can open it inside
the network namespace of their private pcscd; the default connects to 127.0.0.1.

    python -m devices.smartcard.virtual_card --residents seeds/residents.toml --resident R001
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path

from devices.smartcard.virtual_applet import CardProfile, SocialSecurityApplet
from devices.smartcard.virtual_profiles import NOT_SOCIAL_SECURITY, load_profiles

log = logging.getLogger(__name__)

VPCD_PORT = 35963  # slot 0; slot 1 is 35964
Connector = Callable[[], socket.socket]

_POWER_OFF, _POWER_ON, _RESET, _GET_ATR = 0x00, 0x01, 0x02, 0x04


def tcp_connector(host: str = "127.0.0.1", port: int = VPCD_PORT,
                  timeout: float = 5.0) -> Connector:
    def connect() -> socket.socket:
        return socket.create_connection((host, port), timeout=timeout)
    return connect


class VirtualCard:
    """One virtual card slot. ``insert(profile)`` connects, ``remove()`` disconnects."""

    def __init__(self, connect: Connector | None = None) -> None:
        self._connect = connect or tcp_connector()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._applet: SocialSecurityApplet | None = None
        self._pull_after: int | None = None

    # -- life cycle -------------------------------------------------------------------
    def insert(self, profile: CardProfile) -> SocialSecurityApplet:
        """Connect to vpcd with this card; returns its applet (for the transcript)."""
        self.remove()
        sock = self._connect()
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        applet = SocialSecurityApplet(profile)
        thread = threading.Thread(target=self._serve, args=(sock, applet),
                                  name="virtual-card", daemon=True)
        with self._lock:
            self._sock, self._applet, self._thread = sock, applet, thread
            self._pull_after = None
        thread.start()
        log.debug("virtual_card.inserted", extra={"ctx": {"profile": profile.label}})
        return applet

    def remove(self) -> None:
        """Take the card out: close the connection and wait for the serving thread."""
        with self._lock:
            sock, thread = self._sock, self._thread
            self._sock = self._thread = None
        if sock is not None:
            _close(sock)
        if thread is not None:
            thread.join(timeout=5)

    def close(self) -> None:
        self.remove()

    def __enter__(self) -> VirtualCard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- switches ---------------------------------------------------------------------
    def pull_out_after(self, apdus: int) -> None:
        """Answer ``apdus`` more commands, then drop the connection instead of the next
        answer: a citizen pulling the card out in the middle of a read."""
        with self._lock:
            self._pull_after = apdus

    @property
    def inserted(self) -> bool:
        with self._lock:
            return self._thread is not None and self._thread.is_alive()

    @property
    def applet(self) -> SocialSecurityApplet | None:
        with self._lock:
            return self._applet

    # -- the vpcd conversation (on the "virtual-card" thread) -------------------------
    def _serve(self, sock: socket.socket, applet: SocialSecurityApplet) -> None:
        try:
            while True:
                body = _read_message(sock)
                if body is None:
                    return
                if len(body) == 1:
                    if body[0] == _GET_ATR:
                        _send(sock, applet.profile.atr)
                    elif body[0] in (_POWER_OFF, _POWER_ON, _RESET):
                        applet.reset()
                    continue
                if self._should_pull_out():
                    log.debug("virtual_card.pulled_out")
                    return
                _send(sock, applet.transmit(body))
        except OSError:
            return  # the socket was closed by remove(), or pcscd went away
        finally:
            _close(sock)

    def _should_pull_out(self) -> bool:
        with self._lock:
            if self._pull_after is None:
                return False
            if self._pull_after <= 0:
                self._pull_after = None
                return True
            self._pull_after -= 1
            return False


def _read_exact(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        # vpcd writes the length and the APDU separately; with Nagle on its side, our
        # delayed ACK would hold every command back ~40 ms. Linux clears QUICKACK after
        # use, so it is set again before every read.
        with contextlib.suppress(OSError, AttributeError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _read_message(sock: socket.socket) -> bytes | None:
    header = _read_exact(sock, 2)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    return _read_exact(sock, length)


def _send(sock: socket.socket, body: bytes) -> None:
    sock.sendall(struct.pack(">H", len(body)) + body)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already disconnected
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Insert a virtual social-security card into "
                                     "pcscd's vpcd reader (development and demo only).")
    parser.add_argument("--residents", type=Path, required=True, help="seeds/residents.toml")
    parser.add_argument("--resident", default="R001",
                        help="resident ref, or 'not-social-security'")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    args = parser.parse_args(argv)
    profiles = load_profiles(args.residents)
    profiles[NOT_SOCIAL_SECURITY.label] = NOT_SOCIAL_SECURITY
    if args.resident not in profiles:
        parser.error(f"no card for {args.resident!r}; choose from {sorted(profiles)}")
    card = VirtualCard(tcp_connector(args.host, args.port))
    card.insert(profiles[args.resident])
    print(f"card {profiles[args.resident].label} inserted; Ctrl-C removes it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        card.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
