"""Regenerate the "thinking ahead" screenshots in docs/screenshots/ (ahead-*.png): "For you"
(the consent, the list, offline), an item that needs a visit, the halls by expected wait
(one with stale figures), a hall's free times, the confirmation and the booking with its
slip; normal and elder mode, zh and en.

    .venv/bin/python scripts/screenshots_ahead.py [--out docs/screenshots]

Offscreen, through the real flow and widgets, against the real sandbox platform on
127.0.0.1 with its clock stopped at 10:00 on the next Monday (halls open, queues moving),
a demo resident's card from the ID-card emulator, and the slip drawn by the printer
emulator from the very bytes a printer would get.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from central.clock import utc_now  # noqa: E402
from central.platform import SandboxServer, SandboxSettings  # noqa: E402
from civic.ahead import HALL_ZONE  # noqa: E402
from devices.printer.profiles import get_profile  # noqa: E402
from kiosk.catalog.load import load_catalog  # noqa: E402
from kiosk.flows import CitizenFlow, FlowSettings  # noqa: E402
from kiosk.flows.ahead_service import PlatformAhead  # noqa: E402
from kiosk.flows.services import (  # noqa: E402
    PrintOutcome,
    close_card_session,
    fetch_prefill,
    open_card_session,
)
from kiosk.receipts import preview_png, slip_bytes  # noqa: E402
from kiosk.ui.fonts import ui_font  # noqa: E402
from kiosk.ui.main_window import MainWindow  # noqa: E402
from offline_queue import Outbox, credentials  # noqa: E402
from offline_queue.platform import PlatformClient  # noqa: E402
from scripts.screenshots import read_cards, save  # noqa: E402
from seeds import seeds_dir  # noqa: E402

T = TypeVar("T")
#: 老年人能力（失能）评估申请: agent_only, done at the civil-affairs halls
ASSESSMENT = "1133011000250201204005000020000"


def next_monday_10() -> dt.datetime:
    today = utc_now().astimezone(HALL_ZONE).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(10), HALL_ZONE).astimezone(dt.UTC)


class Platform:
    """Card sessions, prefill and every other call, done at once through the real client."""

    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def open_session(self, request: Any, done: Callable[[Any], None]) -> None:
        done(open_card_session(self.client, request))

    def close_session(self, session_id: str) -> None:
        close_card_session(self.client, session_id)

    def fetch(self, id_number: Any, item_code: str, session_id: str,
              done: Callable[[Any], None]) -> None:
        done(fetch_prefill(self.client, id_number, item_code, session_id))

    def call(self, job: Callable[[PlatformClient], T], done: Callable[[T], None],
             offline: T) -> None:
        done(job(self.client))


class Printer:
    """Draws the slip as the printer emulator would print it (nothing is sent anywhere)."""

    profile = get_profile("generic-80")

    def print_receipt(self, slip: Any, done: Callable[[PrintOutcome], None]) -> None:
        done(PrintOutcome(True, preview_png(slip_bytes(slip, self.profile), self.profile)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    catalog = load_catalog(seeds_dir() / "catalog")
    cards = read_cards()
    stopped = next_monday_10()
    count = 0
    with tempfile.TemporaryDirectory() as tmp, \
            SandboxServer(SandboxSettings(Path(tmp) / "central"),
                          clock=lambda: stopped) as sandbox:
        from central import admin

        data = Path(tmp) / "kiosk"
        data.mkdir(mode=0o700)
        code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")
        creds = credentials.enroll(data, sandbox.url, code, "kiosk", hostname="shots",
                                   app_version="0.1.0",
                                   site={"region_code": "330110", "name": "荀山村"})
        faults = f"{sandbox.url}/v1/_sandbox/faults"
        with PlatformClient.build(creds) as client:
            platform = Platform(client)
            for elder in (False, True):
                for lang in ("zh", "en"):
                    mode = "elder" if elder else "normal"

                    def shot(name: str, window: MainWindow, mode: str = mode,
                             lang: str = lang) -> None:
                        nonlocal count
                        save(window, args.out / f"{name}-{mode}-{lang}.png")
                        count += 1

                    with Outbox(Path(tmp) / f"o-{elder}-{lang}") as outbox:
                        flow = CitizenFlow(
                            catalog, outbox, platform, Printer(),
                            settings=FlowSettings(site_name="荀山村便民服务点"),
                            now=lambda: stopped.astimezone(), ahead=PlatformAhead(platform))
                        window = MainWindow(flow.prefs, tick_ms=3_600_000,
                                            has_camera=lambda: False)
                        window.bind(flow)
                        window.resize(1920, 1080)
                        window.show()
                        flow.set_language(lang)
                        flow.set_elder(elder)
                        httpx.put(faults, json={"stale_halls_min": 7,
                                                "stale_halls": ["H02"]})
                        run(flow, window, cards["R001"], shot, faults)
                        window.shutdown()
                        window.close()
                        window.deleteLater()
                        QApplication.processEvents()
    print(f"{count} screenshots in {args.out}")
    return 0


def run(flow: CitizenFlow, window: MainWindow, card: Any,
        shot: Callable[[str, MainWindow], None], faults: str) -> None:
    flow.card_placed(card)
    shot("ahead-01-ask", window)                 # nothing read before the citizen agrees
    flow.show_for_you()
    shot("ahead-02-for-you", window)
    flow.choose(ASSESSMENT)
    shot("ahead-03-needs-a-visit", window)
    flow.find_halls()
    shot("ahead-04-halls", window)               # by expected wait; H02's figures are old
    flow.choose_hall("H02")
    shot("ahead-05-slots", window)
    flow.choose_slot(next(s for s in flow.slots if s.free).start)
    shot("ahead-06-confirm", window)
    flow.confirm_booking()
    shot("ahead-07-booked", window)              # ticket, time, hall; the slip beside
    flow.cancel_appointment()                    # the next language books the same item
    language, elder = flow.language, flow.elder
    flow.wipe("shots")                           # (the wipe resets language and elder mode)
    flow.card_placed(card)
    flow.set_language(language)
    flow.set_elder(elder)
    httpx.put(faults, json={"drop_before": 1.0})
    flow.show_for_you()
    shot("ahead-08-offline", window)
    httpx.put(faults, json={})


if __name__ == "__main__":
    sys.exit(main())
