"""Health and the OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from central.http.messages import Request, Response
from central.http.router import Router
from central.openapi import openapi_document

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def register(router: Router, platform: SandboxPlatform) -> None:
    from central.platform import PLATFORM_VERSION

    def health(request: Request) -> Response:
        # The December 2026 extensions this sandbox offers (platform-api.md); a sandbox can
        # stand for an older platform by offering fewer (SandboxSettings.extensions)
        return Response.json(200, {"status": "ok", "version": PLATFORM_VERSION,
                                   "extensions": [str(e) for e in
                                                  platform.settings.extensions]})

    def openapi(request: Request) -> Response:
        return Response.json(200, openapi_document(platform.public_url))

    router.add("GET", "/v1/health", health, auth=False)
    router.add("GET", "/v1/openapi.json", openapi, auth=False)
