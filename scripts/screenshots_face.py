"""Regenerate the face-check screenshots in docs/screenshots/ (face-*.png): normal and elder
mode, zh and en.

    .venv/bin/python scripts/screenshots_face.py [--out docs/screenshots]

Offscreen, through the real flow and widgets, with a demo resident's card from the ID-card
emulator. The camera picture is a DRAWN face (QPainter), or the empty guide: never a
photograph of a person, not even a public-domain one. The states shot: looking straight,
the turn asked (with its drawn arrow), comparing, a face that did not match, the refusal
after three, "cannot be completed here" and the agent's confirmation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.catalog.load import load_catalog  # noqa: E402
from kiosk.flows import CitizenFlow, FlowSettings  # noqa: E402
from kiosk.flows.face_capture import CaptureStage, LivenessCapture  # noqa: E402
from kiosk.flows.face_check import FaceCapture, FaceComparison, FaceOutcome  # noqa: E402
from kiosk.flows.services import PrefillResult, SessionResult  # noqa: E402
from kiosk.flows.states import PrefillOutcome  # noqa: E402
from kiosk.ui.drawn_face import drawn_face  # noqa: E402
from kiosk.ui.fonts import ui_font  # noqa: E402
from kiosk.ui.main_window import MainWindow  # noqa: E402
from offline_queue import Outbox  # noqa: E402
from scripts.screenshots import read_cards, save  # noqa: E402
from seeds import seeds_dir  # noqa: E402

CERTIFICATION = "11330110002503015G4007000015000"
NOW = dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CAPTURE = FaceCapture(b"", "turn_left", 6)


class Prefill:
    """A card session that opens (or not: ``online``), with no shared data."""

    def __init__(self, online: bool) -> None:
        self.online = online

    def open_session(self, request, done) -> None:
        done(SessionResult(PrefillOutcome.OK, "s-1") if self.online
             else SessionResult(PrefillOutcome.OFFLINE))

    def fetch(self, id_number, item_code, session_id, done) -> None:
        done(PrefillResult(outcome=PrefillOutcome.NOT_FOUND))

    def close_session(self, session_id) -> None:
        pass


class Faces:
    """Answers each comparison with the next of ``answers`` (nothing is compared here)."""

    card_photo_available = False

    def __init__(self) -> None:
        self.answers: list[FaceComparison] = []
        self.held: list[Callable[[FaceComparison], None]] = []

    def prepare(self) -> None:
        pass

    def compare_on_platform(self, capture, session_id, done) -> None:
        if self.answers:
            done(self.answers.pop(0))
        else:
            self.held.append(done)          # "comparing…" until released

    def compare_with_card_photo(self, capture, card_photo, done) -> None:
        self.compare_on_platform(capture, "", done)


class Printer:
    def print_receipt(self, slip, done) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    catalog = load_catalog(seeds_dir() / "catalog")
    cards = read_cards()
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for elder in (False, True):
            for lang in ("zh", "en"):
                mode = "elder" if elder else "normal"

                def shot(name: str, window: MainWindow, mode: str = mode, lang: str = lang) -> None:
                    nonlocal count
                    save(window, args.out / f"{name}-{mode}-{lang}.png")
                    count += 1

                for channel in ("kiosk", "agent", "offline"):
                    faces = Faces()
                    with Outbox(Path(tmp) / f"o-{elder}-{lang}-{channel}") as outbox:
                        flow = CitizenFlow(
                            catalog, outbox, Prefill(channel != "offline"), Printer(),
                            settings=FlowSettings(channel="agent" if channel == "agent"
                                                  else "kiosk"),
                            faces=faces, now=lambda: NOW)
                        window = MainWindow(flow.prefs, tick_ms=3_600_000,
                                            has_camera=lambda: False)
                        window.bind(flow)
                        window.resize(1920, 1080)
                        window.show()
                        flow.set_language(lang)
                        flow.set_elder(elder)
                        flow.card_placed(cards["R001"])
                        flow.choose(CERTIFICATION)
                        flow.start_item()
                        flow.give_consent(True)
                        if channel == "kiosk":
                            run_face(window, flow, faces, shot)
                        elif channel == "agent":
                            shot("face-07-agent", window)
                        else:
                            shot("face-06-not-here", window)
                        window.shutdown()
                        window.close()
                        window.deleteLater()
                        QApplication.processEvents()
    print(f"{count} screenshots in {args.out}")
    return 0


def run_face(window: MainWindow, flow: CitizenFlow, faces: Faces,
             shot: Callable[[str, MainWindow], None]) -> None:
    screen = window.stack.currentWidget()
    shot("face-01-guide", window)                 # the empty guide: the camera starting
    screen.guide.show_frame(drawn_face())
    screen.run = LivenessCapture(random.Random(2))
    screen.show_stage(CaptureStage.STRAIGHT)
    screen.redraw()
    shot("face-02-straight", window)
    screen.show_stage(CaptureStage.TURN)
    screen.redraw()
    shot("face-03-turn", window)
    flow.face_captured(CAPTURE)                   # held: "comparing…"
    shot("face-04-comparing", window)
    faces.held.pop()(FaceComparison(FaceOutcome.NO_MATCH, 0.31))
    shot("face-05-no-match", window)
    faces.answers = [FaceComparison(FaceOutcome.NO_MATCH, 0.3)] * 2
    flow.face_captured(CAPTURE)
    flow.face_captured(CAPTURE)
    shot("face-08-refused", window)


if __name__ == "__main__":
    sys.exit(main())
