"""Building agent mode, for the composition root (``kiosk run --mode agent``).

:func:`build_agent_mode` takes what the application already opened (configuration, data
dir, outbox, catalog, the GUI invoker, the outbox bridge, the card bridges) and builds the
rest: the agent services (``AgentAuth``, ``WorklistBook``, ``QueueDashboard``), a sync
engine that asks ``auth.request_headers`` per sender (so agent items go out on the agent's
session and are held while signed in offline), its worker (woken when a platform session
starts), the citizen flow with ``AgentOutbox`` (the agent recorded on every submission),
the visit and the window. :meth:`AgentMode.close` stops everything it started, in reverse.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.agent import AgentAuth, AgentOutbox, Platform, QueueDashboard, Vault, WorklistBook
from kiosk.agent.visit import AgentVisit
from kiosk.closing import close_in_reverse
from kiosk.config import Config
from kiosk.flows.session import CitizenFlow, FlowSettings
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.agent.window import AgentWindow
from kiosk.ui.bridges.invoker import GuiInvoker
from kiosk.ui.bridges.platform import OutboxBridge, PrefillBridge
from offline_queue import Outbox, credentials
from offline_queue.errors import OutboxError

if TYPE_CHECKING:
    from civic.catalog.model import Catalog
    from kiosk.flows.services import PrefillClient, PrinterService
    from kiosk.ui.bridges.idcard import IdCardBridge
    from kiosk.ui.bridges.printing import PrinterBridge
    from kiosk.ui.bridges.smartcard import SmartCardBridge
    from offline_queue.sync import SyncEngine
    from offline_queue.worker import SyncWorker



log = logging.getLogger(__name__)

@dataclass
class AgentMode:
    window: AgentWindow
    auth: AgentAuth
    book: WorklistBook
    dashboard: QueueDashboard
    flow: CitizenFlow
    visit: AgentVisit
    tasks: Tasks
    engine: SyncEngine | None = None
    worker: SyncWorker | None = None
    closers: list[Callable[[], object]] = field(default_factory=list)

    def close(self) -> None:
        close_in_reverse(self.closers, log, "agent.close_failed")


def build_agent_mode(*, data_dir: Path, config: Config, outbox: Outbox, catalog: Catalog,
                     invoker: GuiInvoker, outbox_bridge: OutboxBridge,
                     idcard: IdCardBridge | None = None,
                     smartcard: SmartCardBridge | None = None,
                     printer: PrinterService | None = None,
                     prefill: PrefillClient | None = None,
                     flow_settings: dict[str, Any] | None = None,
                     retry_cap_s: float | None = None, offline_probe_s: float = 15.0,
                     tick_ms: int = 1000,
                     has_camera: Callable[[], bool] | None = None) -> AgentMode:
    """Agent mode over the application's outbox and devices; show ``.window`` and call
    ``.close()`` on the way out. ``flow_settings`` overrides :class:`FlowSettings` fields
    (tests shorten ``online_wait_s``); ``retry_cap_s`` caps the sync back-off (the demo)."""
    closers: list[Callable[[], object]] = []
    p = config.platform
    platform = Platform(data_dir, client_settings=p.client_settings())
    vault = Vault(data_dir)
    auth = AgentAuth(platform, vault, config.agent)
    closers.append(lambda: auth.sign_out("closing"))
    book = WorklistBook(platform, vault, auth)
    try:
        creds = credentials.load(data_dir)
    except OutboxError:
        creds = None                    # sign-in will say: ask a technician to enrol
    engine = worker = None
    if creds is not None:
        from offline_queue.retry import RetryPolicy
        from offline_queue.sync import SyncEngine
        from offline_queue.worker import SyncWorker

        policy = RetryPolicy(base_s=min(1.0, retry_cap_s), cap_s=retry_cap_s) \
            if retry_cap_s else None
        engine = SyncEngine(outbox, creds, client_settings=p.client_settings(), policy=policy,
                            request_headers=auth.request_headers, credentials_dir=data_dir)
        closers.append(engine.close)
        worker = SyncWorker(engine, interval_s=p.sync_interval_s,
                            offline_probe_s=offline_probe_s)
        closers.append(auth.add_online_listener(worker.trigger))
        worker.start()
        closers.append(worker.stop)
    dashboard = QueueDashboard(outbox, auth, trigger=worker.trigger if worker else lambda: None,
                               progress=engine.progress if engine else None)
    closers.append(dashboard.close)
    if prefill is None:
        bridge = PrefillBridge(invoker, _platform_client(creds, config))
        closers.append(bridge.close)
        prefill = bridge
    if printer is None:
        printer = _printer(invoker, config)
        closers.append(printer.close)
    t = config.terminal
    template = (creds.tracking_url_template if creds is not None and "{submission_id}"
                in creds.tracking_url_template else f"{p.url}/v1/track/{{submission_id}}")
    settings = FlowSettings(
        site_name=t.site_name, language=t.language, channel="agent",
        terminal_id=creds.device_id if creds is not None else "",
        tracking_url_template=template,
        # the agent's own inactivity sign-out is the limit that matters here
        idle_warning_s=float(config.agent.inactivity_sign_out_s), idle_countdown_s=60.0,
        online_wait_s=3.0)
    settings = dataclasses.replace(settings, **(flow_settings or {}))
    flow = CitizenFlow(catalog, AgentOutbox(outbox, auth), prefill, printer,
                       settings=settings)
    visit = AgentVisit(auth, book, dashboard, flow)
    closers.append(visit.close)
    tasks = Tasks(invoker, "agent")
    closers.append(tasks.close)
    window = AgentWindow(visit, tasks, tick_ms=tick_ms, has_camera=has_camera)
    closers.append(lambda: _close_window(window))
    outbox_bridge.outbox_event.connect(window.outbox_event)
    closers.append(lambda: outbox_bridge.outbox_event.disconnect(window.outbox_event))
    for bridge_ in (idcard, smartcard):
        if bridge_ is not None:
            bridge_.placed.connect(window.card_placed)
            bridge_.failed.connect(window.card_failed)
            closers.append(_card_disconnector(bridge_, window))
    return AgentMode(window, auth, book, dashboard, flow, visit, tasks, engine, worker,
                     closers)


def _platform_client(creds: Any, config: Config) -> Any:
    if creds is None:
        return None
    from offline_queue.sync import build_client

    p = config.platform
    return build_client(creds, None, p.client_settings(read_timeout_s=min(p.read_timeout_s, 8.0)))


def _printer(invoker: GuiInvoker, config: Config) -> PrinterBridge:
    """The receipt printer of the agent's kit, if configured (a portable one); without it
    the receipt is shown on screen only."""
    from devices.printer import ReceiptPrinter, get_profile, transport_for
    from kiosk.ui.bridges.printing import PrinterBridge

    d = config.devices
    profile = get_profile(d.receipt_profile)
    url = d.receipt_printer
    printer = ReceiptPrinter(lambda: transport_for(url), profile) if url else None
    return PrinterBridge(invoker, printer, profile, a4_queue=d.a4_queue)


def _card_disconnector(bridge: IdCardBridge | SmartCardBridge,
                       window: AgentWindow) -> Callable[[], None]:
    def disconnect() -> None:
        bridge.placed.disconnect(window.card_placed)
        bridge.failed.disconnect(window.card_failed)
    return disconnect


def _close_window(window: AgentWindow) -> None:
    window.shutdown()
    window.setProperty("closing_allowed", True)
    window.close()
    window.deleteLater()
