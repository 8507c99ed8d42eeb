"""How every client to the platform connects: time-outs, proxy, trust store, key pinning.

The terminal carries a device token (and, at enrolment, a one-time code), so the way to
the platform is taken from its configuration only, never from the environment: httpx's
``trust_env`` would send requests through ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` and
trust ``SSL_CERT_FILE``/``SSL_CERT_DIR``, which a login profile or a maintenance shell can
set without anyone deciding that the token may go there. :func:`http_client` builds every
client with ``trust_env=False``, a TLS context from :class:`ClientSettings` and the
configured proxy, if any.

Pinning (``pins``: SHA-256 digests of the server certificate's SubjectPublicKeyInfo, as
HPKP's ``pin-sha256``) is checked in the TLS socket's ``do_handshake``: after the handshake
has verified the chain and the host name and before the caller can write a byte, so a
mismatch closes the connection with nothing sent, not even the request line. httpcore's
sync backend builds its TLS socket with ``ssl_context.wrap_socket(sock, server_hostname=)``
(and ``wrap_bio`` for TLS through an HTTPS proxy); both create their objects from the
context's ``sslsocket_class``/``sslobject_class``, which is where the check lives.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import os
import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

PIN_MISMATCH = ("the platform's certificate does not match the pinned key: possible "
                "interception; check platform.pin_sha256")


@dataclass(frozen=True)
class ClientSettings:
    """What a platform client needs besides the credentials, built from ``config.platform``
    in one place (``kiosk.config.PlatformConfig.client_settings``).

    ``proxy``: "" = connect directly; ``ca_bundle``: "" = the system's trust store;
    ``pins``: empty = no pinning. ``read_timeout_s`` also bounds writing a request and
    waiting for a pooled connection.
    """

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    proxy: str = ""
    ca_bundle: str = ""
    pins: frozenset[bytes] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # The configuration explains these to a technician; reaching here is a bug.
        for timeout in (self.connect_timeout_s, self.read_timeout_s):
            if not (math.isfinite(timeout) and timeout > 0):
                raise ValueError(f"a time-out must be a positive number, not {timeout!r}")
        if any(len(pin) != hashlib.sha256().digest_size for pin in self.pins):
            raise ValueError("a pin is a SHA-256 digest (32 bytes)")

    @classmethod
    def resolve(cls, settings: ClientSettings | None, *, connect_timeout_s: float | None = None,
                read_timeout_s: float | None = None) -> ClientSettings:
        """``settings`` when given; else (callers written before it existed) settings with
        just these time-outs: direct, the system's trust store, no pinning."""
        if settings is not None:
            return settings
        defaults = cls()
        return cls(connect_timeout_s=defaults.connect_timeout_s if connect_timeout_s is None
                   else connect_timeout_s,
                   read_timeout_s=defaults.read_timeout_s if read_timeout_s is None
                   else read_timeout_s)


# -- the rules, also used by the configuration to explain a bad value -----------------------------
def parse_pins(text: str) -> frozenset[bytes]:
    """``"pinA=, pinB="`` (base64 SHA-256 digests; several for a key rollover) as digests;
    ValueError naming the first one that is not."""
    pins: set[bytes] = set()
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            digest = base64.b64decode(item, validate=True)
        except binascii.Error:
            digest = b""
        if len(digest) != hashlib.sha256().digest_size:
            raise ValueError(f"{item!r} is not a base64 SHA-256 digest (44 characters ending "
                             "in '=')")
        pins.add(digest)
    return frozenset(pins)


def pins_problem(text: str) -> str | None:
    """None when ``text`` is empty or a list of pins; else what is wrong with it."""
    try:
        parse_pins(text)
    except ValueError as exc:
        return (f"{exc}; give the base64 SHA-256 of the certificate's public key, several "
                "separated by commas, or nothing for no pinning")
    return None


def proxy_problem(url: str) -> str | None:
    """None when ``url`` is empty or an http(s) proxy URL; else what is wrong with it."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "empty (no proxy) or an http:// or https:// URL such as http://10.1.2.3:3128"
    if parts.path not in ("", "/") or parts.query:
        return "a proxy URL is scheme, host and port only, such as http://10.1.2.3:3128"
    return None


def ca_bundle_problem(path: str) -> str | None:
    """None when ``path`` is empty or a readable PEM file holding CA certificates."""
    if not path:
        return None
    if not os.path.isabs(path):
        return "an absolute path to a PEM file of CA certificates (or empty: the system's)"
    if not os.path.isfile(path):
        return "no such file; an absolute path to a PEM file of CA certificates"
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError) as exc:
        return f"not a PEM file of CA certificates ({getattr(exc, 'reason', None) or exc})"
    return None


# -- the TLS context ---------------------------------------------------------------------------
def spki_sha256(der_certificate: bytes) -> bytes:
    """SHA-256 of a DER certificate's SubjectPublicKeyInfo: what a pin names."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = x509.load_der_x509_certificate(der_certificate).public_key()
    return hashlib.sha256(key.public_bytes(Encoding.DER,
                                           PublicFormat.SubjectPublicKeyInfo)).digest()


class PinMismatchError(ssl.SSLCertVerificationError):
    """The chain verified, but the server's key is not one of the pins."""


def _check_pins(context: ssl.SSLContext, der_certificate: bytes | None) -> None:
    if not isinstance(context, PinnedContext) or not context.pins:
        return
    if der_certificate is None or spki_sha256(der_certificate) not in context.pins:
        raise PinMismatchError(PIN_MISMATCH)


class _PinnedSocket(ssl.SSLSocket):
    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        try:
            _check_pins(self.context, self.getpeercert(binary_form=True))
        except PinMismatchError:
            self.close()
            raise


class _PinnedObject(ssl.SSLObject):
    """The same check for TLS inside TLS (the platform through an https:// proxy)."""

    def do_handshake(self) -> None:
        super().do_handshake()
        _check_pins(self.context, self.getpeercert(binary_form=True))


class PinnedContext(ssl.SSLContext):
    """A client context whose connections refuse a server key that is not in ``pins``."""

    sslsocket_class = _PinnedSocket
    sslobject_class = _PinnedObject
    pins: frozenset[bytes] = frozenset()


def _load_system_store(context: ssl.SSLContext) -> None:
    # OpenSSL's built-in locations, not load_default_certs(): that (and the cafile/capath
    # of get_default_verify_paths) follows SSL_CERT_FILE/SSL_CERT_DIR from the environment.
    paths = ssl.get_default_verify_paths()
    if os.path.isfile(paths.openssl_cafile):     # Debian: ca-certificates' bundle
        capath = paths.openssl_capath if os.path.isdir(paths.openssl_capath) else None
        context.load_verify_locations(cafile=paths.openssl_cafile, capath=capath)
        return
    import certifi  # a system without a store: the Mozilla bundle httpx itself depends on

    context.load_verify_locations(cafile=certifi.where())


def ssl_context(settings: ClientSettings, *, pinned: bool = True) -> ssl.SSLContext:
    """Verify chain and host name against ``ca_bundle`` (or the system's store) and, when
    ``pinned`` and pins are set, the server's key. A proxy's own TLS is not pinned."""
    context = PinnedContext(ssl.PROTOCOL_TLS_CLIENT) if pinned and settings.pins \
        else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if isinstance(context, PinnedContext):
        context.pins = settings.pins
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.ca_bundle:
        context.load_verify_locations(cafile=settings.ca_bundle)
    else:
        _load_system_store(context)
    return context


def http_client(settings: ClientSettings, transport: httpx.BaseTransport | None = None,
                **kwargs: Any) -> httpx.Client:
    """An httpx client to the platform as ``settings`` say, and nothing from the
    environment. ``transport`` (tests' seam) replaces the connection altogether: no TLS
    context and no proxy are built for it. ``kwargs`` go to ``httpx.Client``."""
    import httpx

    timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
    if transport is not None:
        return httpx.Client(transport=transport, timeout=timeout, trust_env=False, **kwargs)
    proxy = None
    if settings.proxy:
        https = urlsplit(settings.proxy).scheme == "https"
        proxy = httpx.Proxy(settings.proxy,
                            ssl_context=ssl_context(settings, pinned=False) if https else None)
    return httpx.Client(verify=ssl_context(settings), proxy=proxy, timeout=timeout,
                        trust_env=False, **kwargs)


def connect_problem(exc: BaseException) -> str | None:
    """What a technician should read for a connection that failed on the platform's
    certificate (a pin mismatch, or a chain the trust store does not accept); None for any
    other failure. Looks through httpx's and httpcore's wrapping to the ssl error."""
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if isinstance(seen, PinMismatchError):
            return PIN_MISMATCH
        if isinstance(seen, ssl.SSLCertVerificationError):
            why = getattr(seen, "verify_message", None) or seen.strerror or str(seen)
            return (f"the platform's certificate cannot be verified ({why}): check "
                    "platform.ca_bundle and the terminal's clock")
        seen = seen.__cause__ or seen.__context__
    return None
