"""Citizen mode: the street kiosk.

Start-up is ordered for a fast first screen: the window with the attract screen is shown
first; the outbox, the platform, the printer, the catalog, the card readers and the sync
worker come right after, once the event loop runs (``ready in N ms`` is printed when the
attract screen is interactive, bench/startup.py), and the keyboard's QML engine last.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from kiosk.app.terminal import TerminalApp
from kiosk.flows import CitizenFlow, FlowSettings  # Qt-free: kiosk.app.launch loads it before Qt

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class KioskApp(TerminalApp):
    """``open()`` builds the window and its first screen, ``start_background()`` the rest,
    ``close()`` stops everything."""

    sync: Any = None
    engine: Any = None

    # -- building --------------------------------------------------------------------------
    def open(self, *, show: bool = True) -> KioskApp:
        """The window with its first screen, and nothing slow: see :meth:`start_background`."""
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
        self.closers.append(self.keyboard.close)
        self.speaker = QtSpeaker()
        self.window = MainWindow(self.flow, technician=self._technician_page,
                                 tick_ms=self.wiring.extra.get("tick_ms", 1000),
                                 has_camera=None if self.wiring.probe_camera
                                 else (lambda: False))
        self.first_screen = self.window.attract
        self.closers.append(self._close_window)
        self.wiper = Wiper(self.flow, self.window, self.keyboard, self.speaker)
        self.closers.append(self.wiper.close)
        self.narrator = Narrator(self.flow, self.speaker)
        self.closers.append(self.narrator.close)
        if show:
            if self.wiring.lockdown:
                lock_down(self.window, self.first_screen, hide_cursor=t.hide_cursor)
            else:
                self.window.show()
        return self

    def start_background(self) -> None:
        """After the first screen: event filter, outbox, platform, printer, catalog, card
        readers, sync, heartbeat."""
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.bridges.platform import PrefillBridge
        from kiosk.ui.lockdown import SessionEventFilter

        self.open_services()
        assert self.invoker is not None and self.outbox_bridge is not None
        # The application-wide filter (idle activity, swallowed shortcuts, refused close)
        # sees every event in Python; its first calls make PySide6 build the Python types of
        # every event class (~30 ms), so it is installed after the first frame. Activity is
        # not counted on the attract screen anyway.
        app = QApplication.instance()
        assert app is not None
        self.filter = SessionEventFilter(self.flow.activity, lockdown=self.wiring.lockdown)
        app.installEventFilter(self.filter)
        self.closers.append(lambda: app.removeEventFilter(self.filter))
        self.prefill = PrefillBridge(self.invoker, self.platform_client())
        self.closers.append(self.prefill.close)
        printer = self.open_printer()
        self.outbox_bridge.outbox_event.connect(self.flow.outbox_event)
        self.outbox_bridge.summary.connect(self.window.status.set_network)
        printer.paper_state.connect(self.window.status.set_paper)
        creds = self.creds
        template = (creds.tracking_url_template if creds and
                    "{submission_id}" in creds.tracking_url_template
                    else f"{self.config.platform.url}/v1/track/{{submission_id}}")
        self.flow.settings = dataclasses.replace(
            self.flow.settings, tracking_url_template=template,
            terminal_id=creds.device_id if creds else "")
        self.flow.outbox, self.flow.prefill_client = self.outbox, self.prefill
        self.flow.printer = printer
        if self.flow.catalog is None:
            self.flow.catalog = self.load_catalog()
        self._start_sync()
        self._start_readers()
        printer.check_status()
        super().start_background()

    def after_ready(self) -> None:
        """The on-screen keyboard's panel (QtQuick and its QML engine, ~150 ms): built once
        the first screen is up, since nothing on the attract screen types."""
        self.build_keyboard()

    def build_keyboard(self) -> None:
        if self.keyboard.panel is None and self.keyboard.build(self.window) is not None:
            self.window.attach_keyboard(self.keyboard)

    def sync_parts(self) -> tuple[Any, Any]:
        return self.engine, self.sync

    def _start_sync(self) -> None:
        assert self.outbox_bridge is not None and self.outbox is not None
        if self.creds is None:
            self.outbox_bridge.not_enrolled()
            return
        from offline_queue.retry import RetryPolicy
        from offline_queue.sync import SyncEngine
        from offline_queue.worker import SyncWorker

        p = self.config.platform
        cap = self.wiring.extra.get("retry_cap_s")      # the demo keeps back-off short
        policy = RetryPolicy(base_s=min(1.0, cap), cap_s=cap) if cap else None
        self.engine = SyncEngine(self.outbox, self.creds, client_settings=p.client_settings(),
                                 policy=policy,
                                 credentials_dir=self.data_dir)
        self.sync = SyncWorker(self.engine, interval_s=p.sync_interval_s,
                               offline_probe_s=self.wiring.extra.get("offline_probe_s", 15.0))
        self.sync.start()
        self.closers.append(self.engine.close)
        self.closers.append(self.sync.stop)

    def _start_readers(self) -> None:
        readers = self.open_readers()
        readers.connect("reading", self.flow.card_reading)
        readers.connect("placed", self.flow.card_placed)
        readers.connect("removed", self.flow.card_removed)
        readers.connect("failed", self._card_failed)
        readers.connect("reader_state", self.window.status.set_reader)
        readers.start()

    def _card_failed(self, error: Any) -> None:
        from kiosk.flows.messages import card_failure

        self.flow.card_failed(card_failure(error))

    # -- technician mode, through the hidden gesture -------------------------------------------
    def _technician_page(self, back: Callable[[], None]) -> QWidget | None:
        """Technician mode's window as a page of the kiosk's stack; ``back`` shows the
        citizen screens again. None until the kiosk has started its services."""
        if self.invoker is None:
            return None
        return self.technician_mode(on_exit=back).window

    def _close_window(self) -> None:
        self.window.shutdown()
        self.window.setProperty("closing_allowed", True)
        self.window.close()
        self.window.deleteLater()
