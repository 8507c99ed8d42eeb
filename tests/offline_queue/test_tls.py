"""How the terminal reaches the platform: only where its configuration says, trusting only
what it says, and never handing the device token to anyone else.

Everything runs for real on 127.0.0.1: a throwaway CA and server certificate made here, a
small TLS server that records every byte and request head it receives, and a small CONNECT
proxy that records every connection. The terminal is the real ``kiosk`` command line (or
the real heartbeat and sync engine in this process).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
import selectors
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.conftest import run_kiosk

TOKEN = "device-token-that-must-stay-secret"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                   "http_proxy", "https_proxy", "all_proxy")
PIN_MESSAGE = "the platform's certificate does not match the pinned key"


# -- a throwaway PKI ------------------------------------------------------------------------
@dataclass(frozen=True)
class Pki:
    ca: Path            # the test CA's certificate (PEM): what ca_bundle points at
    cert: Path          # the server's certificate for 127.0.0.1, then the CA's
    key: Path
    pin: str            # base64 SHA-256 of the server certificate's SubjectPublicKeyInfo
    other_pin: str      # the same of a key the server does not have


def _spki_pin(key: ec.EllipticCurvePrivateKey) -> str:
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    directory = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = Pki(directory / "ca.pem", directory / "server.pem", directory / "server.key",
                _spki_pin(key), _spki_pin(ec.generate_private_key(ec.SECP256R1())))
    paths.ca.write_bytes(ca.public_bytes(pem))
    paths.cert.write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    paths.key.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


# -- a platform that records everything it receives --------------------------------------------
ANSWERS: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {
    ("GET", "/v1/changes"): (200, {"changes": [], "next": None}),
    ("GET", "/v1/health"): (200, {"status": "ok"}),
    ("POST", "/v1/heartbeat"): (200, {"server_time": "2030-01-01T00:00:00Z", "config": {}}),
    ("POST", "/v1/devices/enroll"): (201, {"device_id": "KIOSK-TLS-1", "token": TOKEN,
                                           "kind": "kiosk", "tracking_url_template": ""}),
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


class _Listener:
    """A loopback listener that serves each connection on its own thread; ``close()`` stops
    them all (the suite fails a test that leaves a thread running)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.1)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.accepted = 0
        self._open: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads.append(threading.Thread(target=self._accept, name="test-listener"))
        self._threads[0].start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            with self._lock:
                self.accepted += 1
                self._open.append(conn)
                thread = threading.Thread(target=self._serve_guarded, args=(conn,),
                                          name="test-connection")
                self._threads.append(thread)
            thread.start()

    def _serve_guarded(self, conn: socket.socket) -> None:
        try:
            self.serve(conn)
        except OSError:         # ssl.SSLError too: the client went away or refused us
            return
        finally:
            conn.close()

    def serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.append(sock)

    def settle(self) -> None:
        """Wait until every connection so far is served to its end (the client is done), so
        that what was received is all there is."""
        with self._lock:
            served = self._threads[1:]
        for thread in served:
            thread.join(5)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        for thread in self._threads:
            thread.join(5)


def _read_head(conn: socket.socket, received: bytearray) -> bytes | None:
    """Read up to the end of a request head; None when the peer closed first."""
    while b"\r\n\r\n" not in received:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        received += chunk
    return bytes(received[:received.index(b"\r\n\r\n") + 4])


class RecordingPlatform(_Listener):
    """HTTPS (or, with ``pki`` None, plain HTTP) that answers the few calls a terminal
    makes, recording each connection's received bytes and each request's head."""

    def __init__(self, pki: Pki | None, host: str = "127.0.0.1") -> None:
        self.context: ssl.SSLContext | None = None
        if pki is not None:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(pki.cert, pki.key)
        self.received: list[bytearray] = []
        self.requests: list[Request] = []
        super().__init__(host)

    @property
    def url(self) -> str:
        return f"{'https' if self.context else 'http'}://{self.host}:{self.port}"

    def serve(self, conn: socket.socket) -> None:
        received = bytearray()
        self.received.append(received)          # before the handshake: zero bytes so far
        if self.context is not None:
            conn = self.context.wrap_socket(conn, server_side=True)
            self.track(conn)
        head = _read_head(conn, received)
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip()
                   for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        length = int(headers.get("content-length", "0"))
        while len(received) < len(head) + length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
        path = target.split("?", 1)[0]
        self.requests.append(Request(method, path, headers))
        status, doc = ANSWERS.get((method, path), (404, {"code": "not_found"}))
        body = json.dumps(doc).encode()
        conn.sendall(f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                     + body)

    def bytes_received(self) -> int:
        return sum(len(r) for r in self.received)


class ConnectProxy(_Listener):
    """An HTTP proxy that only tunnels (CONNECT); it records the head of every request it
    gets, so a plain-HTTP request sent to it (with its Authorization header) is seen too."""

    def __init__(self) -> None:
        self.heads: list[str] = []
        super().__init__()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self, conn: socket.socket) -> None:
        received = bytearray()
        head = _read_head(conn, received)
        if head is None:
            return
        self.heads.append(head.decode("latin-1"))
        method, target, _ = head.decode("latin-1").split(" ", 2)
        if method != "CONNECT":
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=5)
        self.track(upstream)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with upstream, selectors.DefaultSelector() as sel:
            sel.register(conn, selectors.EVENT_READ, upstream)
            sel.register(upstream, selectors.EVENT_READ, conn)
            while True:
                for key, _ in sel.select(timeout=5):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)


@pytest.fixture
def platform(pki: Pki) -> Iterator[RecordingPlatform]:
    server = RecordingPlatform(pki)
    yield server
    server.close()


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    server = ConnectProxy()
    yield server
    server.close()


# -- a terminal -------------------------------------------------------------------------------
def enrol_by_hand(data_dir: Path, url: str, **fields: Any) -> None:
    """credentials.json as enrolment writes it (owner-only), pointing at ``url``."""
    doc = {"platform_url": url, "device_id": "KIOSK-TLS-1", "token": TOKEN,
           "tracking_url_template": "", "kind": "kiosk", **fields}
    path = data_dir / "credentials.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    path.chmod(0o600)


def configure(data_dir: Path, **platform: str) -> None:
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in platform.items())
    (data_dir / "config.toml").write_text(f"[platform]\nconnect_timeout_s = 2\n{lines}",
                                          encoding="utf-8")


def clean_env(**extra: str) -> dict[str, str]:
    """No proxy variable of the test runner's own (empty ones are ignored), then ``extra``."""
    return {**dict.fromkeys((*PROXY_VARIABLES, "NO_PROXY", "no_proxy"), ""), **extra}


def sync(data_dir: Path, **env: str) -> str:
    proc = run_kiosk("queue", "sync", data_dir=data_dir, env=clean_env(**env))
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc.stderr


def authorised(platform: RecordingPlatform) -> list[Request]:
    return [r for r in platform.requests if r.headers.get("authorization") == f"Bearer {TOKEN}"]


def non_loopback_address() -> str | None:
    """An IPv4 address of this machine that is not loopback (the route to TEST-NET-1)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


# -- 3. credentials are checked when they are loaded ---------------------------------------------
@pytest.mark.parametrize(("fields", "named"), [
    ({"platform_url": "http://192.0.2.7:8765"}, "plain http://"),
    ({"platform_url": "ftp://platform.example.cn"}, "https://"),
    ({"token": ""}, "token"),
    ({"token": None}, "token"),
    ({"token": "two words"}, "token"),
    ({"device_id": ""}, "device_id"),
    ({"kind": "bus"}, "kind"),
])
def test_loaded_credentials_are_checked(data_dir: Path, fields: dict[str, Any],
                                        named: str) -> None:
    """credentials.json is held to the rules enrolment applied: an edited platform URL (plain
    http to a remote host), an empty or null token, an empty device id or an unknown kind
    make it unusable, with the file and the field named."""
    from offline_queue import credentials
    from offline_queue.errors import NotEnrolledError

    enrol_by_hand(data_dir, "https://platform.example.cn", **fields)
    with pytest.raises(NotEnrolledError) as refused:
        credentials.load(data_dir)
    assert named in str(refused.value) and "credentials.json" in str(refused.value)
    assert TOKEN not in str(refused.value)


def test_valid_credentials_load(data_dir: Path) -> None:
    """The same checks accept what enrolment writes (https, or http to loopback)."""
    from offline_queue import credentials

    enrol_by_hand(data_dir, "http://127.0.0.1:8765")
    assert credentials.load(data_dir).device_id == "KIOSK-TLS-1"


def test_token_never_goes_over_plain_http_to_a_remote_host(data_dir: Path) -> None:
    """credentials.json edited to http://<this machine's LAN address>: `kiosk queue sync`
    refuses it (exit 3, naming the rule) and the listener there receives nothing."""
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to listen on")
    remote = RecordingPlatform(None, host=address)
    try:
        enrol_by_hand(data_dir, remote.url)
        proc = run_kiosk("queue", "sync", data_dir=data_dir, env=clean_env())
        remote.settle()
    finally:
        remote.close()
    assert remote.accepted == 0 and remote.requests == []
    assert proc.returncode == 3, proc.stderr
    assert "plain http://" in proc.stderr and "credentials.json" in proc.stderr


# -- 4a. proxy variables of the environment are ignored ------------------------------------------
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_proxy_variables_in_the_environment_are_ignored(
        data_dir: Path, pki: Pki, proxy: ConnectProxy, scheme: str) -> None:
    """With HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (either case) naming a listener, sync goes
    straight to the platform: the listener never sees a connection, let alone the token."""
    server = RecordingPlatform(pki if scheme == "https" else None)
    try:
        enrol_by_hand(data_dir, server.url)
        if scheme == "https":
            configure(data_dir, ca_bundle=str(pki.ca))
        sync(data_dir, **dict.fromkeys(PROXY_VARIABLES, proxy.url))
        server.settle()
    finally:
        server.close()
    proxy.settle()
    assert proxy.accepted == 0, proxy.heads
    assert [r.path for r in authorised(server)] == ["/v1/changes"]


def test_heartbeat_ignores_proxy_variables(data_dir: Path, pki: Pki, platform: RecordingPlatform,
                                           proxy: ConnectProxy,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The fleet heartbeat, built from the configuration, also goes straight to the platform."""
    from kiosk import config as cfg
    from kiosk.fleet import DeviceStates, HeartbeatSender
    from offline_queue import Outbox

    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    enrol_by_hand(data_dir, platform.url)
    configure(data_dir, ca_bundle=str(pki.ca))
    settings = cfg.load(data_dir).platform.client_settings()
    with Outbox(data_dir) as outbox:
        result = HeartbeatSender(outbox, data_dir, app_version="9.9", devices=DeviceStates(),
                                 client_settings=settings).send_once()
    assert result.ok, result
    platform.settle()
    proxy.settle()
    assert proxy.accepted == 0
    assert [r.path for r in authorised(platform)] == ["/v1/heartbeat"]


# -- 4b. a configured proxy is used -----------------------------------------------------------
def test_configured_proxy_carries_the_requests(data_dir: Path, pki: Pki,
                                               platform: RecordingPlatform,
                                               proxy: ConnectProxy) -> None:
    """platform.proxy: requests go through it as a CONNECT tunnel to the platform (the proxy
    sees the host, not the token), and TLS to the platform is still verified end to end."""
    enrol_by_hand(data_dir, platform.url)
    configure(data_dir, ca_bundle=str(pki.ca), proxy=proxy.url)
    sync(data_dir)
    proxy.settle()
    platform.settle()
    assert [h.split("\r\n")[0] for h in proxy.heads] == \
        [f"CONNECT 127.0.0.1:{platform.port} HTTP/1.1"]
    assert TOKEN not in "".join(proxy.heads)
    assert [r.path for r in authorised(platform)] == ["/v1/changes"]


# -- 4c. the trust store is the configured one ---------------------------------------------------
def test_ca_bundle_is_what_makes_the_platform_trusted(data_dir: Path, pki: Pki,
                                                      platform: RecordingPlatform) -> None:
    """Without platform.ca_bundle the test CA is unknown (the system's store does not have
    it): enrolment fails on the certificate, naming the setting, and sends nothing; with it,
    enrolment succeeds."""
    refused = run_kiosk("enroll", "--platform", platform.url, "--code", "CODE-1", "--kind",
                        "kiosk", data_dir=data_dir, env=clean_env())
    platform.settle()
    assert refused.returncode == 3, refused.stderr
    assert "certificate" in refused.stderr and "platform.ca_bundle" in refused.stderr
    assert platform.accepted >= 1 and platform.bytes_received() == 0
    configure(data_dir, ca_bundle=str(pki.ca))
    enrolled = run_kiosk("enroll", "--platform", platform.url, "--code", "CODE-1", "--kind",
                         "kiosk", data_dir=data_dir, env=clean_env())
    platform.settle()
    assert enrolled.returncode == 0, enrolled.stderr
    assert [r.path for r in platform.requests] == ["/v1/devices/enroll"]


# -- 4d. key pinning ----------------------------------------------------------------------------
def test_right_pin_connects(data_dir: Path, pki: Pki, platform: RecordingPlatform) -> None:
    """A pin_sha256 list holding the server's key (next to an old one) lets sync through."""
    enrol_by_hand(data_dir, platform.url)
    configure(data_dir, ca_bundle=str(pki.ca), pin_sha256=f"{pki.other_pin}, {pki.pin}")
    sync(data_dir)
    platform.settle()
    assert [r.path for r in authorised(platform)] == ["/v1/changes"]


def test_wrong_pin_sends_nothing_and_says_why(data_dir: Path, pki: Pki,
                                              platform: RecordingPlatform) -> None:
    """A certificate the CA vouches for but with another key (an intercepting proxy with a
    trusted CA): enrolment stops after the handshake with the pin message, and the server
    received not one byte of a request (no enrolment code, no token)."""
    configure(data_dir, ca_bundle=str(pki.ca), pin_sha256=pki.other_pin)
    proc = run_kiosk("enroll", "--platform", platform.url, "--code", "CODE-1", "--kind",
                     "kiosk", data_dir=data_dir, env=clean_env())
    platform.settle()
    assert proc.returncode == 3, proc.stderr
    assert PIN_MESSAGE in proc.stderr and "platform.pin_sha256" in proc.stderr
    assert platform.accepted >= 1 and platform.bytes_received() == 0
    assert platform.requests == []


def test_pin_is_checked_through_a_proxy_too(data_dir: Path, pki: Pki,
                                            platform: RecordingPlatform,
                                            proxy: ConnectProxy) -> None:
    """Through platform.proxy (TLS inside a CONNECT tunnel) a wrong pin stops the request
    the same way: the tunnel was made, the platform got no byte of a request."""
    configure(data_dir, ca_bundle=str(pki.ca), pin_sha256=pki.other_pin, proxy=proxy.url)
    proc = run_kiosk("enroll", "--platform", platform.url, "--code", "CODE-1", "--kind",
                     "kiosk", data_dir=data_dir, env=clean_env())
    proxy.settle()
    platform.settle()
    assert proc.returncode == 3 and PIN_MESSAGE in proc.stderr, proc.stderr
    assert len(proxy.heads) == 1 and proxy.heads[0].startswith("CONNECT ")
    assert platform.accepted >= 1 and platform.bytes_received() == 0


def test_wrong_pin_keeps_items_queued_and_names_the_cause(data_dir: Path, pki: Pki,
                                                          platform: RecordingPlatform) -> None:
    """The sync engine treats a pin mismatch as a platform it cannot reach (the item waits,
    nothing is lost), with the pin message as the item's and the run's error; no request
    byte, so no Authorization header, reached the server."""
    from kiosk import config as cfg
    from offline_queue import Outbox, credentials
    from offline_queue.sync import SyncEngine
    from tests.offline_queue.conftest import SIGNATURE, make_submission

    enrol_by_hand(data_dir, platform.url)
    configure(data_dir, ca_bundle=str(pki.ca), pin_sha256=pki.other_pin)
    settings = cfg.load(data_dir).platform.client_settings()
    with Outbox(data_dir) as outbox:
        sid = outbox.enqueue(make_submission(), [SIGNATURE])
        with SyncEngine(outbox, credentials.load(data_dir), client_settings=settings) as engine:
            report = engine.sync_once()
        item = outbox.get(sid)
    platform.settle()
    assert report.sent == 0 and report.stopped == "offline"
    assert item["state"] in ("pending", "retry_wait")
    assert PIN_MESSAGE in str(item["last_error"])
    assert any(PIN_MESSAGE in error for error in report.errors), report.errors
    assert platform.accepted >= 1 and platform.bytes_received() == 0


# -- 4e. the trust store of the environment is ignored --------------------------------------------
def test_ssl_cert_file_in_the_environment_is_not_trusted(data_dir: Path, pki: Pki,
                                                         platform: RecordingPlatform) -> None:
    """SSL_CERT_FILE / SSL_CERT_DIR naming the test CA do not make a terminal without
    platform.ca_bundle trust it: enrolment fails on the certificate and sends nothing."""
    proc = run_kiosk("enroll", "--platform", platform.url, "--code", "CODE-1", "--kind",
                     "kiosk", data_dir=data_dir,
                     env=clean_env(SSL_CERT_FILE=str(pki.ca), SSL_CERT_DIR=str(pki.ca.parent)))
    platform.settle()
    assert proc.returncode == 3, proc.stderr
    assert "certificate" in proc.stderr
    assert platform.bytes_received() == 0 and platform.requests == []
