"""``POST /v1/identity/face-checks``: the platform's person-to-card check, inside the card
session of the resident (the check is of the resident the session names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from central import access_log
from central.access_log import ReadOutcome
from central.api.sessions import ReadContext, begin_read, end_read
from central.errors import NotFound, Problem, Unprocessable
from central.face_checks import CheckAsked
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

FACE_CHECKS: Final = "POST /v1/identity/face-checks"


def _resident_ref(platform: SandboxPlatform, read: ReadContext) -> str | None:
    """The demo resident the session names (the session keeps only a keyed hash)."""
    with platform.db.session() as conn:
        for resident in platform.catalog.residents:
            if access_log.resident_hash(conn, resident.id_number) == read.resident_hash:
                return str(resident.ref)
    return None


def register(router: Router, platform: SandboxPlatform) -> None:
    def face_check(request: Request) -> Response:
        asked = CheckAsked.parse(request.json_object())
        read = begin_read(platform, request, FACE_CHECKS)
        try:
            answer = platform.face_checks.check(read.device_id, read.session_id,
                                                _resident_ref(platform, read), asked)
        except NotFound:
            end_read(platform, read, ReadOutcome.NOT_FOUND)      # no reference photo
            raise
        except Unprocessable:
            end_read(platform, read, ReadOutcome.FOUND)          # the photo was compared
            raise                                               # with no face: no_face
        except Problem:
            raise                                               # nothing of theirs read
        end_read(platform, read, ReadOutcome.FOUND)
        platform.counters.event("face_checks")
        return Response.json(200, answer.as_dict())

    router.add("POST", "/v1/identity/face-checks", face_check)
