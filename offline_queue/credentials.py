"""The terminal's platform credentials: enrolment and owner-only storage in the data dir."""

from __future__ import annotations

import ipaddress
import json
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from offline_queue.errors import KeyPermissionError, NotEnrolledError, OutboxError
from offline_queue.files import write_durably

if TYPE_CHECKING:
    import httpx

FILE_NAME = "credentials.json"


@dataclass(frozen=True)
class Credentials:
    platform_url: str
    device_id: str
    token: str
    tracking_url_template: str
    kind: str

    def __repr__(self) -> str:  # the token is a secret: never in logs or tracebacks
        return f"Credentials(platform_url={self.platform_url!r}, device_id={self.device_id!r})"


def url_problem(url: str) -> str | None:
    """HTTPS is required, except for a loopback host (the sandbox); None when acceptable."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname:
        host = parts.hostname
        try:
            if host == "localhost" or ipaddress.ip_address(host).is_loopback:
                return None
        except ValueError:
            pass
        return "plain http:// is only allowed for a loopback host; use https://"
    return "an https:// URL (http:// only for 127.0.0.1 or localhost)"


def save(data_dir: Path, creds: Credentials) -> None:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_durably(data_dir / FILE_NAME, json.dumps(asdict(creds)).encode())


def load(data_dir: Path) -> Credentials:
    path = data_dir / FILE_NAME
    if not path.exists():
        raise NotEnrolledError(f"no {FILE_NAME} in {data_dir}")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyPermissionError(f"{path} has permissions {mode:o}: the device token must be "
                                 f"owner-only; run `chmod 600 {path}`")
    try:
        doc = json.loads(path.read_text())
        return Credentials(**{k: str(doc[k]) for k in Credentials.__dataclass_fields__})
    except (ValueError, KeyError, TypeError) as exc:
        raise NotEnrolledError(f"{path} is damaged; enrol again") from exc


def enroll(data_dir: Path, platform_url: str, code: str, kind: str, *, hostname: str,
           app_version: str, site: dict[str, Any],
           transport: httpx.BaseTransport | None = None, connect_timeout_s: float = 5.0,
           read_timeout_s: float = 20.0) -> Credentials:
    """Exchange a one-time enrolment code for a device token and store it (owner-only)."""
    # Imported here: the configuration imports this module for url_problem, and the kiosk's
    # start-up should not pay for an HTTP client it needs only when enrolling.
    import httpx

    problem = url_problem(platform_url)
    if problem:
        raise OutboxError(f"refusing platform URL {platform_url}: {problem}")
    base = platform_url.rstrip("/")
    try:
        timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        with httpx.Client(transport=transport, timeout=timeout) as client:
            answer = client.post(f"{base}/v1/devices/enroll", json={
                "enrollment_code": code, "kind": kind, "hostname": hostname,
                "app_version": app_version, "site": site})
    except httpx.HTTPError as exc:
        raise OutboxError(f"cannot reach the platform at {base} ({type(exc).__name__}); check "
                          "the network and the URL") from exc
    if answer.status_code == 403:
        raise OutboxError("the platform refused the enrolment code (unknown or already used); "
                          "ask the platform's operators for a new one")
    if answer.status_code != 201:
        raise OutboxError(f"enrolment failed: the platform answered {answer.status_code}")
    doc = answer.json()
    creds = Credentials(platform_url=base, device_id=str(doc["device_id"]),
                        token=str(doc["token"]),
                        tracking_url_template=str(doc.get("tracking_url_template", "")),
                        kind=str(doc.get("kind", kind)))
    save(data_dir, creds)
    return creds
