"""Composition root: builds configuration, logging, devices, outbox and windows.

Nothing else in the application creates long-lived objects on its own; each part receives
what it needs from here, and everything started here is stopped here.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from kiosk import config as cfg
from kiosk import logs
from kiosk.cli.common import data_dir_of
from kiosk.paths import ensure_private_dir

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    data_dir = ensure_private_dir(data_dir_of(args))
    config = cfg.load(data_dir)
    logs.configure(data_dir, level=config.logging.level)
    log.info("app.starting", extra={"ctx": {"mode": args.mode, "demo": args.demo}})

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import ui_font
    from kiosk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    window = MainWindow()
    window.show()

    def on_ready() -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info("app.ready", extra={"ctx": {"ms": round(elapsed_ms)}})
        if args.quit_after_ready:
            print(f"ready in {elapsed_ms:.0f} ms", file=sys.stderr, flush=True)
            app.quit()

    # A zero-delay timer fires once the event loop runs, i.e. when the shown window can
    # take input: that is the moment "ready" means.
    QTimer.singleShot(0, on_ready)
    code = app.exec()
    window.close()
    window.deleteLater()
    log.info("app.stopped", extra={"ctx": {"code": code}})
    return code
