"""The socket side: reads a request, applies injected faults, writes the answer.

Faults need the raw connection — to drop it before or after the platform commits, or to
promise a body and send half of it — which is why the sandbox owns this layer.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from central.errors import BadRequest, LengthRequired, Problem, TooLarge
from central.faults import NO_FAULT, Decision
from central.http.messages import MAX_BLOB_BYTES, MAX_JSON_BYTES, Request, Response

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

access_log = logging.getLogger("central.access")

# Faults never touch the sandbox's own control routes or the health check.
_NO_FAULT_PREFIXES = ("/v1/_sandbox/", "/v1/health")


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class PlatformRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KioskSandbox/1"
    # Headers and body go out in separate writes; with Nagle on, the body waited ~40 ms for
    # the client's delayed ACK on every keep-alive response.
    disable_nagle_algorithm = True
    # A client that stops sending mid-request must not hold a thread forever.
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the access log below records routes, never raw paths."""

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the router, which answers 405 (with Allow) for those a
        # resource does not take; the base class would answer 501 to TRACE and friends.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    @property
    def platform(self) -> SandboxPlatform:
        return self.server.platform  # type: ignore[attr-defined,no-any-return]

    def _serve(self) -> None:
        started = time.perf_counter()
        platform = self.platform
        method = self.command
        path, _, query = self.path.partition("?")
        route = platform.router.route_of(method, path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            body = self._read_body(path, headers)
        except Problem as problem:
            self.close_connection = True
            self._send(Response.problem(problem), head=method == "HEAD")
            self._record(method, route, problem.status, started, None)
            return
        decision = NO_FAULT
        if not path.startswith(_NO_FAULT_PREFIXES):
            decision = platform.faults.draw(route)
        if decision.drop_before:
            self._drop(method, route, started, "dropped_before")
            return
        if decision.delay_s:
            time.sleep(decision.delay_s)
        request = Request(method, path, query, headers, body, self.client_address[0])
        response = self._answer(request, decision)
        if decision.drop_after:
            self._drop(method, route, started, "dropped_after")
            return
        self._send(response, head=method == "HEAD", truncate=decision.truncate)
        self._record(method, route, response.status, started, request.device)

    def _answer(self, request: Request, decision: Decision) -> Response:
        if decision.status is not None:
            problem_cls = {500: Problem, 503: Problem, 429: Problem}[decision.status]
            problem = problem_cls("injected_fault", "fault injected by the sandbox",
                                  title={500: "Internal error", 503: "Service unavailable",
                                         429: "Too many requests"}[decision.status])
            problem.status = decision.status
            if decision.status in (503, 429):
                problem.headers["Retry-After"] = str(self.platform.faults.plan.retry_after_s)
            return Response.problem(problem)
        return self.platform.handle(request)

    def _read_body(self, path: str, headers: dict[str, str]) -> bytes:
        if "transfer-encoding" in headers:
            raise LengthRequired("length_required", "send the body with a Content-Length")
        raw = headers.get("content-length", "0") or "0"
        try:
            length = int(raw)
            if length < 0:
                raise ValueError(raw)
        except ValueError:
            raise BadRequest("bad_content_length", "Content-Length is not a number") from None
        limit = MAX_BLOB_BYTES if path.startswith("/v1/blobs/") else MAX_JSON_BYTES
        if length > limit:
            raise TooLarge("too_large", f"the body is larger than {limit} bytes")
        return self.rfile.read(length) if length else b""

    def _send(self, response: Response, *, head: bool = False, truncate: bool = False) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type + "; charset=utf-8"
                             if "json" in response.content_type else response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in response.headers:
            self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if truncate and response.body:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
            self._shutdown()
            return
        self.wfile.write(response.body)

    def _drop(self, method: str, route: str, started: float, event: str) -> None:
        self.platform.counters.event(event)
        self._shutdown()
        self._record(method, route, event, started, None)

    def _shutdown(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _record(self, method: str, route: str, status: int | str, started: float,
                device: Any) -> None:
        self.platform.counters.request(method, route, status)
        access_log.info("http.request", extra={"ctx": {
            "method": method, "route": route, "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "device": getattr(device, "device_id", None)}})
