"""Starting and stopping the demo's platform and devices (no Qt here; see simulator.py)."""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from civic.catalog import Resident
from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles as load_idcard_profiles
from devices.printer import PrinterState
from devices.printer.emulator.server import PrinterEmulator
from kiosk import config as cfg
from kiosk.app.wiring import Wiring
from kiosk.catalog.load import load_residents
from kiosk.closing import close_in_reverse
from seeds import seeds_dir

log = logging.getLogger(__name__)
RESIDENTS = seeds_dir() / "residents.toml"
#: the village agent the demo creates for ``kiosk run --mode agent --demo`` (a sandbox
#: account on loopback, shown in the simulator window; never a real one)
DEMO_AGENT_NUMBER, DEMO_AGENT_PIN, DEMO_AGENT_AREA = "DEMO01", "135790", "荀山村"
#: the demo's hall clerk, who answers video calls at the sandbox's /clerk/ console in a
#: browser (shown in the log at start; a sandbox account on loopback, never a real one)
DEMO_CLERK_NUMBER, DEMO_CLERK_PIN, DEMO_CLERK_NAME = "DEMOC1", "246810", "演示坐席"


def vpcd_available() -> bool:
    """A running pcscd with vsmartcard's vpcd driver configured (connecting to its port
    would insert a card, so the port itself is not probed)."""
    return Path("/run/pcscd/pcscd.comm").exists() and any(
        Path(p).exists() for p in ("/etc/reader.conf.d/vpcd", "/etc/reader.conf.d/vpcd.conf"))


class Demo:
    """The demo environment; ``start()`` → :class:`Wiring`, ``stop()`` stops everything."""

    def __init__(self, data_dir: Path, config: cfg.Config, *, kind: str = "kiosk",
                 pacing: bool = True, workflow_step_s: float = 20.0,
                 virtual_card: bool | None = None) -> None:
        self.data_dir, self.config, self.kind = data_dir, config, kind
        self.root = data_dir / "demo"
        self.pacing, self.workflow_step_s = pacing, workflow_step_s
        self._want_virtual = virtual_card
        self.residents: list[Resident] = load_residents(RESIDENTS)
        self.slips: list[Path] = []
        # what the emulated printer decoded of each slip (lines, QR payloads), for tests
        self.decoded_slips: list[Any] = []
        self.on_slip: Callable[[Path], None] = lambda _p: None
        self._stoppers: list[Callable[[], object]] = []
        self.virtual_card: Any = None
        self.network_cut = False

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> Wiring:
        from central.platform import SandboxServer, SandboxSettings
        from central.workflow import WorkflowSchedule

        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.sandbox = SandboxServer(SandboxSettings(
            self.root / "central", workflow=WorkflowSchedule(step_s=self.workflow_step_s)))
        self.sandbox.start()
        self._stoppers.append(self.sandbox.stop)
        self.enrol(self.data_dir)
        if self.kind == "agent":
            self.add_demo_agent()
        self.add_demo_clerk()
        self.idcard = IdCardEmulator(load_idcard_profiles(RESIDENTS),
                                     link_path=self.root / "ttyIDCARD", pacing=self.pacing)
        self.idcard.start()
        self._stoppers.append(self.idcard.stop)
        (self.root / "slips").mkdir(exist_ok=True)
        self.printer = PrinterEmulator(pty=False, tcp_port=0, png_dir=self.root / "slips",
                                       on_slip=self._slip)
        self.printer.start()
        self._stoppers.append(self.printer.stop)
        use_pcsc = vpcd_available() if self._want_virtual is None else self._want_virtual
        if use_pcsc:
            from devices.smartcard.virtual_card import VirtualCard

            self.virtual_card = VirtualCard()
            self._stoppers.append(self.virtual_card.remove)
        log.info("demo.started", extra={"ctx": {"platform": self.sandbox.url,
                                                "pcsc": use_pcsc}})
        return Wiring(idcard_url=self.idcard.device_path, printer_url=self.printer.tcp_url,
                      allow_virtual_reader=True, use_pcsc=use_pcsc,
                      a4_out_dir=self.root / "a4", lockdown=False,
                      face_source=demo_face_source(),
                      extra={"offline_probe_s": 3.0, "retry_cap_s": 10.0})

    def enrol(self, data_dir: Path) -> None:
        """Enrol the terminal whose state is ``data_dir`` with the sandbox."""
        from central import admin
        from offline_queue import credentials

        code = admin.issue_enrollment_code(self.sandbox.platform.settings.data_dir, self.kind)
        t = self.config.terminal
        credentials.enroll(data_dir, self.sandbox.url, code, self.kind,
                           hostname=socket.gethostname(), app_version="demo",
                           site={"region_code": t.site_region_code, "name": t.site_name})

    def add_demo_agent(self) -> None:
        """The demo's village agent on the sandbox (kept across runs, like its data)."""
        from central import admin

        with contextlib.suppress(admin.AdminError):      # created by an earlier demo run
            admin.add_agent(self.sandbox.platform.settings.data_dir, DEMO_AGENT_NUMBER,
                            DEMO_AGENT_PIN, DEMO_AGENT_AREA, display_name="演示代办员")

    def add_demo_clerk(self) -> None:
        """The demo's hall clerk on the sandbox (kept across runs): sign in at
        ``<sandbox>/clerk/`` to answer the kiosk's video calls."""
        from central import admin

        with contextlib.suppress(admin.AdminError):      # created by an earlier demo run
            admin.add_clerk(self.sandbox.platform.settings.data_dir, DEMO_CLERK_NUMBER,
                            DEMO_CLERK_PIN, DEMO_CLERK_NAME)
        # the PIN is in the README, never in a log
        log.info("demo.clerk_console", extra={"ctx": {"url": f"{self.sandbox.url}/clerk/",
                                                      "clerk": DEMO_CLERK_NUMBER}})

    def open_simulator(self, kiosk: Any) -> None:
        from kiosk.demo.simulator import SimulatorWindow

        self.simulator = SimulatorWindow(self, kiosk)
        self.simulator.show()
        self._stoppers.append(self.simulator.close)

    def stop(self) -> None:
        close_in_reverse(self._stoppers, log, "demo.stop_failed")

    # -- what the simulator (or a test) does -------------------------------------------------
    def place_id_card(self, ref: str) -> None:
        self.idcard.place(ref)

    def remove_id_card(self) -> None:
        self.idcard.remove()

    def insert_social_security_card(self, ref: str) -> None:
        from devices.smartcard.virtual_profiles import load_profiles

        if self.virtual_card is not None:
            self.virtual_card.insert(load_profiles(RESIDENTS)[ref])

    def remove_social_security_card(self) -> None:
        if self.virtual_card is not None:
            self.virtual_card.remove()

    def cut_network(self, cut: bool = True) -> None:
        """Every request to the platform is dropped before it is handled (or not)."""
        plan = {"drop_before": 1.0} if cut else {}
        httpx.put(f"{self.sandbox.url}/v1/_sandbox/faults", json=plan, timeout=5)
        self.network_cut = cut

    def set_paper(self, state: PrinterState) -> None:
        self.printer.set_state(state)

    def _slip(self, slip: Any, path: Path | None) -> None:    # printer-emulator thread
        self.decoded_slips.append(slip)
        if path is not None:
            self.slips.append(path)
            self.on_slip(path)


def demo_face_source() -> Callable[[], Any] | None:
    """The demo's face camera: a synthetic one showing Grace Hopper's public-domain portrait
    (the sandbox's registry photo of demo resident R002), who turns her head as the screen
    asks; None without matplotlib (the demo extra), and the kiosk then looks for a real
    camera."""
    from faces.samples import GRACE_HOPPER

    if not GRACE_HOPPER.installed():
        return None

    def source() -> Any:
        from faces.synthetic import SyntheticCamera
        from kiosk.ui.face_frames import SyntheticFrames

        return SyntheticFrames(SyntheticCamera(GRACE_HOPPER.read()), fps=15)
    return source
