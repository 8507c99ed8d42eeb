"""Run under a real X server by test_lockdown.py: citizen mode's window as ``kiosk run``
opens it (locked down, the keyboard's input method on), at "ready" and again once the
keyboard's panel is built, which makes Qt recreate the native window from the widget's
flags (on xcb; the offscreen platform does not)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from kiosk.ui.keyboard import prepare_env

os.environ["QT_QPA_PLATFORM"] = "xcb"
prepare_env()

import PySide6.QtCore  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import config as cfg  # noqa: E402
from kiosk.app.citizen import KioskApp  # noqa: E402
from kiosk.app.wiring import Wiring  # noqa: E402
from kiosk.ui.ready import after_first_frame  # noqa: E402

app = QApplication(sys.argv[:1])
result: dict[str, object] = {}
data_dir = Path(tempfile.mkdtemp(prefix="lockdown-probe-"))
kiosk = KioskApp(data_dir, cfg.Config(), Wiring(lockdown=True, use_pcsc=False,
                                                probe_camera=False)).open()
window = kiosk.window


def state() -> dict[str, object]:
    """What the window system was told (the native window) and what the widget holds."""
    from PySide6.QtCore import Qt

    handle = window.windowHandle()
    wanted = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
    return {"native_locked": handle is not None and (handle.flags() & wanted) == wanted,
            "widget_locked": (window.windowFlags() & wanted) == wanted,
            "full_screen": window.isFullScreen(),
            "no_context_menu":
                window.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu,
            "win_id": int(window.winId())}


def on_ready() -> None:
    # As kiosk.app.launch does: "ready" hooked after open(), the keyboard a turn later.
    result["enums_built_at_ready"] = "Qt" in vars(PySide6.QtCore)
    result["at_ready"] = state()
    QTimer.singleShot(0, kiosk.after_ready)
    QTimer.singleShot(0, after_keyboard)


def after_keyboard() -> None:
    result["panel"] = kiosk.keyboard.panel is not None
    result["after_keyboard"] = state()
    app.exit(0)


after_first_frame(kiosk.first_screen, on_ready)
QTimer.singleShot(20_000, lambda: app.exit(1))      # never ready: fail, do not hang
code = app.exec()
kiosk.close()
print(json.dumps(result))
sys.exit(code)
