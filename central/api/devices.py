"""Enrolment and heartbeats."""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING, Any

from central.auth import new_token, normalise_code, token_hash
from central.clock import rfc3339
from central.db import write
from central.errors import BadRequest, Forbidden
from central.http.messages import Request, Response, dump
from central.http.router import Router
from civic.devices import PrinterState, ReaderHealth

if TYPE_CHECKING:
    from central.platform import SandboxPlatform

DEVICE_STATES = tuple(ReaderHealth)
PRINTER_STATES = tuple(PrinterState)
#: submission ids as terminals write them (str(uuid.UUID)); other spellings of one id would
#: escape the tracking page's lookup
CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_DAMAGED_IDS = 1000


def _text(doc: dict[str, Any], key: str, *, required: bool = True, limit: int = 200) -> str:
    value = doc.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise BadRequest("bad_request", f"{key} must be text of at most {limit} characters")
    return value


def register(router: Router, platform: SandboxPlatform) -> None:
    def enroll(request: Request) -> Response:
        doc = request.json_object()
        code = normalise_code(_text(doc, "enrollment_code", limit=20))
        kind = doc.get("kind")
        if kind not in ("kiosk", "agent"):
            raise BadRequest("bad_request", "kind must be kiosk or agent")
        hostname = _text(doc, "hostname", required=False)
        app_version = _text(doc, "app_version", required=False)
        site = doc.get("site") or {}
        if not isinstance(site, dict):
            raise BadRequest("bad_request", "site must be an object")
        region = site.get("region_code") or "330000"
        if not isinstance(region, str) or not (len(region) == 6 and region.isdigit()):
            raise BadRequest("bad_request", "site.region_code must be six digits")
        site_name = _text(site, "name", required=False)
        now = rfc3339(platform.clock())
        device_id = f"{kind}-{uuid.uuid4().hex[:12]}"
        token = new_token()
        with platform.db.session() as conn, write(conn):
            row = conn.execute("SELECT kind, used_at FROM enrollment_codes WHERE code = ?",
                               (code,)).fetchone()
            if row is None or row["used_at"] is not None or row["kind"] not in (None, kind):
                raise Forbidden("enrollment_refused", "this enrolment code is unknown, already "
                                "used, or for another kind of terminal; ask for a new one")
            conn.execute("UPDATE enrollment_codes SET used_at = ?, used_by = ? WHERE code = ?",
                         (now, device_id, code))
            conn.execute("INSERT INTO devices (device_id, kind, token_hash, hostname, "
                         "app_version, region_code, site_name, enrolled_at) "
                         "VALUES (?,?,?,?,?,?,?,?)",
                         (device_id, kind, token_hash(token), hostname, app_version, region,
                          site_name, now))
        platform.counters.event("devices_enrolled")
        return Response.json(201, {
            "device_id": device_id, "token": token, "kind": kind, "platform_time": now,
            "tracking_url_template": f"{platform.public_url}/v1/track/{{submission_id}}"})

    def heartbeat(request: Request) -> Response:
        doc = request.json_object()
        _check_heartbeat(doc)
        now = rfc3339(platform.clock())
        device_id = request.device.device_id
        damaged = doc["queue"].get("damaged_ids", [])
        with platform.db.session() as conn, write(conn):
            conn.execute("INSERT INTO heartbeats VALUES (?, ?, ?) ON CONFLICT(device_id) "
                         "DO UPDATE SET received_at = excluded.received_at, body = excluded.body",
                         (device_id, now, dump(doc)))
            # Kept after later heartbeats stop naming them (the terminal may purge what it
            # cannot read): the citizen's receipt must still lead to "apply again".
            conn.executemany("INSERT OR IGNORE INTO damaged VALUES (?, ?, ?)",
                             [(sid, device_id, now) for sid in damaged])
        # card_photo_threshold: the least score of a terminal's own comparison with the ID
        # card's photo that a face item's submission may carry (central.identity_rule).
        return Response.json(200, {"server_time": now, "config": {
            "heartbeat_interval_s": 300, "sync_interval_s": 60,
            "card_photo_threshold": platform.identity_rule.card_photo_threshold}})

    router.add("POST", "/v1/devices/enroll", enroll, auth=False)
    router.add("POST", "/v1/heartbeat", heartbeat)


def _check_heartbeat(doc: dict[str, Any]) -> None:
    _text(doc, "app_version")
    for key in ("uptime_s", "clock_skew_s"):
        value = doc.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRequest("bad_request", f"{key} must be a number")
    queue = doc.get("queue")
    if not isinstance(queue, dict):
        raise BadRequest("bad_request", "queue must be an object")
    for key in ("pending", "dead"):
        value = queue.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise BadRequest("bad_request", f"queue.{key} must be a count")
    if not isinstance(queue.get("dead_ids", []), list):
        raise BadRequest("bad_request", "queue.dead_ids must be a list")
    _check_damaged(queue)
    devices = doc.get("devices")
    if not isinstance(devices, dict):
        raise BadRequest("bad_request", "devices must be an object")
    for key in ("idcard", "smartcard"):
        if key in devices and devices[key] not in DEVICE_STATES:
            raise BadRequest("bad_request", f"devices.{key} must be one of "
                             + ", ".join(DEVICE_STATES))
    printer = devices.get("printer")
    if printer is not None and (not isinstance(printer, dict)
                                or printer.get("state") not in PRINTER_STATES):
        raise BadRequest("bad_request", "devices.printer.state must be one of "
                         + ", ".join(PRINTER_STATES))


def _check_damaged(queue: dict[str, Any]) -> None:
    """``damaged`` (a count) and ``damaged_ids`` (canonical UUIDs) are optional: older
    terminals do not send them."""
    count = queue.get("damaged", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise BadRequest("bad_request", "queue.damaged must be a count")
    ids = queue.get("damaged_ids", [])
    if not isinstance(ids, list) or len(ids) > MAX_DAMAGED_IDS:
        raise BadRequest("bad_request", f"queue.damaged_ids must be a list of at most "
                                        f"{MAX_DAMAGED_IDS} submission ids")
    if not all(isinstance(i, str) and CANONICAL_UUID.fullmatch(i) for i in ids):
        raise BadRequest("bad_request", "queue.damaged_ids must hold submission ids as "
                                        "lower-case UUIDs with hyphens")


def _damaged_count(beat: dict[str, Any] | None) -> int | None:
    """What the terminal's last heartbeat said it holds damaged; None when it did not say."""
    count = ((beat or {}).get("queue") or {}).get("damaged")
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def fleet(platform_db: Any) -> list[dict[str, Any]]:
    """Each terminal with its last heartbeat (for `kiosk central fleet`)."""
    with platform_db.session() as conn:
        rows = conn.execute(
            "SELECT d.device_id, d.kind, d.hostname, d.site_name, d.region_code, d.enrolled_at, "
            "d.revoked_at, h.received_at, h.body FROM devices d LEFT JOIN heartbeats h "
            "USING (device_id) ORDER BY d.enrolled_at").fetchall()
    beats = [json.loads(r["body"]) if r["body"] else None for r in rows]
    return [{"device_id": r["device_id"], "kind": r["kind"], "hostname": r["hostname"],
             "site": r["site_name"], "region_code": r["region_code"],
             "enrolled_at": r["enrolled_at"], "revoked": r["revoked_at"] is not None,
             "last_heartbeat_at": r["received_at"], "damaged": _damaged_count(beat),
             "heartbeat": beat} for r, beat in zip(rows, beats, strict=True)]
