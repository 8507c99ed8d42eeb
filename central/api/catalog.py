"""The service catalog, with an ETag."""

from __future__ import annotations

from typing import TYPE_CHECKING

from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def register(router: Router, platform: SandboxPlatform) -> None:
    def get_catalog(request: Request) -> Response:
        source = platform.catalog
        headers = {"ETag": source.etag, "Cache-Control": "no-cache"}
        wanted = request.header("if-none-match") or ""
        if source.etag in [tag.strip() for tag in wanted.split(",")] or wanted.strip() == "*":
            return Response.empty(304, headers)
        return Response(200, source.document_bytes, "application/json", headers)

    router.add("GET", "/v1/catalog", get_catalog)
