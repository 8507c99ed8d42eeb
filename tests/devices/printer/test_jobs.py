"""Print jobs: status before and after, refusals that print nothing, failures that stop."""

from __future__ import annotations

import pytest

from devices.printer import (
    Paragraph,
    PrinterNotReady,
    PrinterState,
    PrinterUnavailable,
    PrintJobFailed,
    QrCode,
    Receipt,
    Separator,
    encode,
)
from devices.printer.emulator.server import PrinterEmulator
from tests.devices.printer.conftest import printer_at, wait_until

RECEIPT = Receipt((Paragraph("受理回执"), Separator(),
                   *(Paragraph(f"第{i}行 line {i}") for i in range(40)),
                   QrCode("https://t.example.cn/s/1")), name="test")


@pytest.mark.parametrize("channel", ["pty", "tcp"])
def test_a_job_prints_whole_and_is_confirmed(emulator: PrinterEmulator, profile80,
                                             channel) -> None:
    """A job on a healthy printer comes out as one cut slip, confirmed by GS r."""
    url = emulator.serial_url if channel == "pty" else emulator.tcp_url
    result = printer_at(url, profile80).print_receipt(RECEIPT)
    assert result.confirmed and result.maintenance_alert is None
    (slip,) = emulator.mechanism.slips
    assert slip.lines[0] == "受理回执" and slip.lines[-1] == "第39行 line 39"
    assert slip.qr_codes[0].data == "https://t.example.cn/s/1" and slip.cut is not None
    assert emulator.mechanism.problems == []


@pytest.mark.parametrize("state", [PrinterState.PAPER_OUT, PrinterState.COVER_OPEN,
                                   PrinterState.ERROR])
def test_not_ready_printer_refuses_before_sending_anything(emulator, profile80,
                                                           state) -> None:
    """Paper out, cover open or a fault: refused with a clear message, nothing printed."""
    emulator.set_state(state)
    with pytest.raises(PrinterNotReady) as caught:
        printer_at(emulator.serial_url, profile80).print_receipt(RECEIPT)
    assert caught.value.status is not None and caught.value.status.state is state
    assert "not started" in str(caught.value) and "请联系工作人员" in caught.value.zh
    emulator.set_state(PrinterState.OK)              # even once fixed, nothing comes out
    mech = emulator.mechanism
    assert mech.slips == [] and mech.current.is_empty() and mech.held == 0
    assert mech.received == 3 * mech.status_queries   # only DLE EOT queries were sent


def test_paper_out_message_says_what_to_do(emulator, profile80) -> None:
    """The paper-out refusal names paper out in English and 缺纸 in Chinese."""
    emulator.set_state(PrinterState.PAPER_OUT)
    with pytest.raises(PrinterNotReady) as caught:
        printer_at(emulator.tcp_url, profile80).print_receipt(RECEIPT)
    assert "paper_out" in str(caught.value) and "缺纸" in caught.value.zh


def test_offline_printer_is_unavailable(emulator, profile80) -> None:
    """No answer at all refuses the job as unavailable."""
    emulator.set_state(PrinterState.OFFLINE)
    with pytest.raises(PrinterUnavailable):
        printer_at(emulator.serial_url, profile80).print_receipt(RECEIPT)


def test_paper_near_end_prints_and_raises_an_alert(emulator, profile80) -> None:
    """Near end: the slip prints and the result carries a maintenance alert."""
    emulator.set_state(PrinterState.PAPER_NEAR_END)
    result = printer_at(emulator.serial_url, profile80).print_receipt(RECEIPT)
    assert result.maintenance_alert is not None
    assert len(emulator.mechanism.slips) == 1


@pytest.mark.parametrize("channel", ["pty", "tcp"])
def test_mid_job_paper_out_fails_the_job_and_discards_the_rest(emulator, profile80,
                                                               channel) -> None:
    """Paper runs out mid-job: failed, the rest discarded; a new roll prints nothing more."""
    emulator.mechanism.fail_after(200, PrinterState.PAPER_OUT)
    url = emulator.serial_url if channel == "pty" else emulator.tcp_url
    with pytest.raises(PrintJobFailed) as caught:
        printer_at(url, profile80, job_timeout=0.5).print_receipt(RECEIPT)
    assert caught.value.status is not None
    assert caught.value.status.state is PrinterState.PAPER_OUT
    mech = emulator.mechanism
    assert wait_until(lambda: mech.held == 0)          # DLE ENQ 2 cleared the buffer
    emulator.set_state(PrinterState.OK)                # staff change the roll
    assert mech.slips == [] and mech.current.cut is None
    assert "第39行 line 39" not in mech.current.lines


def test_without_clearing_the_half_slip_would_finish(emulator) -> None:
    """The emulator resumes held data once fixed: what the driver's DLE ENQ 2 prevents."""
    from devices.printer import get_profile

    data = encode(RECEIPT, get_profile("generic-80"))
    emulator.mechanism.fail_after(200, PrinterState.PAPER_OUT)
    emulator.mechanism.receive(bytearray(data))
    assert emulator.mechanism.held > 0
    emulator.set_state(PrinterState.OK)
    assert len(emulator.mechanism.slips) == 1


def test_a_recording_file_has_the_exact_bytes(tmp_path, profile80) -> None:
    """file:// to a plain file records the job; completion cannot be confirmed there."""
    path = tmp_path / "job.bin"
    result = printer_at(f"file://{path}", profile80).print_receipt(RECEIPT)
    assert not result.confirmed and "no status channel" in result.before.detail
    assert path.read_bytes() == encode(RECEIPT, profile80)
