"""Agent mode as the app builds it: the real sandbox on 127.0.0.1 (with its fault injection
for "no signal"), an agent terminal enrolled with it, the ID-card reader emulator on a real
pty read by the real monitor and bridge, and the window from ``build_agent_mode``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles
from kiosk import config as cfg
from kiosk.config import AgentConfig
from seeds import seeds_dir
from tests.kiosk.agent.conftest import (  # noqa: F401 - fixtures shared with the services
    AREA,
    PIN,
    enrol,
    id_cards,
    new_agent,
    residents,
)
from tests.kiosk.flows.conftest import catalog  # noqa: F401 - the real catalog, once

if TYPE_CHECKING:
    from central.platform import SandboxServer

RESIDENTS = seeds_dir() / "residents.toml"
WAIT = 15_000


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdCardEmulator]:
    link = tmp_path_factory.mktemp("idcard") / "ttyIDCARD"
    with IdCardEmulator(load_profiles(RESIDENTS), link_path=link, pacing=False,
                        seed=5) as emulator:
        yield emulator


class Signal:
    """The sandbox's fault plan as the terminal's network: ``down()`` drops every request
    before it is handled (``drop_before: 1.0``), ``up()`` clears it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def down(self) -> None:
        httpx.put(f"{self.url}/v1/_sandbox/faults", json={"drop_before": 1.0}, timeout=5)

    def up(self) -> None:
        httpx.put(f"{self.url}/v1/_sandbox/faults", json={}, timeout=5)


@dataclasses.dataclass
class Rig:
    mode: Any
    outbox: Any
    agent_number: str
    signal: Signal
    reader: IdCardEmulator
    sandbox: Any
    idcard: Any
    data_dir: Path

    def remove_card(self, qtbot: Any) -> None:
        """Take the card away and wait until the reader's monitor has seen it go."""
        with qtbot.waitSignal(self.idcard.removed, timeout=WAIT):
            self.reader.remove()

    @property
    def window(self) -> Any:
        return self.mode.window


@pytest.fixture
def agent_config() -> AgentConfig:
    """The [agent] settings the rig is built with (a test may parametrize its own)."""
    return AgentConfig(max_pin_failures=3)


@pytest.fixture
def rig(qtbot: Any, sandbox: SandboxServer, reader: IdCardEmulator, data_dir: Path,
        catalog: Any, agent_config: AgentConfig) -> Iterator[Rig]:  # noqa: F811
    from PySide6.QtWidgets import QApplication

    from devices.idcard import ReaderMonitor, connect
    from kiosk.app.agent import build_agent_mode
    from kiosk.ui.bridges.idcard import IdCardBridge
    from kiosk.ui.bridges.invoker import GuiInvoker
    from kiosk.ui.bridges.platform import OutboxBridge
    from kiosk.ui.fonts import ui_font
    from offline_queue import Outbox

    QApplication.instance().setFont(ui_font())
    enrol(sandbox, data_dir)
    signal = Signal(sandbox.url)
    config = cfg.Config(agent=agent_config)
    outbox = Outbox(data_dir / "outbox").open()
    invoker = GuiInvoker()
    bridge = OutboxBridge(outbox)
    path = reader.device_path
    idcard = IdCardBridge(ReaderMonitor(lambda: connect(path), poll_interval=0.1))
    mode = build_agent_mode(data_dir=data_dir, config=config, outbox=outbox, catalog=catalog,
                            invoker=invoker, outbox_bridge=bridge, idcard=idcard,
                            flow_settings={"online_wait_s": 1.0}, retry_cap_s=0.5,
                            offline_probe_s=0.5, tick_ms=100, has_camera=lambda: False)
    idcard.start()
    mode.window.resize(1280, 800)
    mode.window.show()
    qtbot.waitExposed(mode.window)
    yield Rig(mode, outbox, new_agent(sandbox), signal, reader, sandbox, idcard, data_dir)
    reader.remove()
    signal.up()
    idcard.stop()
    mode.close()
    bridge.close()
    invoker.close()
    outbox.close()
