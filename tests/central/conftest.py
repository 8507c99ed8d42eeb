"""A live sandbox on a free port, and enrolled terminals that talk to it over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from central import admin
from central.platform import SandboxServer


@pytest.fixture(autouse=True)
def _clean_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sandbox" in request.fixturenames:
        server: SandboxServer = request.getfixturevalue("sandbox")
        server.platform.faults.update({}, reset=True)
        server.platform.processing_delay_s = 0.0


Enrol = Callable[..., httpx.Client]


@pytest.fixture
def enrol(sandbox: SandboxServer) -> Iterator[Enrol]:
    """enrol(kind) -> an httpx client carrying a fresh device's token."""
    clients: list[httpx.Client] = []

    def make(kind: str = "kiosk") -> httpx.Client:
        code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, kind)
        answer = httpx.post(f"{sandbox.url}/v1/devices/enroll", json={
            "enrollment_code": code, "kind": kind, "hostname": "test-host",
            "app_version": "0.1.0", "site": {"region_code": "330110", "name": "测试点"}})
        assert answer.status_code == 201, answer.text
        doc = answer.json()
        client = httpx.Client(base_url=sandbox.url, timeout=10,
                              headers={"Authorization": f"Bearer {doc['token']}"})
        client.device_id = doc["device_id"]  # type: ignore[attr-defined]
        client.enrolment = doc  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def control(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """A client for the sandbox's loopback-only controls."""
    with httpx.Client(base_url=sandbox.url, timeout=10) as client:
        yield client
