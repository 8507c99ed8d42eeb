"""Printer status (printing.md §1.9): every state, as a pure mapping and over pty and TCP."""

from __future__ import annotations

import pytest

from devices.printer import PrinterState, PrinterStatus
from devices.printer.emulator.server import PrinterEmulator
from devices.printer.status import interpret, is_gs_r_reply, is_rt_status, lp_status
from tests.devices.printer.conftest import printer_at


@pytest.mark.parametrize(("replies", "state"), [
    ((0x12, None, None, 0x12), PrinterState.OK),
    ((0x16, None, None, 0x12), PrinterState.OK),                 # drawer pin high is fine
    ((0x12, None, None, 0x1E), PrinterState.PAPER_NEAR_END),
    ((0x1A, 0x32, None, 0x7E), PrinterState.PAPER_OUT),
    ((0x1A, 0x16, None, 0x12), PrinterState.COVER_OPEN),
    ((0x1A, 0x52, 0x1A, 0x12), PrinterState.ERROR),
    ((0x1A, 0x12, None, 0x12), PrinterState.OFFLINE),            # offline, cause unknown
    ((None, None, None, None), PrinterState.OFFLINE),
])
def test_spec_test_vectors_map_to_states(replies, state) -> None:
    """The DLE EOT replies of §1.7 give the state §1.9 names."""
    assert interpret(*replies).state is state


@pytest.mark.parametrize(("n3", "words"), [(0x1A, "cutter"), (0x32, "unrecoverable"),
                                           (0x52, "auto-recoverable")])
def test_error_detail_names_the_cause(n3, words) -> None:
    """An error's detail says which fault DLE EOT 3 reported."""
    assert words in interpret(0x1A, 0x52, n3, 0x12).detail


def test_reply_masks_tell_status_from_end_of_job_replies() -> None:
    """0xx1xx10 is a DLE EOT reply, 0xx0xxxx a GS r reply, and they never overlap."""
    assert all(is_rt_status(b) for b in (0x12, 0x16, 0x1A, 0x32, 0x52, 0x7E, 0x1E))
    assert all(is_gs_r_reply(b) for b in (0x00, 0x03, 0x0C))
    assert not any(is_rt_status(b) and is_gs_r_reply(b) for b in range(256))


@pytest.mark.parametrize(("byte", "state"), [(0x18, PrinterState.OK),
                                             (0x38, PrinterState.PAPER_OUT),
                                             (0x08, PrinterState.OFFLINE),
                                             (0x10, PrinterState.ERROR)])
def test_usb_1284_status_byte(byte, state) -> None:
    """LPGETSTATUS: 0x20 paper empty, 0x10 selected, 0x08 no error."""
    assert lp_status(byte).state is state


@pytest.mark.parametrize("channel", ["pty", "tcp"])
@pytest.mark.parametrize("state", list(PrinterState))
def test_every_state_over_each_channel(emulator: PrinterEmulator, profile80, channel,
                                       state) -> None:
    """The driver reads each state the emulator is set to, over a pty and over TCP."""
    emulator.set_state(state)
    url = emulator.serial_url if channel == "pty" else emulator.tcp_url
    status = printer_at(url, profile80).status()
    assert status.state is state
    assert (status.detail == "") == (state is PrinterState.OK)


def test_unplugged_serial_port_is_offline(tmp_path, profile80) -> None:
    """A serial port that does not exist reads as offline, with the reason."""
    status = printer_at(f"serial://{tmp_path}/ttyUSB9", profile80).status()
    assert status.state is PrinterState.OFFLINE and "cannot open" in status.detail


def test_refused_tcp_connection_is_offline(profile80) -> None:
    """Nothing listening on the port reads as offline."""
    from tests.conftest import free_port

    status = printer_at(f"tcp://127.0.0.1:{free_port()}", profile80).status()
    assert status == PrinterStatus(PrinterState.OFFLINE, status.detail)
    assert "cannot connect" in status.detail


def test_usb_printer_class_transport_reads_status(emulator, profile80) -> None:
    """The non-blocking usblp transport (poll + read) gets DLE EOT answers too."""
    emulator.set_state(PrinterState.COVER_OPEN)
    status = printer_at(f"usb://{emulator.pty_path}", profile80).status()
    assert status.state is PrinterState.COVER_OPEN
