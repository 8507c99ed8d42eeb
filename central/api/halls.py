"""The service halls with their live queues (``GET /v1/halls``) and their free slots
(``GET /v1/halls/{hall_id}/slots``): a device token is enough, nothing here is personal."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from central import appointments
from central.errors import BadRequest, NotFound
from central.halls import Hall
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> dt.date:
    """``YYYY-MM-DD`` (ASCII digits only), else ``400 bad_date``."""
    try:
        if _DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise BadRequest("bad_date", "date is a day as YYYY-MM-DD")


def hall_for_item(platform: SandboxPlatform, hall_id: str, item_code: str | None) -> Hall:
    """The hall, checked to handle the item when one is named; else 404 ``hall_not_found``,
    ``item_not_found`` or ``item_not_handled``."""
    hall = platform.ahead.halls.get(hall_id)
    if hall is None:
        raise NotFound("hall_not_found", "no service hall with this id")
    if item_code is not None:
        catalog = platform.catalog.catalog
        if item_code not in catalog:
            raise NotFound("item_not_found", "no such item in the current catalog")
        if not hall.handles(catalog.get(item_code).department):
            raise NotFound("item_not_handled", "this hall does not handle this item")
    return hall


def register(router: Router, platform: SandboxPlatform) -> None:
    def halls(request: Request) -> Response:
        item_code = request.query("item_code") or None
        catalog = platform.catalog.catalog
        if item_code is not None and item_code not in catalog:
            raise NotFound("item_not_found", "no such item in the current catalog")
        rows = platform.ahead.board(platform.ahead.halls_for(catalog, item_code),
                                    platform.clock(), platform.faults.hall_feed_lag)
        return Response.json(200, {"halls": rows})

    def slots(request: Request) -> Response:
        hall = hall_for_item(platform, request.params["hall_id"],
                             request.query("item_code") or None)
        now = platform.clock()
        asked = request.query("date")
        day = parse_day(asked) if asked else appointments.next_opening_day(hall, now)
        found = []
        if day is not None:
            with platform.db.session() as conn:
                found = appointments.slots(conn, hall, day, now)
        # "hall_id" and "date" extend the spec's answer: which day the slots are of.
        return Response.json(200, {"hall_id": hall.hall_id,
                                   "date": day.isoformat() if day else None,
                                   "slots": [slot.as_dict() for slot in found]})

    router.add("GET", "/v1/halls", halls)
    router.add("GET", "/v1/halls/{hall_id}/slots", slots)
