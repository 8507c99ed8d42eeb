"""Certified records: ``GET /v1/residents/{id}/records`` (inside a card session),
``GET /v1/keys`` and ``GET /v1/verify/{record_id}`` (both without auth: what anyone holding
a printed proof may ask). See ``central.certified`` for what a record holds."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Final

from central import certified
from central.access_log import ReadOutcome
from central.api.sessions import begin_read, end_read
from central.errors import BadRequest, NotFound
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

RECORDS: Final = "GET /v1/residents/{id_number}/records"
MAX_CODE = 16


def register(router: Router, platform: SandboxPlatform) -> None:
    def records(request: Request) -> Response:
        item_code = request.query("item_code")
        if not item_code:
            raise BadRequest("item_code_missing", "name the item: ?item_code=...")
        read = begin_read(platform, request, RECORDS, item_code)
        catalog = platform.catalog.catalog
        item = catalog.get(item_code) if item_code in catalog else None
        resident = platform.catalog.resident_by_id(request.params["id_number"])
        issued = None
        if item is not None and resident is not None:
            issued = certified.issue(item, resident, platform.clock(), platform.public_url)
        end_read(platform, read, ReadOutcome.FOUND if issued else ReadOutcome.NOT_FOUND)
        if issued is None:
            raise NotFound("record_not_found", "the platform holds no such record for this "
                                               "person")
        with platform.db.session() as conn:
            certified.remember(conn, issued, request.device.device_id)
        platform.counters.event("records_issued")
        signed = platform.signing_key.sign(issued.document)
        if platform.faults.plan.tamper_records:
            # a record changed on the way after it was signed: the terminal must refuse it
            signed = copy.deepcopy(signed)
            signed["rows"][0]["value"] += "（已改）"
        return Response.json(200, signed)

    def keys(request: Request) -> Response:
        return Response.json(200, {"keys": [platform.signing_key.public]})

    def verify(request: Request) -> Response:
        code = request.query("code") or ""
        answer = None
        if 0 < len(code) <= MAX_CODE:
            with platform.db.session() as conn:
                answer = certified.verification(conn, request.params["record_id"], code)
        if answer is None:
            raise NotFound("record_not_found", "no record with this id and code")
        return Response.json(200, answer)

    router.add("GET", "/v1/residents/{id_number}/records", records)
    router.add("GET", "/v1/keys", keys, auth=False)
    router.add("GET", "/v1/verify/{record_id}", verify, auth=False)
