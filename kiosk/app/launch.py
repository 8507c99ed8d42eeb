"""``kiosk run``: the Qt application in citizen, agent or technician mode.

The sequence is the same for every mode: settings (invalid ones stop here, before any
window), the QApplication, the mode's window; once its first screen is painted, "ready"
(``--quit-after-ready`` prints ``ready in N ms`` and exits; under systemd, ``READY=1``),
then logging, the background parts and the watchdog's pings from this GUI thread.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config as cfg
from kiosk.cli.common import data_dir_of
from kiosk.installed_version import claim_data_dir, running_version
from kiosk.paths import ensure_private_dir
from kiosk.systemd import QUEUE_REFUSED_EXIT_STATUS

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app.terminal import TerminalApp
    from offline_queue.errors import QueueRefusedError

log = logging.getLogger(__name__)

MODES = ("citizen", "agent", "technician")


def mode_of(args: argparse.Namespace, config: cfg.Config) -> str:
    """``--mode``, else what the terminal is: an agent terminal starts in agent mode."""
    return args.mode or ("agent" if config.terminal.kind == "agent" else "citizen")


def composition_root(mode: str) -> type[TerminalApp]:
    """The class that builds ``mode``'s application."""
    cls: type[TerminalApp]
    if mode == "agent":
        from kiosk.app.agent import AgentApp as cls
    elif mode == "technician":
        from kiosk.app.technician import TechnicianApp as cls
    else:
        from kiosk.app.citizen import KioskApp as cls
    return cls


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    data_dir = ensure_private_dir(data_dir_of(args))
    # a data dir a newer version used stops an older one here, before its outbox is opened
    claim_data_dir(data_dir, running_version())
    config = cfg.load(data_dir)      # invalid settings stop here, before any window
    mode = mode_of(args, config)

    # The Qt-free modules first: once PySide6 is loaded, its import hook reads the source of
    # every module an import statement names for the first time (looking for its
    # `__feature__` imports), ~0.15 ms each before the first frame.
    from kiosk.app.wiring import Wiring
    from kiosk.systemd import Notifier
    from kiosk.ui.keyboard import prepare_env

    root = composition_root(mode)   # with the Qt-free modules its mode's first screen needs
    prepare_env()                    # the input method is chosen when QApplication is built
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import ui_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setFont(ui_font())

    def configure_logging() -> None:
        from kiosk import logs

        logs.configure(data_dir, level=config.logging.level)

    demo = None
    # --quit-after-ready starts citizen mode as it ships (locked down), so the start-up it
    # reports is the real one
    wiring = Wiring(lockdown=mode == "citizen" and not args.demo)
    if args.demo:
        configure_logging()          # the demo's servers log from the start
        from kiosk.demo import Demo

        demo = Demo(data_dir, config, kind="agent" if mode == "agent" else "kiosk")
        wiring = demo.start()
    notifier = Notifier.from_env()
    terminal = root(data_dir, config, wiring, notifier=notifier).open()
    timers: list[QTimer] = []

    def on_ready() -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        if args.quit_after_ready:
            print(f"ready in {elapsed_ms:.0f} ms", file=sys.stderr, flush=True)
            app.exit(0)              # not quit(): see _keep_alive
            return
        # Everything the first screen does not need comes now, each step in its own turn
        # of the event loop so a touch in between is handled: logging (until here only
        # warnings reach stderr), outbox, devices, sync, then the keyboard's QML engine.
        configure_logging()
        log.info("app.ready", extra={"ctx": {"ms": round(elapsed_ms), "mode": mode,
                                             "demo": args.demo}})
        # imported after the first frame: it loads sqlite3, which start-up does not need
        from offline_queue.errors import QueueRefusedError

        try:
            terminal.start_background()
        except QueueRefusedError as exc:
            refuse_queue(data_dir, config, exc)
            app.exit(QUEUE_REFUSED_EXIT_STATUS)
            return
        if demo is not None:
            demo.open_simulator(terminal)
        QTimer.singleShot(0, terminal.after_ready)
        notifier.ready(f"{mode} mode ready")
        timers.extend(_keep_alive(app, terminal))

    # "Ready" is the first screen drawn and the event loop free to take a touch.
    from kiosk.ui.ready import after_first_frame

    after_first_frame(terminal.first_screen, on_ready)
    try:
        code = app.exec()
    finally:
        notifier.stopping(f"{mode} mode stopping")
        for timer in timers:
            timer.stop()
        terminal.close()
        if demo is not None:
            demo.stop()
    log.info("app.stopped", extra={"ctx": {"code": code}})
    return code


def refuse_queue(data_dir: Path, config: cfg.Config, exc: QueueRefusedError) -> None:
    """The queue cannot be read as it is: say so where a technician looks (stderr, the
    journal, the log, the fleet view), and stop without replacing it."""
    from kiosk import __version__
    from kiosk.fleet import report_refused_queue

    print(f"kiosk: {exc}", file=sys.stderr, flush=True)
    log.critical("app.queue_refused", extra={"ctx": {"error": str(exc)}})
    report_refused_queue(data_dir, exc, app_version=__version__, config=config)


def _keep_alive(app: QApplication, terminal: TerminalApp) -> list[QTimer]:
    """SIGTERM and SIGINT end the event loop (so ``close()`` still runs), and the systemd
    watchdog is pinged from this thread while the app is healthy. Returns the timers."""
    import signal

    from PySide6.QtCore import QTimer

    from kiosk.systemd import WatchdogPinger

    # exit(), not quit(): quit() first asks every window to close, and a locked-down
    # kiosk window refuses (kiosk.ui.lockdown), so the service would not stop
    signal.signal(signal.SIGTERM, lambda *_: app.exit(0))
    signal.signal(signal.SIGINT, lambda *_: app.exit(0))
    # Python runs signal handlers between bytecodes; a timer gives it some while Qt waits.
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(500)
    timers = [wake]
    pinger = WatchdogPinger.from_env(healthy=terminal.healthy)
    if pinger is not None:
        watchdog = QTimer()
        # a lambda, not the bound method: PySide6 holds a method's object weakly, and
        # nothing else holds the pinger
        watchdog.timeout.connect(lambda: pinger.tick())
        watchdog.start(pinger.timer_interval_ms)
        pinger.tick()
        timers.append(watchdog)
        log.info("app.watchdog", extra={"ctx": {"interval_s": pinger.interval_s}})
    return timers
