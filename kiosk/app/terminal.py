"""What every mode of the application opens over a terminal's data dir.

:class:`TerminalApp` is the base of the three composition roots (citizen, agent,
technician). It owns the parts they share and stops them in reverse order on
:meth:`close`: the GUI invoker, the outbox and its bridge, the card readers, the receipt
printer, the fleet heartbeat, and technician mode (reached from citizen mode through the
hidden gesture, or run on its own).

A subclass implements :meth:`open` (build and show the window; ``first_screen`` is what
"ready" waits for) and may extend :meth:`start_background` (what comes after the first
frame) and :meth:`healthy` (the systemd watchdog's question).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config as cfg
from kiosk.app.wiring import Wiring
from kiosk.closing import close_in_reverse
from kiosk.errors import ConfigError
from kiosk.lazy import lazy
from seeds import seeds_dir

# What a mode opens after its first frame (kiosk.lazy says why, and what each costs).
if TYPE_CHECKING:
    from kiosk import fleet
    from kiosk.app import parts
    from kiosk.app import readers as card_readers
    from kiosk.app import technician_mode as technician_builder
    from kiosk.ui.bridges import catalog as catalog_bridge
    from kiosk.ui.bridges import invoker as invoker_bridge
    from kiosk.ui.bridges import platform as platform_bridge
    from offline_queue import credentials, location, wire
    from offline_queue import errors as queue_errors
else:
    fleet = lazy("kiosk.fleet")
    parts, card_readers = lazy("kiosk.app.parts"), lazy("kiosk.app.readers")
    technician_builder = lazy("kiosk.app.technician_mode")
    catalog_bridge = lazy("kiosk.ui.bridges.catalog")
    invoker_bridge = lazy("kiosk.ui.bridges.invoker")
    platform_bridge = lazy("kiosk.ui.bridges.platform")
    credentials, location = lazy("offline_queue.credentials"), lazy("offline_queue.location")
    queue_errors = lazy("offline_queue.errors")
    wire = lazy("offline_queue.wire")

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from civic.catalog.model import Catalog
    from kiosk.app.readers import CardReaders
    from kiosk.app.technician_mode import TechnicianMode
    from kiosk.fleet import DeviceStates, HeartbeatSender
    from kiosk.systemd import Notifier
    from kiosk.ui.bridges.catalog import CatalogUpdates
    from kiosk.ui.bridges.invoker import GuiInvoker
    from kiosk.ui.bridges.platform import OutboxBridge
    from kiosk.ui.bridges.printing import PrinterBridge
    from offline_queue import Outbox
    from offline_queue.credentials import Credentials
    from offline_queue.sync import SyncEngine
    from offline_queue.worker import SyncWorker

log = logging.getLogger(__name__)


def quit_app(status: int) -> None:
    """End the event loop with ``status`` (``kiosk run`` exits with it)."""
    from PySide6.QtWidgets import QApplication

    QApplication.exit(status)


class TerminalApp:
    #: what "ready" waits for: the first screen, painted (set by :meth:`open`)
    first_screen: QWidget

    def __init__(self, data_dir: Path, config: cfg.Config, wiring: Wiring | None = None, *,
                 catalog: Catalog | None = None, notifier: Notifier | None = None,
                 on_leave: Callable[[int], None] = quit_app) -> None:
        self.data_dir, self.config = data_dir, config
        self.wiring = wiring or Wiring()
        self._catalog = catalog
        self.notifier = notifier
        #: the technician left kiosk mode: end the app with this status
        self.on_leave = on_leave
        self.closers: list[Callable[[], object]] = []
        self.invoker: GuiInvoker | None = None
        self.outbox: Outbox | None = None
        self.outbox_bridge: OutboxBridge | None = None
        self.creds: Credentials | None = None
        self.device_states: DeviceStates | None = None
        self.readers: CardReaders | None = None
        self.printer: PrinterBridge | None = None
        self.heartbeat: HeartbeatSender | None = None
        self.technician: TechnicianMode | None = None
        #: the between-jobs status check (paused with the readers)
        self.printer_check: QTimer | None = None
        #: newer catalogs from the platform (enrolled terminals, once started)
        self.catalog_updates: CatalogUpdates | None = None
        from kiosk.flows.face_threshold import CardPhotoThresholds

        #: the card-photo threshold: configured, raised by what the heartbeat replies name
        self.card_photo_threshold = CardPhotoThresholds(config.identity.face_threshold)

    # -- what a mode implements -------------------------------------------------------------
    def open(self, *, show: bool = True) -> TerminalApp:
        raise NotImplementedError

    def start_background(self) -> None:
        """After the first frame: the heartbeat and the outbox's first summary."""
        self.start_heartbeat()
        if self.outbox_bridge is not None:
            self.outbox_bridge.publish()

    def after_ready(self) -> None:
        """Once the background has started, in a later turn of the event loop."""

    def sync_parts(self) -> tuple[SyncEngine | None, SyncWorker | None]:
        """The mode's sync engine and worker, once started (none without enrolment)."""
        return None, None

    def healthy(self) -> bool:
        """Whether the watchdog may be pinged: the sync worker (when there is one) is
        alive and the outbox still answers."""
        worker = self.sync_parts()[1]
        if worker is not None and not worker.alive:
            log.error("app.sync_worker_dead", extra={"ctx": {}})
            return False
        if self.outbox is None:
            return True
        try:
            self.outbox.stats()
        except Exception:  # any failure here is the answer; the traceback is logged
            log.exception("app.unhealthy", extra={"ctx": {}})
            return False
        return True

    # -- the shared parts ---------------------------------------------------------------------
    def open_services(self) -> None:
        """The invoker, the outbox and its bridge, the credentials, the device states."""
        self.invoker = invoker_bridge.GuiInvoker()  # device and platform answers reach the GUI
        self.closers.append(self.invoker.close)
        self.outbox = location.open_terminal_outbox(
            self.data_dir, retention_s=self.config.queue.retention_days * 86400)
        self.closers.append(self.outbox.close)
        self.outbox_bridge = platform_bridge.OutboxBridge(self.outbox)
        self.closers.append(self.outbox_bridge.close)
        self.creds = self.load_credentials()
        self.device_states = fleet.DeviceStates()

    def load_credentials(self) -> Credentials | None:
        try:
            return credentials.load(self.data_dir)
        except queue_errors.OutboxError as exc:
            log.warning("app.not_enrolled", extra={"ctx": {"why": type(exc).__name__}})
            return None

    def open_printer(self) -> PrinterBridge:
        """The receipt printer (and A4 queue) as configured; its state goes to the fleet."""
        assert self.invoker is not None and self.device_states is not None
        self.printer = parts.printer_bridge(self.invoker, self.config,
                                            url=self.wiring.printer_url,
                                            a4_out_dir=self.wiring.a4_out_dir)
        self.closers.append(self.printer.close)
        self.printer.paper_state.connect(self.device_states.report_printer)
        self._check_printer_between_jobs(self.printer)
        return self.printer

    def _check_printer_between_jobs(self, printer: PrinterBridge) -> None:
        """Ask the printer its state between jobs: a kiosk whose paper runs out at night
        tells the fleet then, not when the next citizen's receipt fails."""
        from PySide6.QtCore import QTimer

        # The timer is the bridge's child and calls the bridge: nothing in the connection
        # refers back to this app, so a closed app (and its last session) can be freed.
        timer = self.printer_check = QTimer(printer)
        timer.setInterval(int(1000 * self.wiring.extra.get(
            "printer_check_s", self.config.devices.printer_check_s)))
        timer.timeout.connect(printer.check_status)
        timer.start()
        self.closers.append(self._stop_printer_check)

    def _stop_printer_check(self) -> None:
        if self.printer_check is not None:
            self.printer_check.stop()
            self.printer_check = None

    def open_readers(self) -> CardReaders:
        """The card readers, built but not started (a mode connects its slots first)."""
        assert self.invoker is not None and self.device_states is not None
        self.readers = card_readers.CardReaders(self.invoker, self.device_states,
                                   use_pcsc=self.wiring.use_pcsc,
                                   allow_virtual=self.wiring.allow_virtual_reader)
        url, skip = self._reader_ports()
        self.readers.build(url, skip_ports=skip)
        self.closers.append(self.readers.stop)
        return self.readers

    def _reader_ports(self) -> tuple[str, list[str]]:
        """The ID-card reader's port (empty: auto-detect) and the ports detection must
        never probe: a serial receipt printer would print the probe frames."""
        d = self.config.devices
        return (self.wiring.idcard_url or d.idcard_port,
                [self.wiring.printer_url or d.receipt_printer])

    def load_catalog(self) -> Catalog:
        """The catalog the platform last sent (cached), else the one shipped in seeds/."""
        if self._catalog is not None:
            return self._catalog
        from civic.errors import CatalogError
        from kiosk.catalog.load import load_catalog, load_served

        cached = self.data_dir / "catalog" / "catalog.json"
        if cached.exists():
            try:
                return load_served(cached.read_bytes())
            except (CatalogError, ValueError):
                log.warning("app.cached_catalog_invalid", extra={"ctx": {}})
        return load_catalog(seeds_dir() / "catalog")

    def start_catalog_updates(self, on_catalog: Callable[[Catalog], None]) -> None:
        """Ask the platform for a newer catalog now and every ``platform.catalog_refresh_s``
        (an enrolled terminal): each one is checked, saved and indexed on the ``catalog``
        worker, and ``on_catalog`` receives it finished, on the GUI thread."""
        if self.creds is None or self.invoker is None or self.catalog_updates is not None:
            return
        p = self.config.platform
        self.catalog_updates = catalog_bridge.CatalogUpdates(
            self.invoker, self.data_dir, wire.build_client(self.creds, None, p.client_settings()),
            on_catalog)
        self.closers.append(self.catalog_updates.close)
        self.catalog_updates.start(self.wiring.extra.get("catalog_refresh_s",
                                                         p.catalog_refresh_s))

    def start_heartbeat(self) -> None:
        """``POST /v1/heartbeat`` on its thread, every ``platform.heartbeat_interval_s``
        (or as the platform asks), at once on paper trouble or after an enrolment. The
        clock skew and last sync come from the mode's engine when it has one."""
        from kiosk import __version__

        if self.outbox is None or self.device_states is None or self.heartbeat is not None:
            return
        engine = self.sync_parts()[0]
        p = self.config.platform
        self.heartbeat = fleet.HeartbeatSender(
            self.outbox, self.data_dir, app_version=__version__, devices=self.device_states,
            a4_queue=self.config.devices.a4_queue,
            sync_progress=engine.progress if engine is not None else None,
            interval_s=self.wiring.extra.get("heartbeat_s", p.heartbeat_interval_s),
            client_settings=p.client_settings(),
            on_reply=lambda reply: self.card_photo_threshold.platform_named(
                reply.card_photo_threshold))
        self.heartbeat.start()
        self.closers.append(self.heartbeat.stop)

    # -- technician mode ----------------------------------------------------------------------
    def technician_mode(self, *, on_exit: Callable[[], None] | None = None) -> TechnicianMode:
        """Technician mode over this app's outbox, readers and heartbeat (built once)."""
        if self.technician is None:
            assert self.invoker is not None
            self.technician = technician_builder.build_technician_mode(
                data_dir=self.data_dir, invoker=self.invoker, on_leave=self.on_leave,
                outbox=self.outbox, devices=self.device_states, heartbeat=self.heartbeat,
                notifier=self.notifier, on_exit=on_exit, pause_devices=self.pause_devices,
                resume_devices=self.resume_devices,
                allow_virtual=self.wiring.allow_virtual_reader,
                language=self.config.terminal.language)
            self.closers.append(self.technician.close)
        return self.technician

    def pause_devices(self) -> None:
        """A technician came in: the readers' and the printer's ports are theirs until they
        leave (the app's own printer jobs are only a citizen's, and none is at the kiosk)."""
        if self.printer_check is not None:
            self.printer_check.stop()
        if self.readers is not None:
            self.readers.stop()

    def resume_devices(self) -> None:
        """The technician left: the devices again, with the settings they saved."""
        try:
            self.config = cfg.load(self.data_dir)
        except ConfigError:                  # the console validates; keep the last good one
            log.exception("app.config_reload_failed", extra={"ctx": {}})
        if self.printer is not None:
            printer, profile = parts.receipt_printer(self.config, self.wiring.printer_url)
            self.printer.reconfigure(printer, profile, a4_queue=self.config.devices.a4_queue)
        if self.printer_check is not None:
            self.printer_check.start()
        if self.readers is not None:
            url, skip = self._reader_ports()
            self.readers.resume(url, skip_ports=skip)

    # -- stopping -------------------------------------------------------------------------------
    def close(self) -> None:
        close_in_reverse(self.closers, log, "app.close_failed")
