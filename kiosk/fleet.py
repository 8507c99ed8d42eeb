"""The fleet heartbeat: ``POST /v1/heartbeat`` on a schedule, and at once on paper trouble.

Operators watch terminals through it (``kiosk central fleet`` on the sandbox). The body
(platform-api.md) carries the app version, uptime, the clock skew the sync engine measured
from the platform's ``Date``, the queue (counts, ``oldest_pending_at`` and the ids of dead
items, so the platform can follow up with a citizen who has left; never their content), the
devices' states and the last successful sync.

Device workers own their devices; they *report* states into :class:`DeviceStates` (any
thread), and the heartbeat thread only reads that snapshot. A receipt printer turning
``paper_near_end`` or ``paper_out`` wakes the heartbeat at once. The A4 queue's state comes
from CUPS (``lpstat``, a subprocess, not a device handle) when the heartbeat is built.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from devices.printer.status import PrinterState
from devices.readers import ReaderHealth
from kiosk.documents.cups import QueueState, queue_state
from kiosk.heartbeat import build_heartbeat, refused_queue_summary
from offline_queue import Outbox, credentials
from offline_queue.errors import OutboxError, PlatformError
from offline_queue.events import Progress
from offline_queue.platform import HeartbeatReply, PlatformClient
from offline_queue.tls import ClientSettings

log = logging.getLogger(__name__)

#: printer states that raise a heartbeat at once (someone must bring paper)
URGENT_PRINTER_STATES = frozenset({PrinterState.PAPER_NEAR_END, PrinterState.PAPER_OUT})


class DeviceStates:
    """The last state each device worker reported; thread-safe. A card reader's state is a
    :class:`devices.readers.ReaderHealth`, the receipt printer's a
    :class:`devices.printer.PrinterState`; anything else (their values as text are taken)
    is a bug, refused with ValueError where it is reported."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idcard = ReaderHealth.ABSENT
        self._smartcard = ReaderHealth.ABSENT
        self._printer: dict[str, str] | None = None
        self._urgent: list[Callable[[], None]] = []

    def on_urgent(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback()`` when the printer turns paper-near-end or paper-out."""
        with self._lock:
            self._urgent.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._urgent:
                    self._urgent.remove(callback)
        return remove

    def report_idcard(self, state: ReaderHealth | str) -> None:
        health = ReaderHealth(state)
        with self._lock:
            self._idcard = health

    def report_smartcard(self, state: ReaderHealth | str) -> None:
        health = ReaderHealth(state)
        with self._lock:
            self._smartcard = health

    def report_printer(self, state: PrinterState | str, detail: str = "") -> None:
        """The receipt printer's state; urgent ones wake the heartbeat when they are new."""
        printer = PrinterState(state)
        with self._lock:
            before = self._printer["state"] if self._printer else None
            self._printer = {"state": printer.value, "detail": detail}
            callbacks = list(self._urgent) if printer in URGENT_PRINTER_STATES \
                and printer != before else []
        for callback in callbacks:
            callback()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            doc: dict[str, Any] = {"idcard": self._idcard.value,
                                   "smartcard": self._smartcard.value}
            if self._printer is not None:
                doc["printer"] = dict(self._printer)
        return doc


@dataclass(frozen=True)
class HeartbeatResult:
    ok: bool
    #: why not: ``not_enrolled``, ``unreachable`` (no answer at all), or what the platform's
    #: answer meant (``civic.answers.CallMeaning``: device_refused, rate_limited,
    #: unavailable, rejected...)
    error: str | None = None
    server_time: str | None = None
    at: float = 0.0


class HeartbeatSender:
    """Builds and sends heartbeats; ``start()`` runs them on the ``heartbeat`` thread.

    ``sync_progress`` is ``SyncEngine.progress`` when the app has an engine; without it the
    skew and last sync time are read from the outbox's records. ``client_settings``: how to
    reach the platform (``config.platform.client_settings()``); without it, the time-outs.
    ``on_reply`` receives each reply (on the heartbeat thread).
    """

    def __init__(self, outbox: Outbox, data_dir: Path, *, app_version: str,
                 devices: DeviceStates, a4_queue: str = "",
                 a4_state: Callable[[str], QueueState] = queue_state,
                 sync_progress: Callable[[], Progress] | None = None,
                 interval_s: float = 300.0, follow_platform_interval: bool = True,
                 connect_timeout_s: float = 5.0,
                 read_timeout_s: float = 20.0, transport: httpx.BaseTransport | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 client_settings: ClientSettings | None = None,
                 on_reply: Callable[[HeartbeatReply], None] | None = None) -> None:
        self.outbox, self.data_dir, self.app_version = outbox, Path(data_dir), app_version
        self.devices, self.a4_queue, self._a4_state = devices, a4_queue, a4_state
        self._sync_progress = sync_progress
        self.interval_s = interval_s
        self.follow_platform_interval = follow_platform_interval
        self._client_settings = ClientSettings.resolve(
            client_settings, connect_timeout_s=connect_timeout_s, read_timeout_s=read_timeout_s)
        self._transport, self._monotonic = transport, monotonic
        # what else the platform names in its reply (the card-photo threshold) goes there
        self._on_reply = on_reply
        self._started = monotonic()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._remove_urgent: Callable[[], None] | None = None
        self.last_result: HeartbeatResult | None = None

    # -- one heartbeat ---------------------------------------------------------------------
    def _sync_state(self) -> Progress:
        if self._sync_progress is not None:
            return self._sync_progress()
        store = self.outbox.store
        return Progress(clock_skew_s=store.get_meta("clock_skew_s"),
                        last_sync_at=store.get_meta("last_sync_at"))

    def body(self) -> dict[str, Any]:
        a4 = self._a4_state(self.a4_queue) if self.a4_queue else None
        return build_heartbeat(app_version=self.app_version,
                               uptime_s=self._monotonic() - self._started, outbox=self.outbox,
                               devices=self.devices.snapshot(), a4=a4, sync=self._sync_state())

    def send_once(self) -> HeartbeatResult:
        """Build and send one heartbeat; failures of the world are a result, not raised."""
        try:
            creds = credentials.load(self.data_dir)
        except OutboxError as exc:
            return self._done(HeartbeatResult(False, "not_enrolled"), str(exc))
        body = self.body()
        try:
            with PlatformClient.build(creds, self._client_settings, self._transport) as client:
                reply = client.heartbeat(body)
        except PlatformError as exc:
            return self._done(HeartbeatResult(False, _failure(exc)), str(exc))
        self._adopt(reply.config)
        if self._on_reply is not None:
            self._on_reply(reply)
        return self._done(HeartbeatResult(True, None, reply.server_time), None)

    def _adopt(self, config: Any) -> None:
        """The platform may ask for another cadence; within 30 s .. 1 h it is followed."""
        wanted = config.get("heartbeat_interval_s") if isinstance(config, dict) else None
        if self.follow_platform_interval and isinstance(wanted, int | float) \
                and 30 <= wanted <= 3600:
            self.interval_s = float(wanted)

    def _done(self, result: HeartbeatResult, detail: str | None) -> HeartbeatResult:
        result = HeartbeatResult(result.ok, result.error, result.server_time, time.time())
        self.last_result = result
        if result.ok:
            log.info("fleet.heartbeat_sent", extra={"ctx": {}})
        else:
            log.warning("fleet.heartbeat_failed", extra={"ctx": {"error": result.error,
                                                                  "detail": detail}})
        return result

    # -- the thread ------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("HeartbeatSender already started")
        self._stopping.clear()
        self._remove_urgent = self.devices.on_urgent(self.trigger)
        self._thread = threading.Thread(target=self._loop, name="heartbeat", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._remove_urgent is not None:
            self._remove_urgent()
            self._remove_urgent = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> HeartbeatSender:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def trigger(self) -> None:
        """Send now (paper trouble, a technician's test)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.send_once()
            except Exception:  # a bug: keep the traceback, keep the heartbeat alive
                log.exception("fleet.heartbeat_bug", extra={"ctx": {}})
            self._wake.wait(self.interval_s)
            self._wake.clear()


def report_refused_queue(data_dir: Path, refusal: Exception, *, app_version: str,
                         config: Any, transport: httpx.BaseTransport | None = None
                         ) -> HeartbeatResult:
    """One heartbeat from a terminal whose queue refused to open, so the fleet view shows
    it before anyone walks to the kiosk. Failures of the world are a result."""
    try:
        creds = credentials.load(data_dir)
    except OutboxError:
        return HeartbeatResult(False, "not_enrolled", at=time.time())
    body = {"app_version": app_version, "uptime_s": 0, "clock_skew_s": 0.0,
            "queue": refused_queue_summary(data_dir, refusal), "devices": {},
            "last_sync_at": None}
    try:
        with PlatformClient.build(creds, config.platform.client_settings(),
                                  transport) as client:
            client.heartbeat(body)
    except PlatformError as exc:
        log.warning("fleet.heartbeat_failed", extra={"ctx": {"error": _failure(exc),
                                                             "detail": str(exc)}})
        return HeartbeatResult(False, _failure(exc), at=time.time())
    return HeartbeatResult(True, at=time.time())


def _failure(exc: PlatformError) -> str:
    """``HeartbeatResult.error`` for a heartbeat the platform did not take: ``unreachable``
    when nothing answered (the detail names a refused certificate), else the meaning of
    its answer."""
    return "unreachable" if exc.status is None else exc.meaning.value
