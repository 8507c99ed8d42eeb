"""Errors of the sandbox platform, each an RFC 9457 problem.

Problem                         an answer other than success, rendered as problem+json
├── BadRequest (400)            malformed JSON, missing or mismatched Idempotency-Key, ...
├── Unauthorized (401)          no token, unknown or revoked token
├── Forbidden (403)             this device (or agent) may not do this
├── NotFound (404)
├── Conflict (409)              in_progress, missing_blobs
├── TooLarge (413)
├── Unprocessable (422)         validation (with per-field zh/en messages), idempotency_key_reused
├── Throttled (429)             too many sign-in attempts, sessions or face checks
└── Unavailable (503)           a part of the platform cannot answer now (the face engine)

Handlers raise these; the HTTP layer turns them into responses. Anything else escaping a
handler is a bug in the sandbox: logged with its traceback and answered with a 500.

SeedDataInvalid                 a seed file the sandbox reads at start (halls, "For you"
                                rules) is wrong; the message names the file and the entry
"""

from __future__ import annotations

from typing import Any

PROBLEM_BASE = "https://sandbox.kiosk.invalid/problems/"


class Problem(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, code: str, detail: str = "", *, title: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or (title or self.title)
        self.title_text = title or self.title
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"type": PROBLEM_BASE + self.code, "title": self.title_text,
                "status": self.status, "detail": self.detail, "code": self.code, **self.extra}


class BadRequest(Problem):
    status, title = 400, "Bad request"


class Unauthorized(Problem):
    status, title = 401, "Unauthorized"


class Forbidden(Problem):
    status, title = 403, "Forbidden"


class NotFound(Problem):
    status, title = 404, "Not found"


class MethodNotAllowed(Problem):
    status, title = 405, "Method not allowed"


class Conflict(Problem):
    status, title = 409, "Conflict"


class LengthRequired(Problem):
    status, title = 411, "Length required"


class TooLarge(Problem):
    status, title = 413, "Payload too large"


class UnsupportedMediaType(Problem):
    status, title = 415, "Unsupported media type"


class Unprocessable(Problem):
    status, title = 422, "Unprocessable content"


class Throttled(Problem):
    status, title = 429, "Too many requests"


class Unavailable(Problem):
    status, title = 503, "Service unavailable"


class SeedDataInvalid(ValueError):
    """A seed file of the sandbox is wrong: raised at start, before any request is served."""
