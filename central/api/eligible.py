""""For you": ``GET /v1/residents/{id_number}/eligible``, inside the resident's card
session (the gate of ``central.api.sessions``, like prefill and records); the offers are
``central.eligible``'s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from central import eligible
from central.access_log import ReadOutcome
from central.api.sessions import begin_read, end_read
from central.clock import rfc3339
from central.errors import NotFound
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

ELIGIBLE: Final = "GET /v1/residents/{id_number}/eligible"


def register(router: Router, platform: SandboxPlatform) -> None:
    def eligible_items(request: Request) -> Response:
        read = begin_read(platform, request, ELIGIBLE)
        resident = platform.catalog.resident_by_id(request.params["id_number"])
        if resident is None:
            end_read(platform, read, ReadOutcome.NOT_FOUND)
            raise NotFound("resident_not_found", "the platform holds no shared data for this "
                                                 "person")
        with platform.db.session() as conn:
            applied = eligible.applications(conn, read.resident_hash)
        # The work list's day (central.api.residents), so both lists agree.
        offers = eligible.offers(platform.catalog.catalog, resident, read.at.date(),
                                 platform.ahead.rules, applied)
        end_read(platform, read, ReadOutcome.FOUND)
        platform.counters.event("eligible_reads")
        return Response.json(200, {"generated_at": rfc3339(read.at),
                                   "eligible": [offer.as_dict() for offer in offers]})

    router.add("GET", "/v1/residents/{id_number}/eligible", eligible_items)
