"""``kiosk devices printer`` and ``kiosk devices emulate printer`` through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from devices.printer import PrinterState
from devices.printer.emulator.server import PrinterEmulator
from tests.conftest import REPO, free_port, run_kiosk


@pytest.mark.parametrize("channel", ["pty", "tcp"])
@pytest.mark.parametrize(("state", "code"), [
    (PrinterState.OK, 0), (PrinterState.PAPER_NEAR_END, 0), (PrinterState.PAPER_OUT, 3),
    (PrinterState.COVER_OPEN, 3), (PrinterState.ERROR, 3), (PrinterState.OFFLINE, 3)])
def test_status_json_is_exactly_state_and_detail(emulator: PrinterEmulator, data_dir, channel,
                                                 state, code) -> None:
    """status --json prints exactly {state, detail}; exit 0 if it can print, else 3."""
    emulator.set_state(state)
    url = emulator.serial_url if channel == "pty" else emulator.tcp_url
    proc = run_kiosk("devices", "printer", "status", "--printer", url, "--json",
                     data_dir=data_dir)
    assert proc.returncode == code, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"state", "detail"} and result["state"] == state.value
    if state is PrinterState.ERROR:
        assert "cutter" in result["detail"]


def test_status_rejects_a_bad_url(data_dir) -> None:
    """A malformed printer URL is bad usage (exit 1) with the reason, no traceback."""
    proc = run_kiosk("devices", "printer", "status", "--printer", "lpt://1", data_dir=data_dir)
    assert proc.returncode == 1 and "use serial://" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_test_receipt_prints_chinese_a_qr_code_and_a_cut(emulator, data_dir) -> None:
    """printer test prints Chinese text, a QR code and a cut, confirmed by the printer."""
    proc = run_kiosk("devices", "printer", "test", "--printer", emulator.tcp_url,
                     data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "confirmed" in proc.stdout
    (slip,) = emulator.mechanism.slips
    assert slip.lines[0] == "打印测试" and slip.qr_codes and slip.cut is not None
    assert emulator.mechanism.problems == []


def test_test_receipt_refused_when_paper_is_out(emulator, data_dir) -> None:
    """printer test on a printer out of paper exits 3, says so, and prints nothing."""
    emulator.set_state(PrinterState.PAPER_OUT)
    proc = run_kiosk("devices", "printer", "test", "--printer", emulator.serial_url,
                     data_dir=data_dir)
    assert proc.returncode == 3 and "paper_out" in proc.stderr and "缺纸" in proc.stderr
    assert emulator.mechanism.slips == [] and emulator.mechanism.current.is_empty()


def test_devices_list_shows_the_configured_printer(emulator, data_dir) -> None:
    """devices list --json reports the configured receipt printer with its state."""
    emulator.set_state(PrinterState.PAPER_NEAR_END)
    proc = run_kiosk("devices", "list", "--json", data_dir=data_dir,
                     env={"KIOSK_DEVICES_RECEIPT_PRINTER": emulator.tcp_url})
    assert proc.returncode == 0, proc.stderr
    receipt = json.loads(proc.stdout)["printers"]["receipt"]
    assert receipt == {"url": emulator.tcp_url, "profile": "generic-80",
                       "state": "paper_near_end", "detail": "the paper roll is nearly empty"}


def test_emulate_printer_serves_status_and_png(tmp_path, data_dir) -> None:
    """The standalone emulator prints its URLs, answers the driver and draws each slip."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli.main", "devices", "emulate", "printer", "--port",
         str(port), "--state", "cover_open", "--png-dir", str(tmp_path)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ})
    try:
        assert proc.stdout is not None and proc.stdin is not None
        serial_url, tcp_url = proc.stdout.readline().strip(), proc.stdout.readline().strip()
        assert serial_url.startswith("serial:///dev/pts/")
        assert tcp_url == f"tcp://127.0.0.1:{port}"
        status = run_kiosk("devices", "printer", "status", "--printer", tcp_url, "--json",
                           data_dir=data_dir)
        assert json.loads(status.stdout)["state"] == "cover_open"
        proc.stdin.write("state ok\n")
        proc.stdin.flush()
        printed = run_kiosk("devices", "printer", "test", "--printer", serial_url,
                            data_dir=data_dir)
        assert printed.returncode == 0, printed.stderr
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=10) == 0
        assert (tmp_path / "slip-0001.png").read_bytes().startswith(b"\x89PNG")
        assert "打印测试" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
