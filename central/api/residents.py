"""Shared data for prefill, and agents' work lists."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from central.auth import agent_of, require_kind
from central.clock import rfc3339
from central.db import write
from central.errors import BadRequest, NotFound
from central.http.messages import Request, Response
from central.http.router import Router
from civic import catalog as catalog_model
from civic.pii import mask_name

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def id_hash(salt: str, id_number: str) -> str:
    """The work list's matching key: SHA-256 of salt + ID number (final x upper-cased)."""
    number = id_number.strip()
    if number[-1:] == "x":
        number = number[:-1] + "X"
    return hashlib.sha256((salt + number).encode("utf-8")).hexdigest()


def register(router: Router, platform: SandboxPlatform) -> None:
    # Audit rows name the resident by a keyed hash, so the audit itself holds no ID number.
    audit_key = secrets.token_hex(16)

    def prefill(request: Request) -> Response:
        item_code = request.query("item_code")
        if not item_code:
            raise BadRequest("item_code_missing", "name the item: ?item_code=...")
        now = platform.clock()
        with platform.db.session() as conn:
            agent = agent_of(conn, request, request.device, rfc3339(now), required=False)
        catalog = platform.catalog.catalog
        item = catalog.get(item_code) if item_code in catalog else None
        resident = platform.catalog.resident_by_id(request.params["id_number"])
        outcome = "found" if item is not None and resident is not None else "not_found"
        with platform.db.session() as conn, write(conn):
            conn.execute("INSERT INTO prefill_audit (at, device_id, agent_id, item_code, "
                         "resident_hash, outcome) VALUES (?,?,?,?,?,?)",
                         (rfc3339(now), request.device.device_id,
                          agent.agent_id if agent else None, item_code[:100],
                          id_hash(audit_key, request.params["id_number"]), outcome))
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
