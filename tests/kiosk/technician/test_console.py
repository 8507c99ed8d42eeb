"""Technician actions through real parts: emulated reader and printer, the sandbox, files.

Every action ends up in the audit trail with its outcome, and no result or audit entry
holds a citizen's name or ID number.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devices.idcard.emulator.device import IdCardEmulator
from devices.idcard.emulator.profiles import load_profiles
from devices.printer import PrinterState
from devices.printer.emulator.server import PrinterEmulator
from kiosk import config as kiosk_config
from kiosk.catalog.load import load_residents
from kiosk.systemd import LEAVE_KIOSK_EXIT_STATUS, Notifier
from kiosk.technician import discovery
from kiosk.technician.audit import AuditLog
from kiosk.technician.console import TechnicianConsole
from kiosk.technician.errors import ActionFailed
from offline_queue import Outbox, credentials
from offline_queue.sync import SyncEngine
from seeds import seeds_dir
from tests.kiosk.technician.conftest import TECHNICIAN, actions
from tests.offline_queue.conftest import (
    ADDRESS,
    ID_NUMBER,
    NAME,
    SIGNATURE,
    TIMEOUTS,
    enrolled,
    make_submission,
)

if TYPE_CHECKING:
    from central.platform import SandboxServer

RESIDENTS = seeds_dir() / "residents.toml"


@pytest.fixture
def idcard_reader(tmp_path: Path) -> Iterator[IdCardEmulator]:
    with IdCardEmulator(load_profiles(RESIDENTS), link_path=tmp_path / "ttyID", pacing=False,
                        seed=3) as emulator:
        yield emulator


@pytest.fixture
def printer() -> Iterator[PrinterEmulator]:
    with PrinterEmulator(PrinterState.OK, pty=False) as emulator:
        yield emulator


def test_reader_configured_found_and_tested_with_masked_result(
        console: TechnicianConsole, audit: AuditLog, data_dir: Path,
        idcard_reader: IdCardEmulator) -> None:
    """The technician sets the reader port, discovery shows it answering, and a test read
    returns only the masked number and name."""
    resident = next(r for r in load_residents(RESIDENTS) if r.ref == "R001")
    console.set_setting("devices.idcard_port", str(idcard_reader.device_path))
    found = console.discover()
    (port,) = [p for p in found["serial"]["ports"] if p.get("configured_as") == "idcard"]
    assert port["idcard"]["answers"]
    idcard_reader.place("R001")
    result = console.test_idcard(timeout_s=5)
    assert result["read"] and result["card_type"] == "resident"
    assert result["id_number"] != resident.id_number and result["id_number"][:3] == "330"
    assert result["name"] == resident.name[0] + "*" * (len(resident.name) - 1)
    text = audit.path.read_text()
    assert resident.id_number not in text and resident.name not in text
    assert actions(audit) == [("config.set", "ok"), ("devices.discover", "ok"),
                              ("devices.test_idcard", "ok")]


def test_suggestions_fill_only_what_is_not_configured() -> None:
    """Auto-detection proposes the first answering port and the first allowed reader."""
    found = {"serial": {"ports": [{"path": "/dev/ttyS0", "idcard": {"answers": False}},
                                  {"path": "/dev/ttyUSB0", "idcard": {"answers": True}}]},
             "pcsc": {"readers": [{"name": "Virtual PCD 00 00", "allowed": False},
                                  {"name": "ACS ACR39U 00 00", "allowed": True}]}}
    empty = kiosk_config.DevicesConfig()
    assert discovery.suggest(found, empty) == {"devices.idcard_port": "/dev/ttyUSB0",
                                               "devices.smartcard_reader": "ACS ACR39U 00 00"}
    configured = kiosk_config.DevicesConfig(idcard_port="/dev/ttyS1", smartcard_reader="X")
    assert discovery.suggest(found, configured) == {}


def test_printer_status_test_slip_and_paper_out(console: TechnicianConsole, audit: AuditLog,
                                                printer: PrinterEmulator) -> None:
    """Status and a test slip through the emulated printer; paper out fails the slip."""
    console.set_setting("devices.receipt_printer", printer.tcp_url)
    assert console.printer_status()["state"] == "ok"
    assert console.print_test_slip()["confirmed"]
    assert printer.mechanism.wait_for_slips(1, timeout=10)
    printer.set_state(PrinterState.PAPER_OUT)
    assert console.printer_status()["state"] == "paper_out"
    with pytest.raises(ActionFailed) as info:
        console.print_test_slip()
    assert info.value.action == "devices.print_test_slip" and info.value.zh
    assert actions(audit)[-1] == ("devices.print_test_slip", "failed")


def test_enrolment_with_a_code(console: TechnicianConsole, audit: AuditLog, data_dir: Path,
                               sandbox: SandboxServer) -> None:
    """A sandbox code enrols the terminal; a used code is refused; the code is not audited."""
    from central import admin

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")
    done = console.enroll(sandbox.url, code, "kiosk")
    assert credentials.load(data_dir).device_id == done["device_id"]
    assert console.config().platform.url == sandbox.url
    with pytest.raises(ActionFailed) as info:
        console.enroll(sandbox.url, code, "kiosk")
    assert "code" in info.value.en
    assert code not in audit.path.read_text()
    assert actions(audit) == [("platform.enroll", "ok"), ("platform.enroll", "failed")]


def test_configuration_is_validated(console: TechnicianConsole, audit: AuditLog) -> None:
    """Valid values are stored, invalid ones refused with what is allowed, secrets refused."""
    assert console.set_setting("platform.sync_interval_s", "120") == 120
    with pytest.raises(ActionFailed) as bad:
        console.set_setting("platform.sync_interval_s", "2")
    assert "5 to 3600" in bad.value.en
    with pytest.raises(ActionFailed):
        console.set_setting("security.technician_pin_hash", "x")
    console.set_technician_pin("86420975")
    assert console.settings()["security"]["technician_pin_hash"] == "(set)"
    assert "86420975" not in audit.path.read_text()
    assert [o for _, o in actions(audit)] == ["ok", "failed", "failed", "ok"]


def test_queue_overview_has_no_personal_data(sandbox: SandboxServer, data_dir: Path,
                                             audit: AuditLog) -> None:
    """Counts and dead items by id, code and field names; no name, number or address."""
    creds = enrolled(sandbox, data_dir)
    with Outbox(data_dir) as outbox:
        dead_id = outbox.enqueue(make_submission(), [SIGNATURE])
        with SyncEngine(outbox, creds, **TIMEOUTS) as engine:
            engine.sync_once()
        outbox.enqueue(make_submission(), [SIGNATURE])
        overview = TechnicianConsole(data_dir, TECHNICIAN, audit, outbox=outbox
                                     ).queue_overview()
    assert overview["counts"]["pending"] == 1 and overview["counts"]["dead"] == 1
    (dead,) = overview["dead"]
    assert dead["submission_id"] == dead_id and dead["http_status"] == 422
    for secret in (NAME, ID_NUMBER, ADDRESS):
        assert secret not in repr(overview)


def test_logs_viewed_and_exported_redacted(console: TechnicianConsole, audit: AuditLog,
                                           data_dir: Path, tmp_path: Path) -> None:
    """Log lines come back and go out with ID numbers masked, with the audit trail."""
    logs = data_dir / "logs"
    logs.mkdir()
    (logs / "kiosk.log.1").write_text('{"event": "old", "n": "330110194610230210"}\n')
    (logs / "kiosk.log").write_text('{"event": "x", "id": "11010519491231002X"}\n'
                                    '{"event": "y"}\n')
    lines = console.read_log(lines=1)
    assert lines == ['{"event": "y"}']
    assert "11010519491231002X" not in "".join(console.read_log())
    usb = tmp_path / "usb"
    usb.mkdir()
    exported = console.export_logs(usb)
    text = gzip.decompress(exported.read_bytes()).decode()
    assert "330110194610230210" not in text and "11010519491231002X" not in text
    assert '"event": "old"' in text and "logs.view" in text
    assert text.index("kiosk.log.1") < text.index("==> kiosk.log <==")


def test_leaving_kiosk_mode_tells_systemd(data_dir: Path, audit: AuditLog,
                                          tmp_path: Path) -> None:
    """Leaving gives the exit status the unit will not restart, and sends STOPPING=1."""
    import socket
    import tempfile

    directory = tempfile.mkdtemp(prefix="sdn")
    path = f"{directory}/notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        sock.settimeout(5)
        console = TechnicianConsole(data_dir, TECHNICIAN, audit, notifier=Notifier(path))
        assert console.leave_kiosk_mode() == LEAVE_KIOSK_EXIT_STATUS
        assert sock.recv(1024).startswith(b"STOPPING=1")
    Path(path).unlink()
    Path(directory).rmdir()
    assert actions(audit) == [("kiosk.leave", "ok")] and audit.verify() == []


def test_the_platforms_extensions_and_an_older_platform(
        console: TechnicianConsole, audit: AuditLog, sandbox: SandboxServer,
        tmp_path: Path) -> None:
    """The enrolled platform's health answer names its extensions: the sandbox offers all
    five; a platform standing for an older one (sessions, identity and records only) lacks
    video help and thinking ahead, which the console names (audited)."""
    from central import admin
    from central.platform import SandboxServer, SandboxSettings
    from civic.extensions import Extension

    code = admin.issue_enrollment_code(sandbox.platform.settings.data_dir, "kiosk")
    console.enroll(sandbox.url, code, "kiosk")
    assert console.platform_extensions() == {"offered": [str(e) for e in Extension],
                                             "missing": []}
    older = SandboxSettings(tmp_path / "older", extensions=(
        Extension.SESSIONS, Extension.IDENTITY, Extension.RECORDS))
    with SandboxServer(older) as server:
        code = admin.issue_enrollment_code(older.data_dir, "kiosk")
        console.enroll(server.url, code, "kiosk")
        found = console.platform_extensions()
    assert found == {"offered": ["sessions", "identity", "records"],
                     "missing": ["assist", "ahead"]}
    assert actions(audit)[-1] == ("platform.extensions", "ok")
