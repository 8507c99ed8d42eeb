"""Agent mode: the village agent's laptop or tablet (``kiosk run --mode agent``).

The shared parts come from :class:`~kiosk.app.terminal.TerminalApp` (outbox, card readers,
receipt printer, heartbeat); :func:`build_agent_mode` builds the rest over them: the agent
services (``AgentAuth``, ``WorklistBook``, ``QueueDashboard``), a sync engine that asks
``auth.request_headers`` per sender (so agent items go out on the agent's session and are
held while signed in offline), its worker (woken when a platform session starts), the
citizen flow with a :class:`~kiosk.agent.submission.VisitQueue` (the agent recorded on every
submission), the visit and the window. :meth:`AgentMode.close` stops everything it
started, in reverse.

An agent's first screen is the sign-in, which needs the outbox and the catalog, so
everything is opened before the window is shown; the agent's terminal is not a street
kiosk: no lockdown, a normal window, maximised.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.agent import AgentAuth, AgentOutbox, AgentPlatform, QueueDashboard, Vault, WorklistBook
from kiosk.agent.signin import SignOutReason
from kiosk.agent.submission import VisitQueue
from kiosk.agent.visit import AgentVisit, Page
from kiosk.app import parts
from kiosk.app.catalog_swap import CatalogSwap
from kiosk.app.terminal import TerminalApp
from kiosk.closing import close_in_reverse
from kiosk.config import Config
from kiosk.flows.ahead_service import PlatformAhead
from kiosk.flows.session import CitizenFlow, FlowSettings
from kiosk.ui.agent.tasks import Tasks
from kiosk.ui.agent.window import AgentWindow
from kiosk.ui.bridges.invoker import GuiInvoker
from kiosk.ui.bridges.platform import OutboxBridge, PrefillBridge
from offline_queue import Outbox, credentials
from offline_queue.errors import OutboxError
from offline_queue.sync import SyncEngine
from offline_queue.worker import SyncWorker

if TYPE_CHECKING:
    from civic.catalog.model import Catalog
    from kiosk.flows.services import PrefillClient, PrinterService
    from kiosk.ui.bridges.assist import AssistBridge
    from kiosk.ui.bridges.idcard import IdCardBridge
    from kiosk.ui.bridges.smartcard import SmartCardBridge
    from kiosk.ui.call_dock import CallDock

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
    platform = AgentPlatform(data_dir, client_settings=p.client_settings())
    vault = Vault(data_dir)
    auth = AgentAuth(platform, vault, config.agent)
    closers.append(lambda: auth.sign_out(SignOutReason.CLOSING))
    book = WorklistBook(platform, vault, auth)
    try:
        creds = credentials.load(data_dir)
    except OutboxError:
        creds = None                    # sign-in will say: ask a technician to enrol
    engine = worker = None
    if creds is not None:
        engine, worker = parts.start_sync(outbox, creds, config, data_dir, closers=closers,
                                          retry_cap_s=retry_cap_s,
                                          offline_probe_s=offline_probe_s,
                                          request_headers=auth.request_headers)
        closers.append(auth.add_online_listener(worker.trigger))
    dashboard = QueueDashboard(outbox, auth, trigger=worker.trigger if worker else lambda: None,
                               progress=engine.progress if engine else None)
    closers.append(dashboard.close)
    ahead = None
    if prefill is None:
        # the agent's sessions are opened with the signed-in agent's token (platform API)
        bridge = PrefillBridge(invoker, parts.prefill_client(creds, config),
                               agent_token=auth.token)
        closers.append(bridge.close)
        prefill = bridge
        # "For you" and booking for the resident at the door, on the same worker (issue 19)
        ahead = PlatformAhead(bridge, agent_token=auth.token)
    if printer is None:                 # the portable printer of the agent's kit, if any
        printer = parts.printer_bridge(invoker, config)
        closers.append(printer.close)
    t = config.terminal
    template = parts.tracking_url_template(creds, p.url)
    settings = FlowSettings(
        site_name=t.site_name, language=t.language, channel="agent",
        terminal_id=creds.device_id if creds is not None else "",
        tracking_url_template=template,
        # the agent's own inactivity sign-out is the limit that matters here
        idle_warning_s=float(config.agent.inactivity_sign_out_s), idle_countdown_s=60.0,
        online_wait_s=3.0)
    settings = dataclasses.replace(settings, **(flow_settings or {}))
    queue = VisitQueue(AgentOutbox(outbox, auth), dashboard)
    flow = CitizenFlow(catalog, queue, prefill, printer, settings=settings, ahead=ahead)
    visit = AgentVisit(auth, book, dashboard, flow, queue)
    closers.append(visit.close)
    tasks = Tasks(invoker, "agent")
    closers.append(tasks.close)
    window = AgentWindow(visit, tasks, tick_ms=tick_ms, has_camera=has_camera,
                         document_camera=config.devices.document_camera)
    closers.append(lambda: parts.close_window(window))
    outbox_bridge.outbox_event.connect(window.outbox_event)
    closers.append(lambda: outbox_bridge.outbox_event.disconnect(window.outbox_event))
    for bridge_ in (idcard, smartcard):
        if bridge_ is not None:
            bridge_.placed.connect(window.card_placed)
            bridge_.failed.connect(window.card_failed)
            closers.append(_card_disconnector(bridge_, window))
    return AgentMode(window, auth, book, dashboard, flow, visit, tasks, engine, worker,
                     closers)


def _card_disconnector(bridge: IdCardBridge | SmartCardBridge,
                       window: AgentWindow) -> Callable[[], None]:
    def disconnect() -> None:
        bridge.placed.disconnect(window.card_placed)
        bridge.failed.disconnect(window.card_failed)
    return disconnect


#: pages on which no resident's application is open: a newer catalog may come in
BETWEEN_RESIDENTS = (Page.SIGN_IN, Page.WORKLIST, Page.QUEUE)


class AgentApp(TerminalApp):
    mode: AgentMode
    catalog_swap: CatalogSwap | None = None
    #: video help (kiosk.ui.call_dock), from start_background on
    call_dock: CallDock | None = None
    call_bridge: AssistBridge | None = None

    def open(self, *, show: bool = True) -> AgentApp:
        self.open_services()
        assert self.invoker is not None and self.outbox is not None \
            and self.outbox_bridge is not None
        readers = self.open_readers()
        extra = self.wiring.extra
        self.mode = build_agent_mode(
            data_dir=self.data_dir, config=self.config, outbox=self.outbox,
            catalog=self.load_catalog(), invoker=self.invoker,
            outbox_bridge=self.outbox_bridge, idcard=readers.idcard,
            smartcard=readers.smartcard, printer=self.open_printer(),
            flow_settings=extra.get("flow"), retry_cap_s=extra.get("retry_cap_s"),
            offline_probe_s=extra.get("offline_probe_s", 15.0),
            tick_ms=extra.get("tick_ms", 1000),
            has_camera=None if self.wiring.probe_camera else (lambda: False))
        self.closers.append(self.mode.close)
        self.window = self.mode.window
        self.first_screen = self.window
        if show:
            self.window.showMaximized()
        return self

    def start_background(self) -> None:
        assert self.readers is not None and self.printer is not None
        self.readers.start()
        self.printer.check_status()
        visit = self.mode.visit
        self.catalog_swap = CatalogSwap(self.mode.flow,
                                        lambda: visit.page in BETWEEN_RESIDENTS)
        self.closers.append(visit.subscribe(self.catalog_swap.try_swap))
        self.start_catalog_updates(self.catalog_swap.offer)
        self._open_video_help()
        super().start_background()

    def _open_video_help(self) -> None:
        """The "video help" button and the call panel, as at the kiosk: an agent at a
        resident's door with an unusual case asks a clerk (docs/video-help.md). The laptop's
        camera is the one ``devices.face_camera`` names (the demo's synthetic one in tests);
        no speech: the agent reads the screen."""
        from kiosk.ui.bridges.assist import AssistBridge
        from kiosk.ui.call_dock import CallDock
        from kiosk.ui.face_frames import CameraFrames
        from kiosk.ui.speech import NullSpeaker

        assert self.invoker is not None
        devices, window = self.config.devices, self.mode.window
        frames = self.wiring.face_source or (lambda: CameraFrames(
            devices.face_camera, avoid=devices.document_camera))
        client = parts.prefill_client(self.creds, self.config)
        if client is not None:              # the bridge's calls end first (in reverse)
            self.closers.append(client.close)
        bridge = AssistBridge(self.invoker, client, frames=frames,
                              microphone=devices.microphone)
        self.closers.append(bridge.close)
        self.call_bridge = bridge
        self.call_dock = CallDock(self.mode.flow, bridge, bridge.media, NullSpeaker(),
                                  add_button=window.add_to_bar, dock=window.dock,
                                  take_picture=window.camera.open_camera)
        self.closers.append(self.call_dock.close)

    def sync_parts(self) -> tuple[SyncEngine | None, SyncWorker | None]:
        return self.mode.engine, self.mode.worker
