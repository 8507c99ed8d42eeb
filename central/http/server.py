"""A threading HTTP server that serves one :class:`~central.platform.SandboxPlatform`."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from central.http.handler import PlatformRequestHandler

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

log = logging.getLogger(__name__)


class PlatformHTTPServer(ThreadingHTTPServer):
    # Connection threads are joined on close (block_on_close); open keep-alive connections
    # are shut down first so that joining is immediate and no thread outlives the server.
    daemon_threads = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], platform: SandboxPlatform) -> None:
        self.platform = platform
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, PlatformRequestHandler)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-answer (a terminal switched off, a killed test child)
        # is the network's business, not a sandbox bug; anything else is logged in full.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("http.client_gone", extra={"ctx": {"error": type(error).__name__}})
            return
        log.error("http.handler_failed", exc_info=True)

    def close_open_connections(self) -> None:
        with self._open_lock:
            for conn in list(self._open):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


class ServerThread:
    """Runs the server on a thread of its own; start() returns once it accepts connections."""

    def __init__(self, server: PlatformHTTPServer) -> None:
        self.server = server
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, name="central-http")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.close_open_connections()
        self.server.server_close()
        self._thread.join(timeout=10)
