"""Content-addressed attachments; a device learns only about blobs it owns (central/blobs.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from central.errors import NotFound
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def register(router: Router, platform: SandboxPlatform) -> None:
    def put_blob(request: Request) -> Response:
        digest = request.params["sha256"]
        media_type = (request.header("content-type") or "application/octet-stream")[:100]
        # Each upload also clears face images that no check named in time (the sweeper's
        # thread does too, between uploads).
        platform.face_checks.sweep()
        created = platform.blobs.put(digest, request.body, media_type,
                                     request.device.device_id)
        platform.counters.event("blobs_stored" if created else "blobs_repeated")
        return Response.json(201 if created else 200, {"sha256": digest,
                                                       "size": len(request.body)})

    def head_blob(request: Request) -> Response:
        digest = request.params["sha256"]
        platform.blobs.check_digest(digest)
        if not platform.blobs.held_by(digest, request.device.device_id):
            raise NotFound("blob_not_found", "no blob with this digest")
        return Response.empty(200)

    router.add("PUT", "/v1/blobs/{sha256}", put_blob)
    router.add("HEAD", "/v1/blobs/{sha256}", head_blob)
