"""Regenerate docs/screenshots/keyboard-{normal,elder}-zh.png: the form with the on-screen
keyboard up, pinyin being typed into an empty address field, in normal and elder mode.

    .venv/bin/python scripts/screenshots_keyboard.py [--out docs/screenshots]

Qt Virtual Keyboard does not draw on the offscreen platform, so this runs on its own X
server (Xvfb, 1920×1080, the kiosk's panel; started and stopped here) instead of inside
scripts/screenshots.py, whose flow, fakes and PNG reduction it reuses. The field is tapped
and h-a-n-g-z-h-o-u tapped on the panel's own keys, so the word candidates show too. It
fails if the keyboard would be cut off or cover the field; it prints the key sizes drawn.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIELD = "address_current"          # empty, typed in pinyin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--display", help=argparse.SUPPRESS)   # the run on the X server
    args = parser.parse_args()
    if args.display:
        return shoot(args.out)
    for number in range(90, 140):
        if not os.path.exists(f"/tmp/.X{number}-lock"):
            break
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1920x1080x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
            if xvfb.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"Xvfb :{number} did not start")
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
        env.pop("QT_IM_MODULE", None)
        return subprocess.run([sys.executable, __file__, "--out", str(args.out),
                               "--display", f":{number}"], env=env, check=False).returncode
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def shoot(out: Path) -> int:
    sys.path.insert(0, str(REPO))
    # (vkb_panel selects the X server and the keyboard's input method for the QApplication)
    import screenshots as shots
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.keyboard import VirtualKeyboard
    from seeds import seeds_dir
    from tests.kiosk.ui.vkb_panel import candidates, keys, tap, wait

    app = QApplication(sys.argv[:1])
    app.setFont(shots.ui_font())
    catalog = shots.load_catalog(seeds_dir() / "catalog")
    cards = shots.read_cards()
    out.mkdir(parents=True, exist_ok=True)
    for elder in (False, True):
        with tempfile.TemporaryDirectory() as tmp, shots.Outbox(Path(tmp) / "outbox") as outbox:
            flow = shots.CitizenFlow(
                catalog, outbox, shots.Prefill(catalog), shots.Printer(),
                settings=shots.FlowSettings(site_name="荀山村便民服务点", terminal_id="kiosk-demo"),
                clock=lambda: 1000.0, now=lambda: shots.NOW)
            window = shots.MainWindow(flow.prefs, tick_ms=3_600_000, has_camera=lambda: False)
            window.bind(flow)
            keyboard = VirtualKeyboard()
            panel = keyboard.build(window)
            assert panel is not None
            window.attach_keyboard(keyboard)
            window.resize(1920, 1080)
            window.show()
            flow.set_elder(elder)
            flow.card_placed(cards["R001"])
            flow.choose(shots.PENSION)
            flow.start_item()
            flow.give_consent(True)
            # the kiosk's window is the full screen; a screen on the way may have stretched
            # this one (the window grows to a page's minimum and does not shrink by itself)
            window.resize(1920, 1080)
            wait(lambda w=window: w.height() == 1080, 3)
            window.activateWindow()
            wait(window.isActiveWindow, 3)
            edit = window.stack.currentWidget().rows[FIELD].edit
            QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
            wait(lambda p=panel: QGuiApplication.inputMethod().isVisible() and p.isVisible())
            for letter in "hangzhou":
                tap(panel, keys(panel)[letter])
            seen: list[list[float]] = []

            def still(p=panel, seen=seen) -> bool:
                # the panel slides in and the candidates fly into their places: wait until
                # nothing has moved for a few polls
                seen.append([c.mapToScene(QPointF(0, 0)).x() for c in candidates(p)])
                return bool(seen[-1]) and len(seen) >= 8 and all(x == seen[-1]
                                                                 for x in seen[-8:])
            wait(still, 5)
            top = panel.mapTo(window, panel.rect().topLeft()).y()
            field = edit.mapTo(window, edit.rect().bottomLeft()).y()
            rows = min(k.height() for k in keys(panel).values())
            mode = "elder" if elder else "normal"
            print(f"{mode}: window {window.width()}×{window.height()}, panel {panel.height()} px"
                  f" from y={top}, keys {rows:.0f} px high, labels "
                  f"{60 * keyboard.size.scale:.0f} px, field bottom y={field}")
            if top + panel.height() > window.height() or field > top \
                    or edit.visibleRegion().isEmpty():
                raise SystemExit(f"{mode}: the keyboard is cut off or covers the field")
            shots.save(window, out / f"keyboard-{mode}-zh.png")
            keyboard.close()
            window.shutdown()
            window.close()
            window.deleteLater()
            app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
