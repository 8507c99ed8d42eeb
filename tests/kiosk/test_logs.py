"""Logs: structured records, with ID numbers and personal fields masked wherever they appear."""

from __future__ import annotations

import io
import json
import logging
import threading
from pathlib import Path

import pytest

from civic.pii import Personal, mask_id_number, redact_text
from kiosk import logs

ID = "11010519491231002X"
NAME = "欧阳娜娜"
ADDRESS = "浙江省杭州市西湖区文三路100号"


@pytest.fixture
def logged(data_dir: Path):
    stream = io.StringIO()
    logs.configure(data_dir, level="DEBUG", stderr_level="DEBUG", stream=stream)
    yield data_dir / logs.LOG_DIR / logs.LOG_FILE, stream
    logs.configure(None, stderr_level="CRITICAL", stream=io.StringIO())
    import sys
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__


def read_records(path: Path) -> list[dict]:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_masking_keeps_first_three_and_last_four() -> None:
    """The masking rule of the spec: 330***********1234."""
    assert mask_id_number("330106199001011234") == "330***********1234"
    assert mask_id_number("123") == "***"


def test_redact_text_finds_numbers_inside_chinese_text() -> None:
    """ID numbers glued to Chinese characters, 15-digit and foreign numbers are all masked."""
    text = f"申请人{ID}已提交，旧号码110105491231002，外国人USA123456789012。"
    out = redact_text(text)
    assert ID not in out and "110105491231002" not in out and "USA123456789012" not in out
    assert "110***********002X" in out


def test_personal_wrapper_never_prints_the_value() -> None:
    """str, repr and f-strings of a Personal value are masked; reveal() gives the value."""
    name = Personal(NAME, "name")
    number = Personal(ID, "id_number")
    for text in (str(name), repr(name), f"{name}", f"{name:>10}", str([name, number])):
        assert NAME not in text and ID not in text
    assert name.reveal() == NAME and str(number) == "110***********002X"
    assert Personal(NAME) == Personal(NAME)


def test_log_file_and_stderr_hold_no_personal_data(logged) -> None:
    """Whatever a careless call passes — message, args, context, exception — is masked."""
    path, stream = logged
    log = logging.getLogger("kiosk.test")
    log.info("session.identified %s", ID, extra={"ctx": {
        "applicant": Personal(NAME, "name"), "address": Personal(ADDRESS, "address"),
        "raw": f"id={ID}", "nested": {"ids": [ID]}}})
    try:
        raise ValueError(f"bad number {ID}")
    except ValueError:
        log.exception("form.failed", extra={"ctx": {"item": "330100-000-XK-0001"}})
    records = read_records(path)
    everything = path.read_text(encoding="utf-8") + stream.getvalue()
    assert ID not in everything and NAME not in everything and ADDRESS not in everything
    assert records[0]["event"] == "session.identified 110***********002X"
    assert records[0]["applicant"] == "欧***"
    assert records[1]["item"] == "330100-000-XK-0001"
    assert "ValueError" in records[1]["traceback"]


def test_log_file_is_owner_only(logged) -> None:
    """The log file cannot be read by other users of the machine."""
    path, _ = logged
    logging.getLogger("kiosk.test").warning("x")
    assert path.stat().st_mode & 0o077 == 0


def test_uncaught_exception_in_a_thread_is_logged(logged) -> None:
    """threading.excepthook sends a worker's crash to the log with its traceback, redacted."""
    path, _ = logged

    def crash() -> None:
        raise RuntimeError(f"reader died holding {ID}")

    worker = threading.Thread(target=crash, name="reader-worker")
    worker.start()
    worker.join()
    records = [r for r in read_records(path) if r["event"] == "uncaught_exception"]
    assert records and records[0]["thread"] == "reader-worker"
    assert "RuntimeError" in records[0]["traceback"] and ID not in records[0]["traceback"]
