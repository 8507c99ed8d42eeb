"""Citizen mode: the street kiosk.

Start-up is ordered for a fast first screen: the window with the attract screen is shown
first, built from the terminal's preferences alone; the outbox, the platform, the printer,
the catalog come right after, once the event loop runs (``ready in N ms`` is printed when
the attract screen is interactive, bench/startup.py). The session's flow is built then,
with every service it needs, and handed to the window; the card readers and the sync
worker start last, and the keyboard's QML engine after them.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from kiosk.app.catalog_swap import CatalogSwap
from kiosk.app.terminal import TerminalApp
from kiosk.flows import CitizenFlow, FlowSettings, Step  # Qt-free: launch loads it before Qt
from kiosk.flows.prefs import Prefs
from kiosk.installed_version import UpgradeWatch, running_version
from kiosk.lazy import lazy
from kiosk.systemd import UPGRADE_EXIT_STATUS

# The first screen's modules, executed in open(); the session's, after the first frame
# (kiosk.lazy says why). Declared here, not imported: launch imports this module before Qt.
if TYPE_CHECKING:
    from kiosk.app import parts
    from kiosk.app import readers as card_readers
    from kiosk.flows import messages
    from kiosk.ui import (
        call_dock,
        focus_speech,
        keyboard,
        lockdown,
        main_window,
        narrator,
        speech,
        wipe,
    )
    from kiosk.ui.bridges import assist as assist_bridge
    from kiosk.ui.bridges import faces as face_bridge
    from kiosk.ui.bridges import platform as platform_bridge
else:
    keyboard, lockdown = lazy("kiosk.ui.keyboard"), lazy("kiosk.ui.lockdown")
    main_window, speech = lazy("kiosk.ui.main_window"), lazy("kiosk.ui.speech")
    narrator, wipe = lazy("kiosk.ui.narrator"), lazy("kiosk.ui.wipe")
    focus_speech = lazy("kiosk.ui.focus_speech")
    messages = lazy("kiosk.flows.messages")
    parts, platform_bridge = lazy("kiosk.app.parts"), lazy("kiosk.ui.bridges.platform")
    card_readers = lazy("kiosk.app.readers")
    face_bridge = lazy("kiosk.ui.bridges.faces")
    call_dock, assist_bridge = lazy("kiosk.ui.call_dock"), lazy("kiosk.ui.bridges.assist")

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from offline_queue.platform import PlatformClient
    from offline_queue.sync import SyncEngine
    from offline_queue.worker import SyncWorker

log = logging.getLogger(__name__)


class KioskApp(TerminalApp):
    """``open()`` builds the window and its first screen, ``start_background()`` the rest,
    ``close()`` stops everything."""

    sync: SyncWorker | None = None
    engine: SyncEngine | None = None
    flow: CitizenFlow | None = None
    #: a newer catalog, waiting for the session in progress to end
    catalog_swap: CatalogSwap | None = None
    #: a newer version of the app installed under it (started with the session's flow)
    upgrade_watch: UpgradeWatch | None = None
    #: the app has asked to exit for a newer version (once is enough)
    made_way = False
    #: video help: the bar's button and the call panel (kiosk.ui.call_dock)
    call_dock: call_dock.CallDock | None = None
    call_bridge: assist_bridge.AssistBridge | None = None

    # -- building --------------------------------------------------------------------------
    def open(self, *, show: bool = True) -> KioskApp:
        """The window with its first screen, and nothing slow: see :meth:`start_background`."""
        t = self.config.terminal
        self.settings = dataclasses.replace(
            FlowSettings(site_name=t.site_name, language=t.language,
                         idle_warning_s=t.idle_warning_s, idle_countdown_s=t.idle_countdown_s),
            **self.wiring.extra.get("flow", {}))
        self.prefs = Prefs(self.settings.language, self.settings.volume)
        self.keyboard = keyboard.VirtualKeyboard()  # its panel: build_keyboard(), after ready
        self.closers.append(self.keyboard.close)
        self.speaker = speech.QtSpeaker()
        self.window = main_window.MainWindow(self.prefs, technician=self._technician_page,
                                 tick_ms=self.wiring.extra.get("tick_ms", 1000),
                                 has_camera=None if self.wiring.probe_camera
                                 else (lambda: False),
                                 document_camera=self.config.devices.document_camera)
        self.first_screen = self.window.attract
        self.closers.append(self._close_window)
        if show:
            if self.wiring.lockdown:
                lockdown.lock_down(self.window, self.first_screen, hide_cursor=t.hide_cursor)
            else:
                self.window.show()
        return self

    def start_background(self) -> None:
        """After the first screen: outbox, platform, printer, catalog; then the session's
        flow over them (with its wipe, narrator and event filter); then the card readers,
        sync and heartbeat."""
        from PySide6.QtWidgets import QApplication

        self.open_services()
        assert self.invoker is not None and self.outbox_bridge is not None \
            and self.outbox is not None
        prefill_client = parts.prefill_client(self.creds, self.config)
        prefill = platform_bridge.PrefillBridge(self.invoker, prefill_client)
        self.closers.append(prefill.close)
        printer = self.open_printer()
        creds = self.creds
        settings = dataclasses.replace(
            self.settings, terminal_id=creds.device_id if creds else "",
            tracking_url_template=parts.tracking_url_template(creds, self.config.platform.url))
        ident = self.config.identity
        faces = face_bridge.FaceBridge(
            self.invoker, platform=prefill, threshold=self.card_photo_threshold,
            decoder=face_bridge.decoder_config(ident.card_photo_decoder,
                                               ident.card_photo_function,
                                               ident.card_photo_signature,
                                               ident.card_photo_output),
            source=self.wiring.face_source, camera=self.config.devices.face_camera,
            document_camera=self.config.devices.document_camera)
        self.closers.append(faces.close)
        from kiosk.flows.ahead_service import PlatformAhead

        # "For you", halls and booking run on the card sessions' worker (issue 19)
        self.flow = flow = CitizenFlow(self.load_catalog(), self.outbox, prefill, printer,
                                       settings=settings, prefs=self.prefs, faces=faces,
                                       ahead=PlatformAhead(prefill))
        self.window.bind(flow, face_pipeline=faces.pipeline)
        self._open_video_help(flow, prefill_client, faces)
        self.wiper = wipe.Wiper(flow, self.window, self.keyboard, self.speaker)
        self.closers.append(self.wiper.close)
        self.narrator = narrator.Narrator(flow, self.speaker)
        self.closers.append(self.narrator.close)
        self.focus_speech = focus_speech.FocusSpeech(self.window, self.prefs, self.speaker)
        self.closers.append(self.focus_speech.close)
        # The application-wide filter (idle activity, swallowed shortcuts, refused close)
        # sees every event in Python; its first calls make PySide6 build the Python types of
        # every event class (~30 ms), so it is installed after the first frame. Activity is
        # not counted on the attract screen anyway.
        app = QApplication.instance()
        assert app is not None
        self.filter = lockdown.SessionEventFilter(flow.activity, lockdown=self.wiring.lockdown)
        app.installEventFilter(self.filter)
        self.closers.append(lambda: app.removeEventFilter(self.filter))
        self.outbox_bridge.outbox_event.connect(flow.outbox_event)
        self.outbox_bridge.summary.connect(self.window.status.set_network)
        printer.paper_state.connect(self.window.status.set_paper)
        self._start_sync()
        self.catalog_swap = CatalogSwap(flow, lambda: flow.step is Step.ATTRACT)
        self.closers.append(flow.subscribe(self.catalog_swap.try_swap))
        self.start_catalog_updates(self.catalog_swap.offer)
        self._watch_for_upgrade(flow)
        self._start_readers(flow)
        printer.check_status()
        super().start_background()

    def _open_video_help(self, flow: CitizenFlow, client: PlatformClient | None,
                         faces: face_bridge.FaceBridge) -> None:
        """The "video help" button and the call panel (docs/video-help.md): the call's
        camera is the face check's (or the demo's synthetic one)."""
        assert self.invoker is not None
        bridge = assist_bridge.AssistBridge(self.invoker, client, frames=faces.frame_source,
                                            microphone=self.config.devices.microphone)
        self.closers.append(bridge.close)
        self.call_bridge = bridge
        self.call_dock = call_dock.CallDock(
            flow, bridge, bridge.media, self.speaker, add_button=self.window.add_to_bar,
            dock=self.window.dock, take_picture=self.window.camera.open_camera)
        self.closers.append(self.call_dock.close)

    def after_ready(self) -> None:
        """The on-screen keyboard's panel (QtQuick and its QML engine, ~150 ms): built once
        the first screen is up, since nothing on the attract screen types."""
        self.build_keyboard()

    def build_keyboard(self) -> None:
        if self.keyboard.panel is None and self.keyboard.build(self.window) is not None:
            self.window.attach_keyboard(self.keyboard)

    def sync_parts(self) -> tuple[SyncEngine | None, SyncWorker | None]:
        return self.engine, self.sync

    def _start_sync(self) -> None:
        assert self.outbox_bridge is not None and self.outbox is not None
        if self.creds is None:
            self.outbox_bridge.not_enrolled()
            return
        extra = self.wiring.extra
        self.engine, self.sync = parts.start_sync(
            self.outbox, self.creds, self.config, self.data_dir, closers=self.closers,
            retry_cap_s=extra.get("retry_cap_s"),
            offline_probe_s=extra.get("offline_probe_s", 15.0))

    def _start_readers(self, flow: CitizenFlow) -> None:
        readers = self.open_readers()
        signal = card_readers.ReaderSignal
        readers.connect(signal.READING, flow.card_reading)
        readers.connect(signal.PLACED, flow.card_placed)
        readers.connect(signal.REMOVED, flow.card_removed)
        readers.connect(signal.FAILED, self._card_failed)
        readers.connect(signal.READER_STATE, self.window.status.set_reader)
        readers.start()

    def _watch_for_upgrade(self, flow: CitizenFlow) -> None:
        """A newer version installed under the running kiosk (a package upgrade does not
        restart it) ends the app with status 0 on the attract screen, never during a
        session or while a technician works; the unit's Restart=always starts the new
        version (kiosk.installed_version)."""
        from PySide6.QtCore import QTimer

        self.upgrade_watch = watch = UpgradeWatch(running_version(),
                                                  between_citizens=self._between_citizens)
        timer = QTimer()
        timer.setInterval(int(1000 * self.wiring.extra.get(
            "upgrade_check_s", self.config.terminal.upgrade_check_s)))
        timer.timeout.connect(lambda: self._make_way_if(watch.poll()))
        timer.start()
        self.closers.append(timer.stop)
        # back on the attract screen after a session: no need to wait for the next look
        self.closers.append(flow.subscribe(lambda *_: self._make_way_if(watch.due())))

    def _between_citizens(self) -> bool:
        technician = self.technician
        return (self.flow is not None and self.flow.step is Step.ATTRACT
                and (technician is None
                     or self.window.stack.currentWidget() is not technician.window))

    def _make_way_if(self, due: bool) -> None:
        if due and not self.made_way:
            self.made_way = True
            assert self.upgrade_watch is not None
            log.info("app.exit_for_upgrade",
                     extra={"ctx": {"installed": str(self.upgrade_watch.newer)}})
            self.on_leave(UPGRADE_EXIT_STATUS)

    def _card_failed(self, error: Exception) -> None:
        if self.flow is not None:
            self.flow.card_failed(messages.card_failure(error))

    # -- technician mode, through the hidden gesture -------------------------------------------
    def _technician_page(self, back: Callable[[], None]) -> QWidget | None:
        """Technician mode's window as a page of the kiosk's stack; ``back`` shows the
        citizen screens again. None until the kiosk has started its services."""
        if self.invoker is None:
            return None
        return self.technician_mode(on_exit=back).window

    def _close_window(self) -> None:
        parts.close_window(self.window)
