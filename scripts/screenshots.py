"""Regenerate docs/screenshots/: every citizen screen, normal and elder mode, zh and en.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs offscreen on a 1920×1080 window (the kiosk's panel), through the real flow and
widgets with the demo residents' cards read from the ID-card emulator; the receipt is the
printer emulator's rendering of the real slip bytes, the proof the real PDF's first page.
Each PNG is scaled to 1280×720 and reduced to a 256-colour palette to stay small.

The status bar is driven the way the application drives it: the outbox's events through
``OutboxBridge`` into ``kiosk.flows.line``. The script stages what the sync worker would
report, consistently with each screen: the line up while the platform prefills the form,
a run that ends "offline" just before the submission (so the receipt that says the
network is down sits above "offline, 1 waiting"), the health probe's answer before the
query_print item (which needs the platform).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from devices.idcard.connect import connect  # noqa: E402
from devices.idcard.emulator.device import IdCardEmulator  # noqa: E402
from devices.idcard.emulator.profiles import load_profiles  # noqa: E402
from devices.printer import get_profile  # noqa: E402
from kiosk.catalog.load import load_catalog  # noqa: E402
from kiosk.flows import CitizenFlow, FlowSettings, PrefillOutcome  # noqa: E402
from kiosk.flows.services import (  # noqa: E402
    PrefillResult,
    PrintOutcome,
    ProofContent,
    SessionResult,
)
from kiosk.receipts import preview_png, slip_bytes  # noqa: E402
from kiosk.ui.bridges.platform import OutboxBridge  # noqa: E402
from kiosk.ui.fonts import ui_font  # noqa: E402
from kiosk.ui.main_window import MainWindow  # noqa: E402
from offline_queue import Outbox  # noqa: E402
from offline_queue.events import PlatformReachable, Progress, RunState  # noqa: E402
from seeds import seeds_dir  # noqa: E402

RESIDENTS = seeds_dir() / "residents.toml"
PENSION = "11330110002503015G4007000001000"
PROOF = "11330110002503015G4007000018000"
AGENT_ONLY = "13330110002506013R4010000001000"
NOW = dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Printer:
    """Synchronous: the real slip preview; the real PDF's first page for proofs."""

    def print_receipt(self, slip, done: Callable[[PrintOutcome], None]) -> None:
        profile = get_profile("generic-80")
        done(PrintOutcome(True, preview_png(slip_bytes(slip, profile), profile)))

    def preview_proof(self, proof: ProofContent, done: Callable[[list[bytes]], None]) -> None:
        from kiosk.documents.layout import ProofDocument, write_pdf
        from kiosk.documents.pdf import render_pages

        with tempfile.TemporaryDirectory() as work:
            doc = ProofDocument(proof.title, proof.rows, "", NOW, proof.verification_url)
            pdf = write_pdf(doc, Path(work) / "proof.pdf")
            done([p.read_bytes() for p in render_pages(pdf, Path(work) / "pages", dpi=60)])

    def print_proof(self, proof: ProofContent, done: Callable[[PrintOutcome], None]) -> None:
        done(PrintOutcome(True))


class Prefill:
    def __init__(self, catalog) -> None:
        from civic.catalog import prefill_response
        from kiosk.catalog.load import load_residents

        self.answers = {}
        self.catalog = catalog
        resident = next(r for r in load_residents(RESIDENTS) if r.ref == "R001")
        for code in (PENSION, PROOF):
            doc = prefill_response(catalog.get(code), resident.card_fields(),
                                   resident.shared_data())
            self.answers[code] = PrefillResult(doc["fields"], tuple(doc["exempt_materials"]))

    def open_session(self, request, done) -> None:
        done(SessionResult(PrefillOutcome.OK, "screenshot-session"))

    def close_session(self, session_id: str) -> None:
        pass

    def fetch(self, id_number, item_code: str, session_id: str, done) -> None:
        done(self.answers.get(item_code, PrefillResult(outcome=PrefillOutcome.NOT_FOUND)))

    def fetch_record(self, id_number, item_code: str, session_id: str, done) -> None:
        """The sandbox's record for R001, signed with a throwaway key (verified, as the
        platform worker would hand it over)."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from central.certified import issue
        from civic.records import parse_record, sign_document
        from kiosk.catalog.load import load_residents
        from kiosk.flows.certify import RecordOutcome, RecordResult

        resident = next(r for r in load_residents(RESIDENTS) if r.ref == "R001")
        issued = issue(self.catalog.get(item_code), resident, NOW, "http://127.0.0.1:8765")
        if issued is None:
            done(RecordResult(RecordOutcome.NOT_FOUND))
            return
        signed = sign_document(issued.document, Ed25519PrivateKey.generate(), "screenshots")
        done(RecordResult(RecordOutcome.VERIFIED, parse_record(signed)))


def read_cards() -> dict:
    with tempfile.TemporaryDirectory() as tmp, \
            IdCardEmulator(load_profiles(RESIDENTS), link_path=Path(tmp) / "tty",
                           pacing=False) as emulator, connect(emulator.device_path) as reader:
        cards = {}
        for ref in ("R001", "R021"):
            emulator.place(ref)
            reader.find_card()
            cards[ref] = reader.read_found_card()
            emulator.remove()
    return cards


def save(window: MainWindow, path: Path) -> None:
    QApplication.processEvents()
    image = window.grab().toImage()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    picture = Image.open(io.BytesIO(bytes(data.data()))).convert("RGB")
    picture = picture.resize((1280, 720), Image.Resampling.LANCZOS)
    picture = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    picture.save(path, "PNG", optimize=True)


def tap(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def role(window: MainWindow, name: str):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in window.stack.currentWidget().findChildren(QPushButton)
                if b.property("role") == name and b.isVisible())


def keypad_focus(window: MainWindow, name: str) -> None:
    """Press Tab, as a keypad user would, until the button ``name`` has focus."""
    window.activateWindow()
    wanted = role(window, name)
    for _ in range(60):
        if QApplication.focusWidget() is wanted:
            return
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    raise RuntimeError(f"Tab never reached {name}")


def unfocus(window: MainWindow) -> None:
    """No focus ring on the screens shot next (a touch user's screens)."""
    assert window.keypad is not None
    window.keypad.reset()
    focus = QApplication.focusWidget()
    if focus is not None:
        focus.clearFocus()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("[0-9]*.png"):   # ours only: agent-*, technician-* are not
        old.unlink()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    catalog = load_catalog(seeds_dir() / "catalog")
    cards = read_cards()
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for elder in (False, True):
            for lang in ("zh", "en"):
                clock = [1000.0]
                # the outbox dates its local receipt numbers by the same day as the slip
                with Outbox(Path(tmp) / f"outbox-{elder}-{lang}",
                            clock=NOW.timestamp) as outbox:
                    flow = CitizenFlow(catalog, outbox, Prefill(catalog), Printer(),
                                       settings=FlowSettings(site_name="荀山村便民服务点",
                                                             terminal_id="kiosk-demo"),
                                       clock=lambda c=clock: c[0], now=lambda: NOW)
                    window = MainWindow(flow.prefs, tick_ms=3_600_000, has_camera=lambda: False)
                    window.bind(flow)
                    bridge = OutboxBridge(outbox)
                    bridge.summary.connect(window.status.set_network)
                    window.resize(1920, 1080)
                    window.show()
                    mode = "elder" if elder else "normal"

                    def shot(name: str, window=window, flow=flow, lang=lang, elder=elder,
                             mode=mode) -> None:
                        nonlocal count
                        if flow.language != lang:
                            flow.set_language(lang)
                        if flow.elder != elder:
                            flow.set_elder(elder)
                        save(window, args.out / f"{name}-{mode}-{lang}.png")
                        count += 1

                    run_journey(window, flow, cards, shot, clock, outbox.notify)
                    bridge.close()
                    window.shutdown()
                    window.close()
                    window.deleteLater()
                    QApplication.processEvents()
    total = sum(p.stat().st_size for p in args.out.glob("*.png"))
    print(f"{count} screenshots in {args.out} ({total / 1e6:.1f} MB)")
    return 0


def worker_run(ending: str) -> list[Progress]:
    """The progress events of one sync run, as ``offline_queue.sync`` emits them."""
    return [Progress(RunState.SYNCING), Progress(RunState(ending))]


def run_journey(window: MainWindow, flow: CitizenFlow, cards: dict,
                shot: Callable[[str], None], clock: list[float],
                report: Callable[[dict], None]) -> None:
    for event in worker_run("idle"):           # the first run at start-up reached the platform
        report(event)
    shot("01-attract")
    flow.card_reading()
    shot("02-identify")
    flow.card_placed(cards["R021"])
    shot("03-refused")
    flow.card_removed()
    flow.card_placed(cards["R001"])
    shot("04-choose")
    screen = window.stack.currentWidget()
    screen.set_mode("life_events")
    shot("05-choose-life-events")
    screen.search.setText("shebao")
    screen.run_search()
    shot("06-choose-search")
    flow.choose(AGENT_ONLY)
    shot("07-agent-only")
    flow.back()
    flow.choose(PENSION)
    shot("08-item")
    flow.start_item()
    shot("09-consent")
    keypad_focus(window, "agree")
    shot("09b-consent-focus")                  # the focus ring, as a keypad user sees it
    unfocus(window)
    flow.give_consent(True)
    shot("10-form-prefilled")
    form = window.stack.currentWidget()
    form.show_row(form.rows["contribution_tier"])
    shot("10b-form-choices")
    flow.set_value("phone", "1380571")
    flow.to_review()
    shot("11-form-error")
    flow.set_value("phone", "13805710000")
    for field in flow.visible_fields():
        if field.key not in flow.values and not field.readonly:
            if field.choices:
                flow.set_value(field.key, field.choices[0].value)
            elif str(field.type) == "yes_no":
                flow.set_value(field.key, True)
    flow.to_review()
    shot("12-review")
    flow.confirm_review()
    for event in worker_run("offline"):        # the line drops before the submission
        report(event)
    pad = window.stack.currentWidget().pad
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(80, 120))
    for x in range(80, 700, 15):
        QTest.mouseMove(pad, QPoint(x, 120 + (x // 15 % 7) * 12))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(700, 140))
    shot("13-sign")
    keypad_focus(window, "keypad_confirm")
    shot("13b-sign-keypad-focus")              # "cannot sign: confirm by key", focused
    unfocus(window)
    flow.sign(pad.png())
    shot("14-submit")
    clock[0] += 10
    flow.tick()
    shot("15-receipt-offline")
    flow.finish()
    shot("16-goodbye")
    flow.card_removed()
    report(PlatformReachable())                        # the worker's probe: line back
    flow.card_placed(cards["R001"])
    flow.choose(PROOF)
    flow.start_item()
    flow.give_consent(True)
    for field in flow.visible_fields():
        if field.key not in flow.values and not field.readonly:
            if field.choices:
                flow.set_value(field.key, [field.choices[0].value] if field.multiple
                               else field.choices[0].value)
            elif str(field.type) == "date":
                flow.set_value(field.key, "2026-01-01" if "start" in field.key
                               else "2026-10-31")
    flow.to_review()
    shot("17-proof")
    clock[0] += 61
    window.tick()
    shot("18-idle-warning")
    flow.extend()
    window.tick()
    window.camera.open_camera(lambda _d: None)
    window.camera.take()
    shot("19-camera")
    window.camera.close_camera()
    flow.wipe("screenshots")
    flow._fail()
    shot("21-error")
    flow.restart()


if __name__ == "__main__":
    sys.exit(main())
