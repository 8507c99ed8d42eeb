"""Fixtures of the agent services' tests: a live sandbox, an enrolled agent terminal, cards.

The platform is the real sandbox (``central``) on 127.0.0.1. "Going offline" points the
terminal's stored platform URL at a closed port of 127.0.0.1, so every call fails with a
real connection refusal, as it would in a village without signal. Cards are read once per
run through the ID-card reader emulator on a real pty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from civic.catalog.model import Catalog
from civic.catalog.residents import Resident
from civic.catalog.vocab import IdentityAssurance
from civic.identity import Identity
from civic.submission import IdentityCheck, IdentityMethod
from devices.idcard.card import IdCard
from devices.idcard.connect import connect
from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles
from kiosk.agent import AgentAuth, AgentPlatform, Vault
from kiosk.catalog.load import load_residents
from kiosk.config import AgentConfig
from kiosk.flows.submission import Attachment, BuiltSubmission, build_submission
from kiosk.identity import from_id_card
from offline_queue import credentials
from seeds import seeds_dir
from tests.central.builders import valid_form
from tests.conftest import free_port
from tests.devices.idcard.conftest import FAST

if TYPE_CHECKING:
    from central.platform import SandboxServer

RESIDENTS = seeds_dir() / "residents.toml"
AREA = "荀山村"
PIN = "135790"
TIMEOUTS = {"connect_timeout_s": 2.0, "read_timeout_s": 5.0}
SIGNATURE = b"\x89PNG\r\n\x1a\n-signature-of-a-resident-at-home"
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def residents() -> dict[str, Resident]:
    return {r.ref: r for r in load_residents(RESIDENTS)}


@pytest.fixture(scope="session")
def id_cards(tmp_path_factory: pytest.TempPathFactory,
             residents: dict[str, Resident]) -> dict[str, IdCard]:
    """ID cards of residents of the agent's area and one from elsewhere, read via a pty."""
    link = tmp_path_factory.mktemp("idcard") / "ttyIDCARD"
    local = [r.ref for r in residents.values() if r.village == AREA and r.card_type == "resident"]
    elsewhere = next(r.ref for r in residents.values() if r.village != AREA
                     and r.card_type == "resident")
    refs = [*local[:2], elsewhere]
    cards: dict[str, IdCard] = {}
    with IdCardEmulator(load_profiles(RESIDENTS), link_path=link, pacing=False,
                        seed=1) as emulator, connect(emulator.device_path, timeouts=FAST) as reader:
        for ref in refs:
            emulator.place(ref)
            assert reader.find_card()
            cards[ref] = reader.read_found_card()
            emulator.remove()
    return cards


def identity_of(card: IdCard) -> Identity:
    return from_id_card(card, dt.date.today())


def new_agent(sandbox: SandboxServer, area: str = AREA) -> str:
    """A fresh agent number on the sandbox (its PIN is ``PIN``)."""
    from central import admin

    number = f"T{next(_numbers):04d}-{free_port()}"
    admin.add_agent(sandbox.platform.settings.data_dir, number, PIN, area)
    return number


def enrol(sandbox: SandboxServer, data_dir: Path, kind: str = "agent") -> credentials.Credentials:
    from central import admin

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, kind)
    return credentials.enroll(data_dir, sandbox.url, code, kind, hostname="t",
                              app_version="0.1.0", site={"region_code": "330110", "name": "测试"})


class Line:
    """The terminal's network: ``down()`` points it at a closed port, ``up()`` back."""

    def __init__(self, data_dir: Path, creds: credentials.Credentials) -> None:
        self.data_dir, self.creds = data_dir, creds

    def down(self) -> None:
        dead = f"http://127.0.0.1:{free_port()}"
        credentials.save(self.data_dir, dataclasses.replace(self.creds, platform_url=dead))

    def up(self) -> None:
        credentials.save(self.data_dir, self.creds)


@dataclasses.dataclass
class Terminal:
    data_dir: Path
    creds: credentials.Credentials
    line: Line
    platform: AgentPlatform
    vault: Vault
    agent_number: str

    def auth(self, limits: AgentConfig | None = None, **kwargs: Any) -> AgentAuth:
        """The agent services as the app builds them (the config's [agent] defaults)."""
        return AgentAuth(self.platform, self.vault, limits or AgentConfig(), **kwargs)


@pytest.fixture
def terminal(sandbox: SandboxServer, data_dir: Path) -> Terminal:
    """An agent terminal enrolled with the sandbox, and a new agent of ``AREA``."""
    creds = enrol(sandbox, data_dir)
    return Terminal(data_dir, creds, Line(data_dir, creds), AgentPlatform(data_dir, **TIMEOUTS),
                    Vault(data_dir), new_agent(sandbox))


class WallClock:
    """A wall clock the test moves; starts at the real time (the sandbox's tokens use it)."""

    def __init__(self) -> None:
        self.t = dt.datetime.now(dt.UTC).timestamp()

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def advance_cases(sandbox: SandboxServer, steps: int = 1) -> None:
    answer = httpx.post(f"{sandbox.url}/v1/_sandbox/advance", json={"steps": steps})
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def catalog(sandbox: SandboxServer) -> tuple[Catalog, str]:
    catalog = sandbox.platform.catalog.catalog
    return catalog, str(catalog.to_document()["version"])


def application(catalog: tuple[Catalog, str], item_code: str, identity: Identity,
                **form: Any) -> BuiltSubmission:
    """What the citizen flow builds when the agent completes the form with the resident."""
    model, version = catalog
    item = model.get(item_code)
    values = {**valid_form(item.form, dt.date.today()), **form}
    for field in item.form.fields:
        if str(field.type) == "id_number":
            values[field.key] = identity.id_number.reveal()
    files = {f.key: Attachment(b"\x89PNG-scan-" + f.key.encode(), "image/png", "document")
             for f in item.form.fields if str(f.type) == "file"}
    now = dt.datetime.now().astimezone()
    # a face item (the pension certification): the agent attests the person, as the flow's
    # face-check step makes them do on the forms page
    check = IdentityCheck(IdentityMethod.AGENT_ATTESTED, now) \
        if item.identity_assurance is IdentityAssurance.FACE else None
    return build_submission(item=item, catalog_version=version, identity=identity,
                            values=values, signature_png=SIGNATURE, files=files,
                            prefill_authorised=True, now=now, channel="agent",
                            identity_check=check)


def fillable(catalog: tuple[Catalog, str], codes: list[str]) -> list[str]:
    """Items whose sample form the sandbox accepts (no bank account: see builders)."""
    model, _ = catalog
    return [c for c in codes if c in model and str(model.get(c).mode) != "query_print"
            and all(str(f.type) != "bank_account" for f in model.get(c).form.fields)]
