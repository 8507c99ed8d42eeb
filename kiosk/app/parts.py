"""The parts every mode builds the same way, written once: the sync engine and its worker,
the platform client for prefill, the receipt printer, the tracking link, closing a window.

The composition roots (:mod:`kiosk.app.citizen`, :mod:`kiosk.app.agent`,
:mod:`kiosk.app.technician`) call these; nothing here keeps state. Imported after the first
frame (it loads httpx and the printer driver).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from devices.printer import PrinterProfile, ReceiptPrinter, get_profile, transport_for
from kiosk.config import Config
from kiosk.ui.bridges.invoker import GuiInvoker
from kiosk.ui.bridges.printing import PrinterBridge
from offline_queue import Outbox
from offline_queue.credentials import Credentials
from offline_queue.platform import PlatformClient
from offline_queue.retry import RetryPolicy
from offline_queue.senders import RequestHeaders
from offline_queue.sync import SyncEngine
from offline_queue.worker import SyncWorker

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

#: a citizen waits for the prefill answer: its read time-out is at most this
PREFILL_READ_TIMEOUT_S = 8.0


def tracking_url_template(creds: Credentials | None, platform_url: str) -> str:
    """The receipt's tracking link: the platform's own template from enrolment, else the
    platform's ``/v1/track`` page."""
    if creds is not None and "{submission_id}" in creds.tracking_url_template:
        return creds.tracking_url_template
    return f"{platform_url}/v1/track/{{submission_id}}"


def prefill_client(creds: Credentials | None, config: Config) -> PlatformClient | None:
    """The platform client prefill asks with (a short read time-out: a citizen is waiting),
    or None when the terminal is not enrolled."""
    if creds is None:
        return None
    p = config.platform
    return PlatformClient.build(creds, p.client_settings(
        read_timeout_s=min(p.read_timeout_s, PREFILL_READ_TIMEOUT_S)))


def receipt_printer(config: Config, url: str | None = None
                    ) -> tuple[ReceiptPrinter | None, PrinterProfile]:
    """The configured receipt printer (``url`` overrides the port: the demo's emulator) and
    its profile; no printer without a port (the receipt is shown on screen only)."""
    d = config.devices
    url = url or d.receipt_printer
    profile = get_profile(d.receipt_profile)
    printer = ReceiptPrinter(lambda: transport_for(url), profile) if url else None
    return printer, profile


def printer_bridge(invoker: GuiInvoker, config: Config, *, url: str | None = None,
                   a4_out_dir: Path | None = None) -> PrinterBridge:
    printer, profile = receipt_printer(config, url)
    return PrinterBridge(invoker, printer, profile, a4_queue=config.devices.a4_queue,
                         a4_out_dir=a4_out_dir)


def start_sync(outbox: Outbox, creds: Credentials, config: Config, data_dir: Path, *,
               closers: list[Callable[[], object]], retry_cap_s: float | None = None,
               offline_probe_s: float = 15.0,
               request_headers: RequestHeaders | None = None
               ) -> tuple[SyncEngine, SyncWorker]:
    """The sync engine over ``outbox`` and its worker thread, started; their stops are
    appended to ``closers``. ``retry_cap_s`` caps the back-off (the demo); agent mode asks
    ``request_headers`` per sender (its items go out on the agent's session)."""
    p = config.platform
    policy = RetryPolicy(base_s=min(1.0, retry_cap_s), cap_s=retry_cap_s) \
        if retry_cap_s else None
    engine = SyncEngine(outbox, creds, client_settings=p.client_settings(), policy=policy,
                        request_headers=request_headers, credentials_dir=data_dir)
    closers.append(engine.close)
    worker = SyncWorker(engine, interval_s=p.sync_interval_s, offline_probe_s=offline_probe_s)
    worker.start()
    closers.append(worker.stop)
    return engine, worker


def close_window(window: QWidget) -> None:
    """Close a mode's window for good: past the lockdown's refusal, then deleted."""
    shutdown = getattr(window, "shutdown", None)
    if shutdown is not None:
        shutdown()
    window.setProperty("closing_allowed", True)
    window.close()
    window.deleteLater()
