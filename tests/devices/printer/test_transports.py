"""Printer URLs and transports: which transport a URL names, and how serial is set up."""

from __future__ import annotations

import termios

import pytest

from devices.printer import PrinterUrlError, transport_for
from devices.printer.transports import (
    FileTransport,
    SerialTransport,
    TcpTransport,
)
from devices.printer.usblp import UsbLpTransport


@pytest.mark.parametrize(("url", "kind", "facts"), [
    ("/dev/ttyUSB0", SerialTransport, {"port": "/dev/ttyUSB0", "baudrate": 9600}),
    ("serial:///dev/ttyS1?baud=115200&flow=rtscts", SerialTransport,
     {"port": "/dev/ttyS1", "baudrate": 115200, "flow": "rtscts"}),
    ("tcp://192.0.2.10:9100", TcpTransport, {"host": "192.0.2.10", "port": 9100}),
    ("tcp://192.0.2.10", TcpTransport, {"port": 9100}),
    ("file:///tmp/receipt.bin", FileTransport, {"path": "/tmp/receipt.bin"}),
    ("file:///dev/null", UsbLpTransport, {"path": "/dev/null"}),   # a character device
    ("usb:///dev/usb/lp0", UsbLpTransport, {"path": "/dev/usb/lp0"}),
])
def test_urls_name_transports(url, kind, facts) -> None:
    """Each documented URL form gives its transport with the options applied."""
    transport = transport_for(url)
    assert isinstance(transport, kind)
    assert {k: getattr(transport, k) for k in facts} == facts


@pytest.mark.parametrize(("url", "words"), [
    ("serial:///dev/ttyS0?baud=12345", "baud"),
    ("serial:///dev/ttyS0?flow=dtrdsr", "flow"),
    ("serial:///dev/ttyS0?parity=E", "unknown option"),
    ("lpt://1", "use serial://"),
    ("", "no printer configured"),
])
def test_bad_urls_say_what_is_wrong(url, words) -> None:
    """An unusable URL raises PrinterUrlError naming the problem."""
    with pytest.raises(PrinterUrlError, match=words):
        transport_for(url)


@pytest.mark.parametrize(("flow", "cflag", "iflag"), [
    ("rtscts", termios.CRTSCTS, 0), ("xonxoff", 0, termios.IXON), ("none", 0, 0)])
def test_serial_flow_control_reaches_termios(emulator, flow, cflag, iflag) -> None:
    """rtscts sets CRTSCTS and xonxoff sets IXON on the real tty (ptys ignore the lines)."""
    transport = transport_for(f"serial://{emulator.pty_path}?baud=115200&flow={flow}")
    with transport:
        fd = transport._port().fileno()
        attrs = termios.tcgetattr(fd)
        assert attrs[2] & termios.CRTSCTS == cflag
        assert attrs[0] & termios.IXON == iflag
        assert attrs[4] == termios.B115200


def test_serial_port_is_opened_exclusively(emulator) -> None:
    """A second open of the same port fails instead of interleaving bytes."""
    from devices.printer import PrinterUnavailable

    with transport_for(emulator.serial_url), pytest.raises(PrinterUnavailable):
        transport_for(emulator.serial_url).open()
