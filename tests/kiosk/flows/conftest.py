"""Fixtures for the citizen flow's tests: the real catalog, real cards, a real outbox.

Cards are read once per run through the ID-card emulator on a real pty (no pacing) and
from the virtual social-security applet; the services the flow calls out to (prefill,
printing) are small synchronous fakes owned here, which deliver their answers when the
test says so, as the Qt bridges would on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from civic.catalog import Catalog
from devices.idcard.card import IdCard
from devices.idcard.connect import connect
from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles as load_idcard_profiles
from devices.smartcard.model import SocialSecurityCard
from devices.smartcard.reader import SocialSecurityCardReader
from devices.smartcard.virtual_applet import SocialSecurityApplet
from devices.smartcard.virtual_profiles import load_profiles as load_ssc_profiles
from kiosk.catalog.load import load_catalog
from kiosk.flows import CitizenFlow, FlowSettings
from kiosk.flows.certify import RecordOutcome, RecordResult
from kiosk.flows.services import (
    PrefillResult,
    PrintOutcome,
    ProofContent,
    SessionRequest,
    SessionResult,
)
from kiosk.flows.states import PrefillOutcome
from offline_queue import Outbox
from seeds import seeds_dir
from tests.devices.idcard.conftest import FAST

RESIDENTS = seeds_dir() / "residents.toml"
TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
#: an apply item with choices, yes/no, phone and a signature; prefill from card and shared
PENSION = "11330110002503015G4007000001000"
#: a query_print item with an A4 proof
INSURANCE_PROOF = "11330110002503015G4007000018000"
#: an agent_only item
DISABILITY_CARD = "13330110002506013R4010000001000"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(seeds_dir() / "catalog")


@pytest.fixture(scope="session")
def id_cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, IdCard]:
    """Demo residents' ID cards, read through a real pty from the reader emulator."""
    link = tmp_path_factory.mktemp("idcard") / "ttyIDCARD"
    cards: dict[str, IdCard] = {}
    with IdCardEmulator(load_idcard_profiles(RESIDENTS), link_path=link, pacing=False,
                        seed=1) as emulator, connect(emulator.device_path,
                                                     timeouts=FAST) as reader:
        for ref in ("R001", "R002", "R013", "R021"):
            emulator.place(ref)
            assert reader.find_card()
            cards[ref] = reader.read_found_card()
            emulator.remove()
    return cards


def ssc_of(ref: str) -> SocialSecurityCard:
    applet = SocialSecurityApplet(load_ssc_profiles(RESIDENTS)[ref])
    return SocialSecurityCardReader(applet).read()


def tiny_png(width: int = 40, height: int = 60) -> bytes:
    """A real PNG (white with a black bar) standing in for a rendered slip or page."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).rectangle((4, 4, width - 4, 10), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class HeldPrefill:
    """Opens card sessions at once (``session`` decides the answer) and keeps the ids it
    opened and closed; answers prefill requests at once, or when the test calls
    :meth:`deliver` (as a worker would)."""

    answer: PrefillResult = field(default_factory=PrefillResult)
    pending: list[tuple[str, Callable[[PrefillResult], None]]] = field(default_factory=list)
    immediate: bool = True
    session: PrefillOutcome = PrefillOutcome.OK
    # The test's own records, kept out of the repr: the residue check reads the flow's
    # attributes (this service among them) and must find only what the real bridge holds.
    opened: list[str] = field(default_factory=list, repr=False)
    closed: list[str] = field(default_factory=list, repr=False)
    # what a record request answers (the bridge verifies; this hands over its verdict)
    record: RecordResult = field(default_factory=lambda: RecordResult(RecordOutcome.NOT_FOUND),
                                 repr=False)
    record_requests: list[str] = field(default_factory=list, repr=False)

    def open_session(self, request: SessionRequest,
                     done: Callable[[SessionResult], None]) -> None:
        if self.session is not PrefillOutcome.OK:
            done(SessionResult(self.session))
            return
        self.opened.append(f"held-session-{len(self.opened) + 1}")
        done(SessionResult(PrefillOutcome.OK, self.opened[-1]))

    def close_session(self, session_id: str) -> None:
        self.closed.append(session_id)

    def fetch(self, id_number: Any, item_code: str, session_id: str,
              done: Callable[[PrefillResult], None]) -> None:
        if self.immediate:
            done(self.answer)
        else:
            self.pending.append((item_code, done))

    def fetch_record(self, id_number: Any, item_code: str, session_id: str,
                     done: Callable[[RecordResult], None]) -> None:
        self.record_requests.append(session_id)
        done(self.record)

    def deliver(self) -> None:
        for _, done in self.pending:
            done(self.answer)
        self.pending.clear()


@dataclass
class RecordingPrinter:
    """Keeps every job; succeeds unless ``fail_with`` is set."""

    receipts: list[Any] = field(default_factory=list)
    proofs: list[ProofContent] = field(default_factory=list)
    fail_with: Any = None

    def print_receipt(self, slip: Any, done: Callable[[PrintOutcome], None]) -> None:
        self.receipts.append(slip)
        done(PrintOutcome(self.fail_with is None, tiny_png(), self.fail_with,
                          "ok" if self.fail_with is None else "paper_out"))

    def preview_proof(self, proof: ProofContent, done: Callable[[list[bytes]], None]) -> None:
        done([tiny_png(60, 85)])

    def print_proof(self, proof: ProofContent, done: Callable[[PrintOutcome], None]) -> None:
        self.proofs.append(proof)
        done(PrintOutcome(self.fail_with is None, b"", self.fail_with))


@pytest.fixture
def outbox(data_dir: Path) -> Iterator[Outbox]:
    with Outbox(data_dir / "outbox") as box:
        yield box


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def prefill() -> HeldPrefill:
    return HeldPrefill()


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


@pytest.fixture
def flow(catalog: Catalog, outbox: Outbox, prefill: HeldPrefill, printer: RecordingPrinter,
         clock: FakeClock) -> CitizenFlow:
    settings = FlowSettings(site_name="荀山村便民服务点", terminal_id="kiosk-test",
                            idle_warning_s=60, idle_countdown_s=20, online_wait_s=5)
    return CitizenFlow(catalog, outbox, prefill, printer, settings=settings, clock=clock,
                       now=lambda: NOW)
