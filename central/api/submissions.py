"""Submissions (single and batch), their status, the public tracking page, the changes feed."""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any

from central.auth import agent_of
from central.clock import rfc3339
from central.errors import BadRequest, Forbidden, NotFound, Problem
from central.http.messages import Request, Response, dump
from central.http.router import Router
from central.submissions import Answer
from civic.submission import is_uuid

if TYPE_CHECKING:
    from central.auth import Device
    from central.platform import SandboxPlatform

MAX_BATCH = 100
STATUS_FIELDS = ("submission_id", "case_number", "status", "updated_at", "message")


# A cursor's number is a change's row id (0 before the first): a SQLite integer, in ASCII.
_CURSOR = re.compile(r"c1:(0|[1-9][0-9]{0,18})")
_LIMIT = re.compile(r"[1-9][0-9]{0,3}")
MAX_ROW_ID = 2**63 - 1
MAX_LIMIT = 1000


def encode_cursor(change_id: int) -> str:
    return base64.urlsafe_b64encode(f"c1:{change_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The change id a cursor stands for; 400 bad_cursor for anything the platform did not
    issue (SQLite cannot even bind an integer past 2**63 - 1, which was a 500)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (ValueError, binascii.Error):
        raw = ""
    match = _CURSOR.fullmatch(raw)
    number = int(match.group(1)) if match else -1
    # Issued cursors round-trip: this refuses padding, junk characters and other spellings.
    if not 0 <= number <= MAX_ROW_ID or encode_cursor(number) != cursor:
        raise BadRequest("bad_cursor", "this cursor was not issued by the platform")
    return number


def decode_limit(text: str | None) -> int:
    """The page size: ASCII digits from 1 to 1000 (``str.isdigit`` also takes "²")."""
    if text is None:
        return 100
    if not _LIMIT.fullmatch(text) or int(text) > MAX_LIMIT:
        raise BadRequest("bad_limit", f"limit is a whole number from 1 to {MAX_LIMIT}")
    return int(text)


#: what the tracking page says of an application the platform holds no case for
TRACKING_MESSAGES = {
    "rejected_on_receipt": "申请内容未通过校验，请到自助终端或服务大厅重新提交 / The "
                           "application was not accepted as sent; please submit it again at "
                           "a terminal or the service hall",
    "damaged_on_terminal": "终端上的申请记录已损坏，无法送达，请到自助终端或服务大厅重新申请 / "
                           "The terminal can no longer read this application, so it will not "
                           "arrive; please apply again at a terminal or the service hall",
    "not_yet_received": "终端尚未送达，联网后将自动发送 / The terminal has not delivered it "
                        "yet; it is sent automatically once the terminal is online",
}


def _tracked(submission_id: str, status: str, updated_at: str | None) -> Response:
    return Response.json(200, {"submission_id": submission_id, "case_number": None,
                               "status": status, "updated_at": updated_at,
                               "message": TRACKING_MESSAGES[status]})


def register(router: Router, platform: SandboxPlatform) -> None:
    def signed_in_agent(request: Request) -> str | None:
        device: Device = request.device
        if device.kind != "agent":
            return None
        with platform.db.session() as conn:
            agent = agent_of(conn, request, device, rfc3339(platform.clock()), required=False)
        return agent.agent_id if agent else None

    def answer(result: Answer | Problem) -> tuple[int, dict[str, Any], dict[str, str]]:
        if isinstance(result, Problem):
            return result.status, result.body(), dict(result.headers)
        if result.replayed:
            platform.counters.event("submissions_replayed")
            return result.status, result.body, {"Idempotent-Replayed": "true"}
        return result.status, result.body, {}

    def post_submission(request: Request) -> Response:
        body = request.json()
        results = platform.desk.submit_many(
            request.device, [(request.header("idempotency-key"), body)],
            signed_in_agent(request))
        status, doc, headers = answer(results[0])
        if status >= 400:
            return Response(status, dump(doc), "application/problem+json", headers)
        return Response.json(status, doc, headers)

    def post_batch(request: Request) -> Response:
        if platform.faults.plan.batch_disabled:
            raise NotFound("not_found", "this platform does not offer batch submission")
        doc = request.json_object()
        items = doc.get("submissions")
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            raise BadRequest("bad_batch", f"submissions must be a list of 1 to {MAX_BATCH}")
        keys = [item.get("submission_id") if isinstance(item, dict)
                and isinstance(item.get("submission_id"), str) else None for item in items]
        outcomes = platform.desk.submit_many(request.device, list(zip(keys, items, strict=True)),
                                             signed_in_agent(request))
        results = []
        for key, outcome in zip(keys, outcomes, strict=True):
            status, body, headers = answer(outcome)
            # "replayed" extends the spec's element: the batch's answer to Idempotent-Replayed.
            results.append({"submission_id": key, "status": status, "body": body,
                            "replayed": "Idempotent-Replayed" in headers})
        return Response.json(200, {"results": results})

    def get_submission(request: Request) -> Response:
        submission_id = request.params["submission_id"]
        with platform.db.session() as conn:
            row = conn.execute("SELECT * FROM submissions WHERE submission_id = ?",
                               (submission_id,)).fetchone()
        if row is None:
            raise NotFound("submission_not_found", "no submission with this id")
        if row["device_id"] != request.device.device_id:
            agent_id = signed_in_agent(request)
            if agent_id is None or agent_id != row["agent_id"]:
                raise Forbidden("not_yours", "only the terminal that sent a submission (or its "
                                             "agent) may read it")
        return Response.json(200, {key: row[key] for key in STATUS_FIELDS})

    def track(request: Request) -> Response:
        submission_id = request.params["submission_id"]
        if not is_uuid(submission_id):
            raise NotFound("submission_not_found", "not a submission id")
        with platform.db.session() as conn:
            row = conn.execute("SELECT * FROM submissions WHERE submission_id = ?",
                               (submission_id,)).fetchone()
            rejected = conn.execute("SELECT rejected_at FROM rejected WHERE submission_id = ?",
                                    (submission_id,)).fetchone()
            damaged = conn.execute("SELECT reported_at FROM damaged WHERE submission_id = ?",
                                   (submission_id,)).fetchone()
        # What the platform received outranks what a terminal says it lost.
        if row is not None:
            return Response.json(200, {key: row[key] for key in STATUS_FIELDS})
        if rejected is not None:
            return _tracked(submission_id, "rejected_on_receipt", rejected["rejected_at"])
        if damaged is not None:
            return _tracked(submission_id, "damaged_on_terminal", damaged["reported_at"])
        return _tracked(submission_id, "not_yet_received", None)

    def changes(request: Request) -> Response:
        after_raw = request.query("after")
        after = decode_cursor(after_raw) if after_raw else 0
        limit = decode_limit(request.query("limit") or None)
        with platform.db.session() as conn:
            rows = conn.execute(
                "SELECT * FROM changes WHERE device_id = ? AND id > ? ORDER BY id LIMIT ?",
                (request.device.device_id, after, limit)).fetchall()
        items = [{"cursor": encode_cursor(r["id"]), "submission_id": r["submission_id"],
                  "case_number": r["case_number"], "status": r["status"],
                  "message": r["message"], "at": r["at"]} for r in rows]
        next_cursor = items[-1]["cursor"] if items else encode_cursor(after)
        return Response.json(200, {"changes": items, "next": next_cursor})

    router.add("POST", "/v1/submissions", post_submission)
    router.add("POST", "/v1/submissions:batch", post_batch)
    router.add("GET", "/v1/submissions/{submission_id}", get_submission)
    router.add("GET", "/v1/track/{submission_id}", track, auth=False)
    router.add("GET", "/v1/changes", changes)
