"""The fleet heartbeat against the real sandbox: its body, its schedule, and paper-out at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from devices.printer import PrinterState, ReceiptPrinter, get_profile, transport_for
from devices.printer.emulator.server import PrinterEmulator
from kiosk import __version__
from kiosk.documents.cups import QueueState
from kiosk.fleet import DeviceStates, HeartbeatSender
from kiosk.heartbeat import build_heartbeat
from offline_queue import Outbox
from offline_queue.events import Progress
from offline_queue.sync import SyncEngine
from tests.offline_queue.conftest import SIGNATURE, TIMEOUTS, enrolled, make_submission

if TYPE_CHECKING:
    from central.platform import SandboxServer


def fleet_entry(sandbox: SandboxServer, device_id: str) -> dict[str, Any]:
    from central import admin

    return next(row for row in admin.fleet(sandbox.platform.settings.data_dir)
                if row["device_id"] == device_id)


def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def cups_says(state: str, *reasons: str) -> Callable[[str], QueueState]:
    """What ``lpstat`` would report for the A4 queue (CUPS itself is tested in documents/)."""
    return lambda queue: QueueState(state, state != "stopped", tuple(reasons))


def test_body_has_the_spec_fields(data_dir: Path) -> None:
    """Version, uptime, skew, queue counts with oldest pending and dead ids, device states."""
    devices = DeviceStates()
    devices.report_idcard("ok")
    devices.report_smartcard("error")
    devices.report_printer("paper_near_end", "paper low")
    with Outbox(data_dir) as outbox:
        sid = outbox.enqueue(make_submission(), [SIGNATURE])
        body = build_heartbeat(app_version="9.9", uptime_s=12.7, outbox=outbox,
                               devices=devices.snapshot(),
                               a4=QueueState("stopped", False, ("media-empty-error",)),
                               sync=Progress(clock_skew_s=-3.5, last_sync_at=0.0))
    assert body["app_version"] == "9.9" and body["uptime_s"] == 12
    assert body["clock_skew_s"] == -3.5 and body["last_sync_at"] == "1970-01-01T00:00:00Z"
    assert body["queue"]["pending"] == 1 and body["queue"]["dead"] == 0
    assert body["queue"]["oldest_pending_at"].endswith("Z") and sid not in str(body["devices"])
    assert body["devices"] == {
        "idcard": "ok", "smartcard": "error",
        "printer": {"state": "paper_near_end", "detail": "paper low"},
        "a4_printer": {"state": "stopped", "reasons": ["media-empty-error"],
                       "accepting": False}}


def test_unknown_device_states_are_a_bug() -> None:
    """A worker reporting a state outside the spec's list fails loudly, at the report."""
    devices = DeviceStates()
    with pytest.raises(ValueError):
        devices.report_idcard("fine")
    with pytest.raises(ValueError):
        devices.report_printer("jammed")


def test_urgent_callback_only_on_a_new_paper_state() -> None:
    """paper_out wakes the heartbeat once; repeating it or other states do not."""
    devices = DeviceStates()
    calls: list[int] = []
    remove = devices.on_urgent(lambda: calls.append(1))
    devices.report_printer("ok")
    devices.report_printer("paper_out")
    devices.report_printer("paper_out")
    devices.report_printer("cover_open")
    devices.report_printer("paper_near_end")
    assert len(calls) == 2
    remove()
    devices.report_printer("paper_out")
    assert len(calls) == 2


def test_paper_out_reaches_the_fleet_view_at_once(sandbox: SandboxServer, data_dir: Path) -> None:
    """A real printer (the emulator) running out of paper shows in the sandbox's fleet view
    at once, with the queue's dead id, although the schedule is an hour."""
    creds = enrolled(sandbox, data_dir)
    devices = DeviceStates()
    devices.report_idcard("ok")
    with Outbox(data_dir) as outbox, PrinterEmulator(PrinterState.OK, pty=False) as emulator:
        dead_id = outbox.enqueue(make_submission(), [SIGNATURE])   # TEST-ITEM: refused, 422
        with SyncEngine(outbox, creds, **TIMEOUTS) as engine:
            assert engine.sync_once().dead == 1
            outbox.enqueue(make_submission(), [SIGNATURE])
            printer = ReceiptPrinter(lambda: transport_for(emulator.tcp_url),
                                     get_profile("generic-80"))
            sender = HeartbeatSender(outbox, data_dir, app_version=__version__,
                                     devices=devices, a4_queue="A4",
                                     a4_state=cups_says("idle"),
                                     sync_progress=engine.progress, interval_s=3600,
                                     **TIMEOUTS)
            with sender:
                assert wait_for(lambda: fleet_entry(sandbox, creds.device_id)["heartbeat"])
                emulator.set_state(PrinterState.PAPER_OUT)
                status = printer.status()                 # what the printer worker does
                devices.report_printer(status.state, status.detail)
                beat = wait_for(lambda: (fleet_entry(sandbox, creds.device_id)["heartbeat"]
                                         or {}).get("devices", {}).get("printer", {})
                                .get("state") == "paper_out"
                                and fleet_entry(sandbox, creds.device_id)["heartbeat"])
    assert beat, "paper_out did not reach the fleet view"
    assert beat["app_version"] == __version__
    assert beat["queue"]["dead_ids"] == [dead_id] and beat["queue"]["pending"] == 1
    assert beat["devices"]["idcard"] == "ok"
    assert beat["devices"]["a4_printer"]["state"] == "idle"
    assert isinstance(beat["clock_skew_s"], float) and beat["last_sync_at"] is not None
    assert sender.last_result is not None and sender.last_result.ok
    assert sender.interval_s == 300, "the platform's cadence (config) is followed"


def test_schedule_sends_repeatedly_and_stops_cleanly(sandbox: SandboxServer,
                                                     data_dir: Path) -> None:
    """On a short schedule several heartbeats arrive; stop() ends the thread."""
    enrolled(sandbox, data_dir)
    httpx.delete(f"{sandbox.url}/v1/_sandbox/counters")
    with Outbox(data_dir) as outbox:
        sender = HeartbeatSender(outbox, data_dir, app_version="t", devices=DeviceStates(),
                                 interval_s=0.1, follow_platform_interval=False, **TIMEOUTS)

        def beats() -> int:
            doc = httpx.get(f"{sandbox.url}/v1/_sandbox/counters").json()
            return sum(v for k, v in doc["requests"].items() if "heartbeat" in k
                       ) if isinstance(doc.get("requests"), dict) else 0
        with sender:
            assert wait_for(lambda: beats() >= 3)
    assert sender._thread is None


def test_failures_are_results(data_dir: Path) -> None:
    """Not enrolled, or the platform unreachable: a result saying so, nothing raised."""
    devices = DeviceStates()
    with Outbox(data_dir) as outbox:
        sender = HeartbeatSender(outbox, data_dir, app_version="t", devices=devices, **TIMEOUTS)
        assert sender.send_once().error == "not_enrolled"
        from offline_queue import credentials
        from tests.conftest import free_port

        credentials.save(data_dir, credentials.Credentials(
            f"http://127.0.0.1:{free_port()}", "kiosk-x", "token", "", "kiosk"))
        result = sender.send_once()
    assert not result.ok and result.error == "unreachable"


def test_refused_and_failing_answers_are_results(sandbox: SandboxServer, data_dir: Path) -> None:
    """A 503 from the platform is 'unavailable'; a revoked token is 'device_refused' (what
    the platform client's table says), never raised."""
    from central import admin
    from tests.offline_queue.conftest import faults

    creds = enrolled(sandbox, data_dir)
    with Outbox(data_dir) as outbox:
        sender = HeartbeatSender(outbox, data_dir, app_version="t", devices=DeviceStates(),
                                 **TIMEOUTS)
        try:
            faults(sandbox, error_503=1.0, routes=["/v1/heartbeat"])
            unavailable = sender.send_once()
        finally:
            faults(sandbox)
        admin.revoke(sandbox.platform.settings.data_dir, creds.device_id)
        refused = sender.send_once()
    assert not unavailable.ok and unavailable.error == "unavailable"
    assert not refused.ok and refused.error == "device_refused"
    assert sender.last_result == refused
