"""The terminal's settings as declared: each section a frozen dataclass, each setting its
type, default, documentation (``doc``), allowed values and check. ``kiosk config show``
prints them; :mod:`kiosk.config.files` reads, validates and writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from offline_queue.tls import ClientSettings

CONFIG_FILE = "config.toml"
ENV_PREFIX = "KIOSK_"


def setting(default: Any, doc: str, *, choices: tuple[str, ...] = (),
            minimum: float | None = None, maximum: float | None = None,
            check: Callable[[Any], str | None] | None = None, secret: bool = False) -> Any:
    """Declare one setting: its default, its documentation and what values are allowed."""
    meta = {"doc": doc, "choices": choices, "minimum": minimum, "maximum": maximum,
            "check": check, "secret": secret}
    return field(default=default, metadata=meta)


def _device_url(value: str) -> str | None:
    if value == "" or value.startswith("/"):
        return None
    scheme = urlsplit(value).scheme
    if scheme in {"serial", "tcp", "file", "usb"}:
        return None
    return "empty, a device path, or a URL serial://, tcp://HOST:PORT, file:// or usb://"


def platform_url_problem(value: str) -> str | None:
    """The rule lives with the credentials it protects (the lower layer); the configuration
    checks platform.url with the very same function, imported when a URL is checked so that
    start-up does not pay for it."""
    from offline_queue.credentials import url_problem

    return url_problem(value)


# The rules of the connection settings live with the client they configure
# (offline_queue.tls), imported only when such a setting is given: most terminals set none.
def _proxy(value: str) -> str | None:
    from offline_queue.tls import proxy_problem

    return proxy_problem(value)


def _ca_bundle(value: str) -> str | None:
    from offline_queue.tls import ca_bundle_problem

    return ca_bundle_problem(value)


def _pins(value: str) -> str | None:
    from offline_queue.tls import pins_problem

    return pins_problem(value)


def _region_code(value: str) -> str | None:
    return None if len(value) == 6 and value.isdigit() else "six digits (GB/T 2260 code)"


@dataclass(frozen=True)
class TerminalConfig:
    kind: str = setting("kiosk", "what this terminal is: a street kiosk or a village agent's "
                        "laptop/tablet", choices=("kiosk", "agent"))
    site_region_code: str = setting("330122", "administrative region of the site (6 digits)",
                                    check=_region_code)
    site_name: str = setting("示范服务点", "name of the site, shown to technicians")
    language: str = setting("zh", "language a session starts in", choices=("zh", "en"))
    idle_warning_s: int = setting(60, "seconds without a touch, key or card event before the "
                                  "'are you still there?' warning", minimum=10, maximum=600)
    idle_countdown_s: int = setting(20, "seconds the warning counts down before the session "
                                    "is wiped", minimum=5, maximum=120)
    hide_cursor: bool = setting(False, "hide the mouse cursor in citizen mode (touch screens)")
    upgrade_check_s: int = setting(60, "seconds between looks at the installed version: once "
                                   "a newer one is installed, citizen mode exits on its "
                                   "attract screen and systemd starts the new one",
                                   minimum=1, maximum=3600)


@dataclass(frozen=True)
class DevicesConfig:
    idcard_port: str = setting("", "ID-card reader: serial device or URL; empty = auto-detect",
                               check=_device_url)
    smartcard_reader: str = setting("", "PC/SC reader name for social-security cards; "
                                    "empty = first reader found")
    receipt_printer: str = setting("", "receipt printer URL (serial://, tcp://HOST:9100, "
                                   "file:///dev/usb/lp0); empty = none", check=_device_url)
    receipt_profile: str = setting("generic-80", "receipt printer model profile")
    printer_check_s: int = setting(60, "seconds between receipt-printer status checks "
                                   "between jobs (paper running out reaches the fleet "
                                   "before a citizen finds it)", minimum=10, maximum=3600)
    a4_queue: str = setting("", "CUPS queue for A4 documents; empty = none")
    face_camera: str = setting("", "camera that faces the citizen for the face check (its Qt "
                               "Multimedia description or id); empty = the first camera that "
                               "is not the document camera")
    document_camera: str = setting("", "camera over the document tray (高拍仪) for "
                                   "photographed materials (its Qt Multimedia description "
                                   "or id); empty = the first camera")
    microphone: str = setting("", "ALSA capture device for video calls with a clerk (e.g. "
                              "default, hw:1,0); empty = a silent track (the clerk reads "
                              "the citizen's messages)")


@dataclass(frozen=True)
class PlatformConfig:
    url: str = setting("http://127.0.0.1:8765", "base URL of the central platform",
                       check=platform_url_problem)
    connect_timeout_s: float = setting(5.0, "seconds to wait for a connection",
                                       minimum=0.5, maximum=60)
    read_timeout_s: float = setting(20.0, "seconds to wait for an answer",
                                    minimum=1, maximum=300)
    sync_interval_s: int = setting(60, "seconds between background syncs",
                                   minimum=5, maximum=3600)
    heartbeat_interval_s: int = setting(300, "seconds between heartbeats",
                                        minimum=30, maximum=3600)
    catalog_refresh_s: int = setting(3600, "seconds between asks for a newer service "
                                     "catalog (each one is checked and indexed on its own "
                                     "thread, then swapped in whole)",
                                     minimum=60, maximum=86400)
    proxy: str = setting("", "HTTP proxy every platform request goes through, e.g. "
                         "http://10.1.2.3:3128 (HTTPS is tunnelled: the proxy sees the host, "
                         "never the token); empty = connect directly. HTTP_PROXY, HTTPS_PROXY "
                         "and ALL_PROXY in the environment are ignored", check=_proxy)
    ca_bundle: str = setting("", "PEM file (absolute path) of the CA certificates that may "
                             "sign the platform's certificate; empty = the system's trust "
                             "store. SSL_CERT_FILE and SSL_CERT_DIR are ignored",
                             check=_ca_bundle)
    pin_sha256: str = setting("", "base64 SHA-256 of the platform certificate's public key "
                              "(SubjectPublicKeyInfo, as HPKP's pin-sha256), several "
                              "comma-separated for a key rollover; a server with another key "
                              "is refused before anything is sent. Empty = no pinning. "
                              "`openssl x509 -pubkey -noout -in cert.pem | openssl pkey "
                              "-pubin -outform der | openssl dgst -sha256 -binary | base64`",
                              check=_pins)

    def client_settings(self, *, read_timeout_s: float | None = None) -> ClientSettings:
        """How every client to the platform connects, built here and nowhere else;
        ``read_timeout_s`` shortens the read time-out where a person is waiting."""
        from offline_queue.tls import ClientSettings, parse_pins

        return ClientSettings(
            connect_timeout_s=self.connect_timeout_s,
            read_timeout_s=self.read_timeout_s if read_timeout_s is None else read_timeout_s,
            proxy=self.proxy, ca_bundle=self.ca_bundle, pins=parse_pins(self.pin_sha256))


@dataclass(frozen=True)
class IdentityConfig:
    card_photo_decoder: str = setting("", "path of the ID-card reader vendor's licensed WLT "
                                      "photo decoder (a .so); empty = none, and face checks "
                                      "need the platform (offline they cannot be made here)")
    card_photo_function: str = setting("unpack", "the decoder's exported function")
    card_photo_signature: str = setting("unpack", "the function's C signature "
                                        "(docs/identity.md)",
                                        choices=("unpack", "wlt2bmp_buffer"))
    card_photo_output: str = setting("bmp", "what the decoder writes: a whole BMP or its "
                                     "pixel rows", choices=("bmp", "raw_rows"))
    face_threshold: float = setting(0.5833, "similarity at and above which a live face "
                                    "matches the card's photo (terminal-side check; the "
                                    "engine's measured threshold, docs/identity.md)",
                                    minimum=0.3, maximum=0.95)


@dataclass(frozen=True)
class QueueConfig:
    retention_days: int = setting(7, "days a delivered submission's data is kept before only "
                                  "a tombstone with the case number remains",
                                  minimum=0, maximum=365)


@dataclass(frozen=True)
class AgentConfig:
    inactivity_sign_out_s: int = setting(900, "agent mode: seconds without a touch, key or card "
                                         "event before the agent is signed out",
                                         minimum=60, maximum=8 * 3600)
    max_pin_failures: int = setting(5, "agent mode: wrong PINs in a row (online or offline) "
                                    "that lock sign-in on this terminal", minimum=1, maximum=20)
    lockout_minutes: int = setting(15, "agent mode: minutes sign-in stays locked after too "
                                   "many wrong PINs", minimum=1, maximum=24 * 60)


@dataclass(frozen=True)
class SecurityConfig:
    technician_pin_hash: str = setting("", "scrypt hash of the technician PIN "
                                       "(set it with `kiosk config pin`)", secret=True)


@dataclass(frozen=True)
class LoggingConfig:
    level: str = setting("INFO", "lowest level written to the log",
                         choices=("DEBUG", "INFO", "WARNING", "ERROR"))


@dataclass(frozen=True)
class Config:
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    queue: QueueConfig = field(default_factory=QueueConfig)
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    agent: AgentConfig = field(default_factory=AgentConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
