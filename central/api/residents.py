"""Shared data for prefill (inside a card session: ``central.api.sessions``), and agents'
work lists."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Final

from central.access_log import ReadOutcome, id_hash
from central.api.sessions import begin_read, end_read
from central.auth import agent_of, require_kind
from central.clock import rfc3339
from central.errors import BadRequest, NotFound
from central.http.messages import Request, Response
from central.http.router import Router
from civic import catalog as catalog_model
from civic.pii import mask_name

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

__all__ = ["id_hash", "register"]

PREFILL: Final = "GET /v1/residents/{id_number}/prefill"


def register(router: Router, platform: SandboxPlatform) -> None:
    def prefill(request: Request) -> Response:
        item_code = request.query("item_code")
        if not item_code:
            raise BadRequest("item_code_missing", "name the item: ?item_code=...")
        read = begin_read(platform, request, PREFILL, item_code)
        catalog = platform.catalog.catalog
        item = catalog.get(item_code) if item_code in catalog else None
        resident = platform.catalog.resident_by_id(request.params["id_number"])
        found = item is not None and resident is not None
        end_read(platform, read, ReadOutcome.FOUND if found else ReadOutcome.NOT_FOUND)
        platform.counters.event("prefill_calls")
        if item is None:
            raise NotFound("item_not_found", "no such item in the current catalog")
        if resident is None:
            raise NotFound("resident_not_found", "the platform holds no shared data for this "
                                                 "person")
        return Response.json(200, catalog_model.prefill_response(
            item, resident.card_fields(), resident.shared_data()))

    def worklist(request: Request) -> Response:
        require_kind(request.device, "agent")
        now = platform.clock()
        with platform.db.session() as conn:
            agent = agent_of(conn, request, request.device, rfc3339(now), required=True)
        assert agent is not None
        salt = secrets.token_hex(16)
        residents = []
        for resident in platform.catalog.residents:
            if resident.village != agent.area:
                continue
            eligible = catalog_model.eligible_items(platform.catalog.catalog, resident,
                                                    now.date())
            residents.append({
                "resident_ref": resident.ref,
                "name_masked": mask_name(resident.name),
                "id_hash": id_hash(salt, resident.id_number),
                "village": resident.village,
                # "reason_en" extends the spec's element for agents working in English.
                "eligible": [{"item_code": code, "reason": reason.zh, "reason_en": reason.en}
                             for code, reason in eligible]})
        return Response.json(200, {
            "generated_at": rfc3339(now),
            "valid_until": rfc3339(now + dt.timedelta(days=platform.settings.worklist_valid_days)),
            "salt": salt, "residents": residents})

    router.add("GET", "/v1/residents/{id_number}/prefill", prefill)
    router.add("GET", "/v1/worklist", worklist)
