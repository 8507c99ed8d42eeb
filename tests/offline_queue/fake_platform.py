"""A small in-memory platform behind ``httpx.MockTransport`` for unit tests of the engine.

Real delivery is tested against the sandbox; this one lets a test script exact answers.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Callable
from typing import Any

import httpx

Script = Callable[[httpx.Request], httpx.Response | None]


class FakePlatform:
    def __init__(self) -> None:
        self.submissions: dict[str, Any] = {}
        self.blobs: set[str] = set()
        self.calls: list[str] = []
        self.script: list[Script] = []  # consulted first, one entry per request
        self.batch = True
        self.reject: dict[str, tuple[int, dict[str, Any]]] = {}
        self.down = False
        #: per submission request: (path, X-Agent-Token or None, submission ids)
        self.sent: list[tuple[str, str | None, list[str]]] = []
        #: agent tokens the platform no longer accepts (403 agent_token_invalid)
        self.stale_tokens: set[str] = set()

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.path}")
        if self.down:  # the line is cut: nothing gets through
            raise httpx.ConnectError("network is unreachable", request=request)
        if self.script:
            answer = self.script.pop(0)(request)
            if answer is not None:
                return answer
        date = {"Date": email.utils.formatdate(usegmt=True)}
        path = request.url.path
        if path == "/v1/health":
            return httpx.Response(200, json={"status": "ok"}, headers=date)
        if path.startswith("/v1/blobs/"):
            sha = path.rsplit("/", 1)[1]
            if request.method == "HEAD":
                return httpx.Response(200 if sha in self.blobs else 404, headers=date)
            self.blobs.add(sha)
            return httpx.Response(201, headers=date)
        if path.startswith("/v1/submissions"):
            token = request.headers.get("X-Agent-Token")
            doc = json.loads(request.content)
            self.sent.append((path, token, [s["submission_id"]
                                            for s in doc.get("submissions", [doc])]))
            if token in self.stale_tokens:
                return httpx.Response(403, json={"code": "agent_token_invalid"}, headers=date)
        if path == "/v1/submissions:batch":
            if not self.batch:
                return httpx.Response(404, json={"code": "not_found"}, headers=date)
            subs = json.loads(request.content)["submissions"]
            results = [dict(zip(("status", "body"), self._one(s), strict=True),
                            submission_id=s["submission_id"]) for s in subs]
            return httpx.Response(200, json={"results": results}, headers=date)
        if path == "/v1/submissions":
            status, body = self._one(json.loads(request.content))
            return httpx.Response(status, json=body, headers=date)
        if path == "/v1/changes":
            return httpx.Response(200, json={"changes": [], "next": None}, headers=date)
        return httpx.Response(404, headers=date)

    def _one(self, sub: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        sid = sub["submission_id"]
        if sid in self.reject:
            return self.reject[sid]
        missing = [a["sha256"] for a in sub["attachments"] if a["sha256"] not in self.blobs]
        if missing:
            return 409, {"code": "missing_blobs", "missing": missing}
        if sid not in self.submissions:
            self.submissions[sid] = sub
        number = list(self.submissions).index(sid) + 1
        return 201, {"submission_id": sid, "case_number": f"C{number:05d}",
                     "status": "received"}
