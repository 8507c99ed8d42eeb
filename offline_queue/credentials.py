"""The terminal's platform credentials: enrolment and owner-only storage in the data dir.

What enrolment checked is checked again whenever the file is loaded (:func:`unusable`): the
file can be edited, and a platform URL turned into plain ``http://`` to a remote host would
otherwise carry the device token in clear text.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from offline_queue.errors import KeyPermissionError, NotEnrolledError, OutboxError
from offline_queue.files import write_durably

if TYPE_CHECKING:
    import httpx

    from offline_queue.tls import ClientSettings

log = logging.getLogger(__name__)

FILE_NAME = "credentials.json"
KINDS = ("kiosk", "agent")
#: a bearer token goes into a header as it is: printable ASCII, no spaces (RFC 6750 b64token
#: is stricter; this is what a header can carry without mangling the request)
_TOKEN = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class Credentials:
    platform_url: str
    device_id: str
    token: str
    tracking_url_template: str
    kind: str

    def __repr__(self) -> str:  # the token is a secret: never in logs or tracebacks
        return f"Credentials(platform_url={self.platform_url!r}, device_id={self.device_id!r})"


def token_fingerprint(creds: Credentials) -> str:
    """Names a token without revealing it: a queue paused by a refused token remembers this,
    so that new credentials (a re-enrolment) are recognised as new."""
    return hashlib.sha256(creds.token.encode()).hexdigest()[:16]


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


def unusable(creds: Credentials) -> str | None:
    """What makes ``creds`` unusable, or None: the URL rule, a device id, a token a header
    can carry, a known kind. Never quotes the token."""
    url = url_problem(creds.platform_url)
    if url:
        return f"platform_url {creds.platform_url!r}: {url}"
    if not creds.device_id.strip():
        return "device_id is empty"
    if not _TOKEN.fullmatch(creds.token):
        return "token is empty or not one word of printable ASCII"
    if creds.kind not in KINDS:
        return f"kind {creds.kind!r} is not one of {', '.join(KINDS)}"
    return None


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
        doc = json.loads(path.read_text(encoding="utf-8"))
        values = {k: doc[k] for k in Credentials.__dataclass_fields__}
    except OSError as exc:
        raise NotEnrolledError(f"{path} cannot be read: {exc.strerror}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise NotEnrolledError(f"{path} is damaged; enrol again") from exc
    not_text = sorted(k for k, v in values.items() if not isinstance(v, str))
    if not_text:  # str(None) would be a token "None"
        raise NotEnrolledError(f"{path} is damaged ({', '.join(not_text)} not text); "
                               "enrol again")
    creds = Credentials(**values)
    why = unusable(creds)
    if why:
        raise NotEnrolledError(f"{path} cannot be used: {why}")
    return creds


def enroll(data_dir: Path, platform_url: str, code: str, kind: str, *, hostname: str,
           app_version: str, site: dict[str, Any],
           transport: httpx.BaseTransport | None = None, connect_timeout_s: float = 5.0,
           read_timeout_s: float = 20.0,
           client_settings: ClientSettings | None = None) -> Credentials:
    """Exchange a one-time enrolment code for a device token and store it (owner-only).

    The connection is made as ``client_settings`` say (proxy, trust store, pins); without
    them, directly with the given time-outs."""
    # Imported here: the configuration imports this module for url_problem, and the kiosk's
    # start-up should not pay for an HTTP client it needs only when enrolling.
    import httpx

    from offline_queue.tls import ClientSettings, connect_problem, http_client

    problem = url_problem(platform_url)
    if problem:
        raise OutboxError(f"refusing platform URL {platform_url}: {problem}")
    base = platform_url.rstrip("/")
    settings = ClientSettings.resolve(client_settings, connect_timeout_s=connect_timeout_s,
                                      read_timeout_s=read_timeout_s)
    try:
        with http_client(settings, transport) as client:
            answer = client.post(f"{base}/v1/devices/enroll", json={
                "enrollment_code": code, "kind": kind, "hostname": hostname,
                "app_version": app_version, "site": site})
    except httpx.HTTPError as exc:
        certificate = connect_problem(exc)
        if certificate:     # nothing was sent: the code is still good
            raise OutboxError(f"enrolment with {base} stopped: {certificate}") from exc
        raise OutboxError(f"cannot reach the platform at {base} ({type(exc).__name__}); check "
                          "the network and the URL") from exc
    if answer.status_code == 403:
        raise OutboxError("the platform refused the enrolment code (unknown or already used); "
                          "ask the platform's operators for a new one")
    if answer.status_code != 201:
        raise OutboxError(f"enrolment failed: the platform answered {answer.status_code}")
    try:
        doc = answer.json()
        creds = Credentials(platform_url=base, device_id=str(doc["device_id"]),
                            token=str(doc["token"]),
                            tracking_url_template=str(doc.get("tracking_url_template", "")),
                            kind=str(doc.get("kind", kind)))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutboxError("enrolment failed: the platform's answer is not a device "
                          "token") from exc
    why = unusable(creds)
    if why:     # stored, it would be refused at every load: refuse it now
        raise OutboxError(f"enrolment failed: the platform's answer cannot be used: {why}")
    save(data_dir, creds)
    return creds


class CredentialsFile:
    """Notices credentials written in ``data_dir`` since it last looked: a re-enrolment
    (``kiosk enroll``, the technician console) while the application runs."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._seen = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = (self.data_dir / FILE_NAME).stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def changed(self) -> Credentials | None:
        """The credentials, when the file changed since the last look and they load; None
        otherwise (a half-edited or removed file leaves the caller with what works)."""
        stamp = self._stamp()
        if stamp == self._seen:
            return None
        self._seen = stamp
        try:
            return load(self.data_dir)
        except OutboxError as exc:
            log.warning("outbox.credentials_unusable", extra={"ctx": {"error": str(exc)}})
            return None
