"""Serial device URLs: serial:///dev/...?baud=N and bare paths."""

from __future__ import annotations

import pytest

from devices.serialurl import SerialUrl, is_serial_url, parse_serial_url


@pytest.mark.parametrize(("url", "path", "baud"), [
    ("serial:///dev/ttyUSB0?baud=115200", "/dev/ttyUSB0", 115200),
    ("serial:///dev/ttyACM1", "/dev/ttyACM1", None),
    ("serial://dev/ttyS0?baudrate=9600", "/dev/ttyS0", 9600),
    ("/dev/ttyUSB0", "/dev/ttyUSB0", None),
    ("/tmp/pytest-1/tty IDCARD", "/tmp/pytest-1/tty IDCARD", None),
    ("serial:///tmp/a%20b?baud=57600", "/tmp/a b", 57600),
])
def test_parse(url: str, path: str, baud: int | None) -> None:
    """The path and the speed come out of both URL forms and bare paths."""
    parsed = parse_serial_url(url)
    assert (parsed.path, parsed.baudrate) == (path, baud)


def test_other_options_are_kept_and_the_url_round_trips() -> None:
    """Unknown query options are kept for the device that understands them."""
    parsed = parse_serial_url("serial:///dev/ttyUSB0?baud=19200&profile=generic-80")
    assert dict(parsed.options) == {"profile": "generic-80"}
    assert parse_serial_url(str(parsed)) == parsed
    assert str(SerialUrl("/dev/ttyS1")) == "serial:///dev/ttyS1"


@pytest.mark.parametrize(("url", "problem"), [
    ("tcp://192.0.2.10:9100", "not a serial port"),
    ("serial:///dev/ttyUSB0?baud=fast", "positive whole number"),
    ("serial:///dev/ttyUSB0?baud=0", "positive whole number"),
    ("serial://", "no device path"),
    ("", "empty"),
])
def test_bad_urls_name_the_problem(url: str, problem: str) -> None:
    """A malformed URL raises ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=problem):
        parse_serial_url(url)


def test_is_serial_url() -> None:
    """serial:// and bare paths are serial; tcp:// and file:// are not."""
    assert is_serial_url("/dev/ttyUSB0") and is_serial_url("serial:///dev/ttyS0")
    assert not is_serial_url("tcp://127.0.0.1:9100") and not is_serial_url("file:///dev/usb/lp0")
