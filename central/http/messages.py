"""Requests and responses as plain values, independent of the socket they came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from central.errors import BadRequest, Problem, UnsupportedMediaType

MAX_JSON_BYTES = 1024 * 1024
MAX_BLOB_BYTES = 20 * 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query_string: str
    headers: dict[str, str]          # lower-case names
    body: bytes
    client_host: str
    params: dict[str, str] = field(default_factory=dict)   # from the route pattern
    route: str = ""                                          # the pattern, for logs/counters
    device: Any = None                                       # set by authentication

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def query(self, name: str) -> str | None:
        values = parse_qs(self.query_string, keep_blank_values=True).get(name)
        return values[0] if values else None

    def json(self) -> Any:
        content_type = (self.header("content-type") or "").split(";")[0].strip().lower()
        if content_type and content_type != "application/json" and not content_type.endswith(
                "+json"):
            raise UnsupportedMediaType("unsupported_media_type",
                                       f"expected application/json, got {content_type}")
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequest("malformed_json", f"the body is not valid UTF-8 JSON: {exc}") from None

    def json_object(self) -> dict[str, Any]:
        doc = self.json()
        if not isinstance(doc, dict):
            raise BadRequest("malformed_json", "the body must be a JSON object")
        return doc


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, doc: Any, headers: dict[str, str] | None = None) -> Response:
        return cls(status, dump(doc), "application/json", dict(headers or {}))

    @classmethod
    def problem(cls, problem: Problem) -> Response:
        return cls(problem.status, dump(problem.body()), "application/problem+json",
                   dict(problem.headers))

    @classmethod
    def empty(cls, status: int, headers: dict[str, str] | None = None) -> Response:
        return cls(status, b"", "", dict(headers or {}))


def dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def canonical(doc: Any) -> bytes:
    """Bytes that are equal exactly when two JSON values are equal (key order, spacing ignored)."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
