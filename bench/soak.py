"""Thousands of simulated citizen sessions through the real window: memory and leaks.

    .venv/bin/python bench/soak.py [--sessions 2000]

Offscreen, a real MainWindow over a real CitizenFlow with the real outbox (fsynced
enqueues) and wipe; the card is a demo resident's, read once from the ID-card emulator.
Sessions rotate through: a full apply journey to the receipt (form rows built, signature
drawn, submission queued, receipt shown), an agent_only explanation, a card taken away
mid-form, and an idle expiry on the form. The receipt preview is the real slip's
rendering (the printer emulator's decoder and renderer on the real bytes), shown as a
pixmap on the receipt screen. Memory (RSS, after ``malloc_trim``) is measured after a
warm-up, half-way and at the end, with glibc's count of heap bytes in use (``mallinfo2``):
RSS growing while the heap in use stays flat is fragmentation, both growing is a leak.
Leaked objects are Python objects by type and live QWidgets, compared the same way.
Targets: growth ≤ 10 MB, no type growing with the number of sessions.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.catalog.load import load_catalog  # noqa: E402
from kiosk.flows import CitizenFlow, FlowSettings, Step  # noqa: E402
from kiosk.flows.services import PrefillResult, PrintOutcome  # noqa: E402
from kiosk.ui.fonts import ui_font  # noqa: E402
from kiosk.ui.keyboard import VirtualKeyboard  # noqa: E402
from kiosk.ui.main_window import MainWindow  # noqa: E402
from kiosk.ui.speech import NullSpeaker  # noqa: E402
from kiosk.ui.wipe import Wiper  # noqa: E402
from offline_queue import Outbox  # noqa: E402
from seeds import seeds_dir  # noqa: E402

PENSION = "11330110002503015G4007000001000"
AGENT_ONLY = "13330110002506013R4010000001000"


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


class Printer:
    """Synchronous; the preview is the real slip's rendering, as the printer bridge makes it."""

    def __init__(self) -> None:
        from devices.printer import get_profile
        from devices.printer.glyphs import GlyphRenderer

        self.profile, self.glyphs = get_profile("generic-80"), GlyphRenderer()

    def print_receipt(self, slip, done) -> None:
        from kiosk.receipts import preview_png, slip_bytes

        preview = preview_png(slip_bytes(slip, self.profile), self.profile, self.glyphs)
        done(PrintOutcome(True, preview))

    def preview_proof(self, proof, done) -> None:
        done([PNG])

    def print_proof(self, proof, done) -> None:
        done(PrintOutcome(True))


class Prefill:
    def fetch(self, id_number, item_code, done) -> None:
        done(PrefillResult({"phone": "13805710000"}))


def trim() -> None:
    """Give freed heap back to the OS (glibc), so RSS shows what is still held."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):    # not glibc: measure as is
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def rss_mb() -> float:
    gc.collect()
    trim()
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def heap_in_use_mb() -> float:
    """glibc's bytes handed out by malloc and not freed (``mallinfo2().uordblks``)."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]
    try:
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = MallInfo2
        return libc.mallinfo2().uordblks / 1e6
    except (OSError, AttributeError):        # not glibc
        return float("nan")


def sqlite_mb() -> float:
    """SQLite's own allocations (page caches of the outbox connection): bounded by
    ``cache_size`` (default 2 MiB per connection), so it levels off."""
    import ctypes

    try:
        lib = ctypes.CDLL("libsqlite3.so.0")
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        return lib.sqlite3_memory_used() / 1e6
    except (OSError, AttributeError):
        return float("nan")


def census() -> Counter[str]:
    gc.collect()
    counts: Counter[str] = Counter(type(o).__name__ for o in gc.get_objects())
    counts["<QWidget alive>"] = len(QApplication.allWidgets())
    return counts


def read_card():
    from devices.idcard.connect import connect
    from devices.idcard.emulator.device import IdCardEmulator
    from devices.idcard.emulator.profiles import load_profiles

    with tempfile.TemporaryDirectory() as tmp, \
            IdCardEmulator(load_profiles(seeds_dir() / "residents.toml"),
                           link_path=Path(tmp) / "tty", pacing=False) as emulator, \
            connect(emulator.device_path) as reader:
        emulator.place("R001")
        reader.find_card()
        return reader.read_found_card()


def session(n: int, window: MainWindow, flow: CitizenFlow, card, clock: list[float]) -> None:
    flow.card_placed(card)
    kind = n % 4
    if kind == 1:
        flow.choose(AGENT_ONLY)
        flow.finish()
        flow.card_removed()
        return
    flow.choose(PENSION)
    flow.start_item()
    flow.give_consent(kind != 2)
    for field in flow.visible_fields():
        if field.key not in flow.values and not field.readonly:
            if field.choices:
                flow.set_value(field.key, field.choices[0].value)
            elif str(field.type) == "yes_no":
                flow.set_value(field.key, True)
    if kind == 2:
        flow.card_removed()                       # taken away mid-form
        return
    if kind == 3:
        clock[0] += 1000                          # walked away: idle expiry
        window.tick()
        return
    flow.to_review()
    flow.confirm_review()
    pad = window.stack.currentWidget().pad
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    QTest.mouseMove(pad, QPoint(200, 80))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(220, 90))
    flow.sign(pad.png())
    clock[0] += 10
    window.tick()                                 # offline: receipt after the wait
    assert flow.step is Step.RECEIPT, flow.step
    flow.card_removed()
    flow.finish()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setFont(ui_font())
    catalog = load_catalog(seeds_dir() / "catalog")
    card = read_card()
    clock = [1000.0]
    with tempfile.TemporaryDirectory() as data, Outbox(Path(data) / "outbox") as outbox:
        flow = CitizenFlow(catalog, outbox, Prefill(), Printer(), settings=FlowSettings(),
                           clock=lambda: clock[0])
        window = MainWindow(flow.prefs, tick_ms=3_600_000, has_camera=lambda: False)
        window.bind(flow)
        keyboard = VirtualKeyboard()
        wiper = Wiper(flow, window, keyboard, NullSpeaker())
        window.resize(1920, 1080)
        window.show()
        for n in range(args.warmup):
            session(n, window, flow, card, clock)
            app.processEvents()
        before, rss_before, heap_before = census(), rss_mb(), heap_in_use_mb()
        sql_before = sqlite_mb()
        started = time.perf_counter()
        half = args.sessions // 2
        for n in range(args.sessions):
            session(n, window, flow, card, clock)
            app.processEvents()
            if n == half - 1:
                middle, rss_middle, heap_middle = census(), rss_mb(), heap_in_use_mb()
        elapsed = time.perf_counter() - started
        after, rss_after, heap_after = census(), rss_mb(), heap_in_use_mb()
        sql_after = sqlite_mb()
        queued = outbox.stats()["pending"]
        wiper.close()
        keyboard.close()
        window.shutdown()
    grown = {k: after[k] - before[k] for k in after if after[k] - before[k] > 0}
    # A leak grows in both halves; a binding's lazy set-up (first use of a Qt enum or
    # method) grows once. Report what grew by at least one per 50 sessions in each half.
    per_half = max(1, half // 50)
    suspicious = {k: (middle[k] - before[k], after[k] - middle[k]) for k in grown
                  if middle[k] - before[k] >= per_half and after[k] - middle[k] >= per_half}
    print(f"sessions            : {args.sessions} after {args.warmup} warm-up "
          f"({elapsed:.1f} s, {args.sessions / elapsed:.0f} per s; {queued} queued)")
    print(f"wipes               : {wiper.count}")
    print(f"RSS (after trim)     : {rss_before:.1f} -> {rss_middle:.1f} -> {rss_after:.1f} MB "
          f"(growth {rss_after - rss_before:+.1f} MB, second half "
          f"{rss_after - rss_middle:+.1f} MB; target <= 10)")
    print(f"heap in use (malloc): {heap_before:.1f} -> {heap_middle:.1f} -> {heap_after:.1f} MB "
          f"(growth {heap_after - heap_before:+.1f} MB, second half "
          f"{heap_after - heap_middle:+.1f} MB)")
    print(f"of which SQLite     : {sql_before:.1f} -> {sql_after:.1f} MB (page cache, bounded)")
    print(f"live QWidgets       : {before['<QWidget alive>']} -> {after['<QWidget alive>']}")
    print(f"object types grown  : {len(grown)} (lazy binding set-up included); growing in "
          f"both halves by >= 1 per 50 sessions: {suspicious or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
