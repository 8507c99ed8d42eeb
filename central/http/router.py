"""Maps a method and a path to a handler; patterns like ``/v1/blobs/{sha256}``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from central.errors import MethodNotAllowed, NotFound
from central.http.messages import Request, Response

Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


class Router:
    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        # Path parameters match one segment; ":" stays literal so "/v1/submissions:batch"
        # and "/v1/submissions/{submission_id}" never shadow each other.
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(pattern))
        self._routes.append(Route(method, pattern, re.compile(f"^{regex}$"), handler, auth))

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed = []
        for route in self._routes:
            match = route.regex.match(path)
            if match:
                if route.method == method or (method == "HEAD" and route.method == "GET"):
                    return route, match.groupdict()
                allowed.append(route.method)
        if allowed:
            raise MethodNotAllowed("method_not_allowed", f"{method} is not allowed here",
                                   headers={"Allow": ", ".join(sorted(set(allowed)))})
        raise NotFound("not_found", f"no resource at {path}")

    def route_of(self, method: str, path: str) -> str:
        """The pattern for logs and counters: never the raw path (it may hold an ID number)."""
        try:
            return self.resolve(method, path)[0].pattern
        except (NotFound, MethodNotAllowed):
            return "(unknown)"
