"""The endpoints of ../shared/specs/platform-api.md, one module per resource."""

from __future__ import annotations

from typing import TYPE_CHECKING

from central.http.router import Router

if TYPE_CHECKING:
    from central.platform import SandboxPlatform


def register_all(router: Router, platform: SandboxPlatform) -> None:
    from central.api import (
        agents,
        appointments,
        assist,
        blobs,
        catalog,
        clerks,
        console,
        devices,
        eligible,
        face_checks,
        halls,
        records,
        residents,
        sandbox,
        sessions,
        submissions,
        system,
    )

    for module in (system, devices, catalog, blobs, submissions, sessions, residents, records,
                   face_checks, eligible, halls, appointments,
                   agents, clerks, assist, console, sandbox):
        module.register(router, platform)
