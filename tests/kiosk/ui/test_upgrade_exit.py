"""Citizen mode making way for a newer version installed under it (a package upgrade does
not restart the kiosk): the real KioskApp over the demo's ID-card reader emulator, with
the installed version changed on disk in a site directory first on ``sys.path``, where a
new process would find it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from civic.pin import hash_pin
from kiosk import __version__
from kiosk import config as cfg
from kiosk.app.wiring import Wiring
from kiosk.demo import Demo
from kiosk.flows import Step
from kiosk.installed_version import Version, installed_version
from kiosk.systemd import UPGRADE_EXIT_STATUS
from tests.kiosk.test_installed_version import bumped, install_dist_info
from tests.kiosk.ui.driver import tap
from tests.kiosk.ui.test_app_modes import PIN, enter_technician

WAIT = 15_000
CHECK_S = 0.2


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    demo = Demo(tmp_path_factory.mktemp("demo-upgrade"), cfg.Config(), kind="kiosk",
                pacing=False, workflow_step_s=0, virtual_card=False)
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site directory ahead of the venv's, holding this version as installed."""
    path = tmp_path / "site-packages"
    install_dist_info(path, __version__)
    monkeypatch.syspath_prepend(str(path))
    assert installed_version() == Version.parse(__version__)
    return path


@pytest.fixture
def kiosk(qtbot: Any, demo: Demo, data_dir: Path, catalog: Any, site: Path) -> Iterator[Any]:
    from kiosk.app.citizen import KioskApp

    left: list[int] = []
    wiring = Wiring(idcard_url=demo.idcard.device_path, printer_url=demo.printer.tcp_url,
                    use_pcsc=False, lockdown=False, probe_camera=False,
                    extra={"tick_ms": 200, "upgrade_check_s": CHECK_S})
    cfg.write_toml(data_dir / cfg.CONFIG_FILE,
                   {"security": {"technician_pin_hash": hash_pin(PIN)}})
    app = KioskApp(data_dir, cfg.load(data_dir), wiring, catalog=catalog,
                   on_leave=left.append).open(show=False)
    app.left = left
    app.window.show()
    app.start_background()
    yield app
    demo.remove_id_card()
    app.close()
    assert QApplication.instance() is not None


def test_a_newer_version_installed_mid_session_waits_for_the_attract_screen(
        qtbot: Any, demo: Demo, kiosk: Any, site: Path) -> None:
    """Installed during a citizen's session, the newer version is noticed but the session
    goes on; when it ends and the attract screen is back, the app asks to exit with 0."""
    flow = kiosk.flow
    qtbot.waitUntil(lambda: kiosk.readers.idcard.monitor.running, timeout=WAIT)
    demo.place_id_card("R001")
    qtbot.waitUntil(lambda: flow.step is Step.CHOOSE, timeout=WAIT)
    install_dist_info(site, bumped(__version__))
    qtbot.waitUntil(lambda: kiosk.upgrade_watch.newer is not None, timeout=WAIT)
    qtbot.wait(int(CHECK_S * 1000 * 4))             # several more looks, mid-session
    assert kiosk.left == [] and flow.step is Step.CHOOSE
    demo.remove_id_card()
    qtbot.waitUntil(lambda: flow.step is Step.ATTRACT, timeout=WAIT)
    qtbot.waitUntil(lambda: kiosk.left == [UPGRADE_EXIT_STATUS], timeout=WAIT)
    assert UPGRADE_EXIT_STATUS == 0


def test_on_the_attract_screen_a_newer_version_ends_the_app_at_the_next_look(
        qtbot: Any, kiosk: Any, site: Path) -> None:
    """Nothing happens while the installed version is the running one; once a newer one
    is on disk, the app asks to exit with 0 within a look or two, once."""
    qtbot.wait(int(CHECK_S * 1000 * 3))
    assert kiosk.left == [] and kiosk.flow.step is Step.ATTRACT
    install_dist_info(site, bumped(__version__))
    qtbot.waitUntil(lambda: kiosk.left == [UPGRADE_EXIT_STATUS], timeout=WAIT)
    qtbot.wait(int(CHECK_S * 1000 * 3))
    assert kiosk.left == [UPGRADE_EXIT_STATUS]


def test_a_technician_at_the_console_is_not_cut_off_either(
        qtbot: Any, kiosk: Any, site: Path) -> None:
    """The flow is on its attract step while a technician works over it: the newer
    version waits until they leave the console, then the app asks to exit with 0."""
    technician = enter_technician(qtbot, kiosk.window)
    install_dist_info(site, bumped(__version__))
    qtbot.waitUntil(lambda: kiosk.upgrade_watch.newer is not None, timeout=WAIT)
    qtbot.wait(int(CHECK_S * 1000 * 4))
    assert kiosk.left == [] and kiosk.flow.step is Step.ATTRACT
    tap(qtbot, technician.exit_button)
    qtbot.waitUntil(lambda: kiosk.left == [UPGRADE_EXIT_STATUS], timeout=WAIT)
