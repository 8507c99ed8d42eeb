"""Composition root: builds configuration, logging, devices, outbox and windows.

Nothing else in the application creates long-lived objects on its own; each part receives
what it needs from here, and everything started here is stopped here (:meth:`KioskApp.close`,
in reverse order).

Start-up is ordered for a fast first screen: the window with the attract screen is shown
first; the catalog, the devices and the sync worker are started right after, once the event
loop runs (``ready in N ms`` is printed when the attract screen is interactive).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk import config as cfg
from kiosk.cli.common import data_dir_of
from kiosk.errors import NotAvailableError
from kiosk.paths import ensure_private_dir

log = logging.getLogger(__name__)
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class Wiring:
    """What the demo (or a test) overrides: where the devices and the platform are."""

    idcard_url: str | None = None
    printer_url: str | None = None
    allow_virtual_reader: bool = False
    use_pcsc: bool = True
    a4_out_dir: Path | None = None
    lockdown: bool = True
    probe_camera: bool = True         # ask Qt Multimedia for a document camera
    extra: dict[str, Any] = field(default_factory=dict)


class KioskApp:
    """The citizen-mode application: ``open()`` builds and starts, ``close()`` stops."""

    def __init__(self, data_dir: Path, config: cfg.Config, wiring: Wiring | None = None,
                 *, catalog: Any = None) -> None:
        self.data_dir, self.config = data_dir, config
        self.wiring = wiring or Wiring()
        self._catalog = catalog
        self._closers: list[Any] = []

    # -- building --------------------------------------------------------------------------
    def open(self, *, show: bool = True) -> KioskApp:
        """The window with its first screen, and nothing slow: see :meth:`start_background`."""
        from kiosk.flows import CitizenFlow, FlowSettings
        from kiosk.ui.keyboard import VirtualKeyboard
        from kiosk.ui.lockdown import lock_down
        from kiosk.ui.main_window import MainWindow
        from kiosk.ui.narrator import Narrator
        from kiosk.ui.speech import QtSpeaker
        from kiosk.ui.wipe import Wiper

        t = self.config.terminal
        settings = FlowSettings(site_name=t.site_name, language=t.language,
                                idle_warning_s=t.idle_warning_s,
                                idle_countdown_s=t.idle_countdown_s)
        settings = dataclasses.replace(settings, **self.wiring.extra.get("flow", {}))
        # outbox, prefill and printer are handed to the flow in start_background()
        self.flow = CitizenFlow(self._catalog, None, None, None, settings=settings)
        self.keyboard = VirtualKeyboard()           # its panel: build_keyboard(), after ready
        self._closers.append(self.keyboard.close)
        self.speaker = QtSpeaker()
        self.window = MainWindow(self.flow, check_pin=self._check_pin,
                                 tick_ms=self.wiring.extra.get("tick_ms", 1000),
                                 has_camera=None if self.wiring.probe_camera
                                 else (lambda: False))
        self._closers.append(self._close_window)
        self.wiper = Wiper(self.flow, self.window, self.keyboard, self.speaker)
        self._closers.append(self.wiper.close)
        self.narrator = Narrator(self.flow, self.speaker)
        self._closers.append(self.narrator.close)
        if show:
            if self.wiring.lockdown:
                lock_down(self.window, hide_cursor=t.hide_cursor)
            else:
                self.window.show()
        return self

    def start_background(self) -> None:
        """After the first screen: event filter, outbox, platform, printer, catalog, devices,
        sync."""
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.bridges.invoker import GuiInvoker
        from kiosk.ui.bridges.platform import OutboxBridge, PrefillBridge
        from kiosk.ui.lockdown import SessionEventFilter
        from offline_queue import Outbox

        self.invoker = GuiInvoker()          # device and platform answers reach the GUI here
        self._closers.append(self.invoker.close)

        # The application-wide filter (idle activity, swallowed shortcuts, refused close)
        # sees every event in Python; its first calls make PySide6 build the Python types of
        # every event class (~30 ms), so it is installed after the first frame. Activity is
        # not counted on the attract screen anyway.
        app = QApplication.instance()
        self.filter = SessionEventFilter(self.flow.activity, lockdown=self.wiring.lockdown)
        app.installEventFilter(self.filter)
        self._closers.append(lambda: app.removeEventFilter(self.filter))
        self.outbox = Outbox(self.data_dir / "outbox",
                             retention_s=self.config.queue.retention_days * 86400).open()
        self._closers.append(self.outbox.close)
        self.creds = self._credentials()
        self.prefill = PrefillBridge(self.invoker, self._platform_client())
        self._closers.append(self.prefill.close)
        self.printer = self._printer_bridge()
        self._closers.append(self.printer.close)
        self.outbox_bridge = OutboxBridge(self.outbox)
        self._closers.append(self.outbox_bridge.close)
        self.outbox_bridge.event.connect(self.flow.outbox_event)
        self.outbox_bridge.summary.connect(self.window.status.set_network)
        self.printer.paper_state.connect(self.window.status.set_paper)
        template = (self.creds.tracking_url_template if self.creds and
                    "{submission_id}" in self.creds.tracking_url_template
                    else f"{self.config.platform.url}/v1/track/{{submission_id}}")
        self.flow.settings = dataclasses.replace(
            self.flow.settings, tracking_url_template=template,
            terminal_id=self.creds.device_id if self.creds else "")
        self.flow.outbox, self.flow.prefill_client = self.outbox, self.prefill
        self.flow.printer = self.printer
        if self.flow.catalog is None:
            self.flow.catalog = self._load_catalog()
        self._start_sync()
        self._start_idcard()
        if self.wiring.use_pcsc:
            self._start_smartcard()
        self.printer.check_status()
        self.outbox_bridge.publish()

    def build_keyboard(self) -> None:
        """The on-screen keyboard's panel (QtQuick and its QML engine, ~150 ms): built once
        the first screen is up, since nothing on the attract screen types."""
        if self.keyboard.panel is None:
            panel = self.keyboard.build(self.window)
            if panel is not None:
                self.window.keyboard_slot.addWidget(panel)

    def _credentials(self) -> Any:
        from offline_queue import credentials
        from offline_queue.errors import OutboxError

        try:
            return credentials.load(self.data_dir)
        except OutboxError as exc:
            log.warning("app.not_enrolled", extra={"ctx": {"why": type(exc).__name__}})
            return None

    def _platform_client(self) -> Any:
        if self.creds is None:
            return None
        from offline_queue.sync import build_client

        p = self.config.platform
        return build_client(self.creds, None, connect_timeout_s=p.connect_timeout_s,
                            read_timeout_s=min(p.read_timeout_s, 8.0))

    def _printer_bridge(self) -> Any:
        from devices.printer import ReceiptPrinter, get_profile, transport_for
        from kiosk.ui.bridges.printing import PrinterBridge

        d = self.config.devices
        url = self.wiring.printer_url or d.receipt_printer
        profile = get_profile(d.receipt_profile)
        printer = ReceiptPrinter(lambda: transport_for(url), profile) if url else None
        return PrinterBridge(self.invoker, printer, profile, a4_queue=d.a4_queue,
                             a4_out_dir=self.wiring.a4_out_dir)

    def _load_catalog(self) -> Any:
        from kiosk.catalog import CatalogError, catalog_from_document, load_catalog

        cached = self.data_dir / "catalog" / "catalog.json"
        if cached.exists():
            import json

            try:
                return catalog_from_document(json.loads(cached.read_text()))
            except (CatalogError, ValueError):
                log.warning("app.cached_catalog_invalid", extra={"ctx": {}})
        return load_catalog(SEEDS / "catalog")

    def _start_sync(self) -> None:
        if self.creds is None:
            self.outbox_bridge.not_enrolled()
            return
        from offline_queue.retry import RetryPolicy
        from offline_queue.sync import SyncEngine
        from offline_queue.worker import SyncWorker

        p = self.config.platform
        cap = self.wiring.extra.get("retry_cap_s")      # the demo keeps back-off short
        policy = RetryPolicy(base_s=min(1.0, cap), cap_s=cap) if cap else None
        self.engine = SyncEngine(self.outbox, self.creds, connect_timeout_s=p.connect_timeout_s,
                                 read_timeout_s=p.read_timeout_s, policy=policy)
        self.sync = SyncWorker(self.engine, interval_s=p.sync_interval_s,
                               offline_probe_s=self.wiring.extra.get("offline_probe_s", 15.0))
        self.sync.start()
        self._closers.append(self.engine.close)
        self._closers.append(self.sync.stop)

    def _start_idcard(self) -> None:
        url = self.wiring.idcard_url or self.config.devices.idcard_port
        if not url:
            self.window.status.set_reader("lost")
            return
        from devices.idcard import ReaderMonitor, connect
        from kiosk.ui.bridges.idcard import IdCardBridge

        self.idcard = IdCardBridge(ReaderMonitor(lambda: connect(url)))
        self.idcard.placed.connect(self.flow.card_placed)
        self.idcard.removed.connect(self.flow.card_removed)
        self.idcard.failed.connect(self._card_failed)
        self.idcard.reader_state.connect(self.window.status.set_reader)
        self.idcard.start()
        self._closers.append(self.idcard.stop)

    def _start_smartcard(self) -> None:
        try:
            from devices.smartcard.monitor import PcscMonitor
            from kiosk.ui.bridges.smartcard import SmartCardBridge
        except ImportError:                    # pyscard without a PC/SC library
            return
        allow = self.wiring.allow_virtual_reader
        self.smartcard = SmartCardBridge(PcscMonitor(allow_virtual=allow), self.invoker,
                                         allow_virtual=allow)
        self.smartcard.reading.connect(self.flow.card_reading)
        self.smartcard.placed.connect(self.flow.card_placed)
        self.smartcard.removed.connect(self.flow.card_removed)
        self.smartcard.failed.connect(self._card_failed)
        self.smartcard.start()
        self._closers.append(self.smartcard.stop)

    def _card_failed(self, error: Any) -> None:
        from kiosk.catalog.text import Text

        message = getattr(error, "user_message", None) or {"zh": "读卡失败", "en": "Card error"}
        self.flow.card_failed(Text(message["zh"], message["en"]))

    def _check_pin(self, pin: str) -> bool:
        from kiosk.security import verify_pin

        stored = self.config.security.technician_pin_hash
        ok = bool(stored) and verify_pin(pin, stored)
        log.warning("app.technician_pin", extra={"ctx": {"ok": ok}})
        return ok

    def _close_window(self) -> None:
        self.window.shutdown()
        self.window.setProperty("closing_allowed", True)
        self.window.close()
        self.window.deleteLater()

    def close(self) -> None:
        while self._closers:
            closer = self._closers.pop()
            try:
                closer()
            except Exception:  # keep stopping the rest; the traceback is logged
                log.exception("app.close_failed", extra={"ctx": {}})


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    data_dir = ensure_private_dir(data_dir_of(args))
    config = cfg.load(data_dir)      # invalid settings stop here, before any window
    mode = args.mode or ("agent" if config.terminal.kind == "agent" else "citizen")
    if mode != "citizen":
        # The screens exist (kiosk/ui/agent, kiosk/ui/technician, tested on their own), but
        # this composition root does not start them yet: say so rather than quietly
        # starting the citizen kiosk instead (docs/agent-technician.md has the wiring).
        raise NotAvailableError(f"`kiosk run --mode {mode}` is not available yet in this "
                                "version: its screens are built but not yet started by "
                                "`kiosk run`.")

    from kiosk.ui.keyboard import prepare_env

    prepare_env()                    # the input method is chosen when QApplication is built
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import ui_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    def configure_logging() -> None:
        from kiosk import logs

        logs.configure(data_dir, level=config.logging.level)

    demo = None
    # --quit-after-ready starts citizen mode as it ships (locked down), so the start-up it
    # reports is the real one
    wiring = Wiring(lockdown=not args.demo)
    if args.demo:
        configure_logging()          # the demo's servers log from the start
        from kiosk.demo import Demo

        demo = Demo(data_dir, config)
        wiring = demo.start()
    kiosk = KioskApp(data_dir, config, wiring).open()

    def on_ready() -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        if args.quit_after_ready:
            print(f"ready in {elapsed_ms:.0f} ms", file=sys.stderr, flush=True)
            app.quit()
            return
        # Everything the attract screen does not need comes now, each step in its own turn
        # of the event loop so a touch in between is handled: logging (until here only
        # warnings reach stderr), outbox, devices, sync, then the keyboard's QML engine.
        configure_logging()
        log.info("app.ready", extra={"ctx": {"ms": round(elapsed_ms), "mode": args.mode,
                                             "demo": args.demo}})
        kiosk.start_background()
        if demo is not None:
            demo.open_simulator(kiosk)
        QTimer.singleShot(0, kiosk.build_keyboard)
        handle_signals()

    heartbeat = QTimer()

    def handle_signals() -> None:
        # SIGTERM (systemd, the demo's Ctrl-C) ends the event loop, so close() still runs;
        # the idle timer gives the interpreter a chance to run the handler. (Before this,
        # a signal just ends the process: nothing has been opened that needs closing.)
        import signal

        signal.signal(signal.SIGTERM, lambda *_: app.quit())
        signal.signal(signal.SIGINT, lambda *_: app.quit())
        heartbeat.timeout.connect(lambda: None)
        heartbeat.start(500)

    # "Ready" is the attract screen drawn and the event loop free to take a touch.
    from kiosk.ui.ready import after_first_frame

    after_first_frame(kiosk.window.attract, on_ready)
    try:
        code = app.exec()
    finally:
        kiosk.close()
        if demo is not None:
            demo.stop()
    log.info("app.stopped", extra={"ctx": {"code": code}})
    return code
