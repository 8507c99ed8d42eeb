"""``GET /clerk/``: the clerk's console (``central.console``), for an ordinary browser.

Its Content-Security-Policy allows only this origin: scripts, styles and calls to the API
come from here, pictures may be ``data:`` (a citizen's document snapshot arrives as
base64) and media ``blob:``/``mediastream:`` (the camera streams). Nothing may frame the
page, so another site cannot overlay the clerk's buttons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from central import console
from central.errors import NotFound
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

CSP: Final = ("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
              "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")
_HEADERS: Final = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}


def _serve(name: str) -> Response:
    body = console.asset(name)
    if body is None:
        raise NotFound("not_found", "no such file of the clerk's console")
    return Response(200, body, console.ASSETS[name], dict(_HEADERS))


def register(router: Router, platform: SandboxPlatform) -> None:
    def index(request: Request) -> Response:
        return _serve("index.html")

    def file(request: Request) -> Response:
        return _serve(request.params["name"])

    def bare(request: Request) -> Response:
        return Response.empty(308, {"Location": "/clerk/"})

    router.add("GET", "/clerk", bare, auth=False)
    router.add("GET", "/clerk/", index, auth=False)
    router.add("GET", "/clerk/{name}", file, auth=False)
