"""The sandbox's own controls: fault injection, counters, moving cases on. Loopback only,
and left out of the public OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from central.errors import BadRequest, Forbidden
from central.http.handler import is_loopback
from central.http.messages import Request, Response
from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def register(router: Router, platform: SandboxPlatform) -> None:
    def loopback_only(request: Request) -> None:
        if not is_loopback(request.client_host):
            raise Forbidden("loopback_only", "the sandbox controls answer only on loopback")

    def get_faults(request: Request) -> Response:
        loopback_only(request)
        return Response.json(200, platform.faults.plan.as_dict())

    def put_faults(request: Request) -> Response:
        """Replace the plan (PUT) — unnamed faults go back to off."""
        loopback_only(request)
        plan = platform.faults.update(request.json_object(), reset=True)
        return Response.json(200, plan.as_dict())

    def patch_faults(request: Request) -> Response:
        loopback_only(request)
        plan = platform.faults.update(request.json_object())
        return Response.json(200, plan.as_dict())

    def counters(request: Request) -> Response:
        loopback_only(request)
        snapshot = platform.counters.snapshot()
        with platform.db.session() as conn:
            snapshot["submissions"] = conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        return Response.json(200, snapshot)

    def reset_counters(request: Request) -> Response:
        loopback_only(request)
        platform.counters.reset()
        return Response.empty(204)

    def advance(request: Request) -> Response:
        loopback_only(request)
        doc = request.json_object() if request.body else {}
        steps = doc.get("steps", 1)
        target = doc.get("submission_id")
        if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 10:
            raise BadRequest("bad_request", "steps is a whole number from 1 to 10")
        if target is not None and not isinstance(target, str):
            raise BadRequest("bad_request", "submission_id is text")
        moved = sum(platform.workflow.advance(target) for _ in range(steps))
        return Response.json(200, {"moved": moved})

    def processing(request: Request) -> Response:
        loopback_only(request)
        delay = request.json_object().get("delay_s", 0)
        if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 60:
            raise BadRequest("bad_request", "delay_s is from 0 to 60")
        platform.processing_delay_s = float(delay)
        return Response.json(200, {"delay_s": platform.processing_delay_s})

    router.add("GET", "/v1/_sandbox/faults", get_faults, auth=False)
    router.add("PUT", "/v1/_sandbox/faults", put_faults, auth=False)
    router.add("PATCH", "/v1/_sandbox/faults", patch_faults, auth=False)
    router.add("GET", "/v1/_sandbox/counters", counters, auth=False)
    router.add("DELETE", "/v1/_sandbox/counters", reset_counters, auth=False)
    router.add("POST", "/v1/_sandbox/advance", advance, auth=False)
    router.add("PUT", "/v1/_sandbox/processing", processing, auth=False)
