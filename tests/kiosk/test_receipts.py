"""The submission receipt: content, masking, tracking QR, and paper = preview."""

from __future__ import annotations

import datetime as dt
import io
import tomllib

import pytest
from PIL import Image

from devices.printer import get_profile
from devices.printer.emulator.decoder import decode
from devices.printer.emulator.render import slip_png
from devices.printer.emulator.server import PrinterEmulator
from devices.printer.printer import ReceiptPrinter
from devices.printer.url import transport_for
from kiosk.receipts import (
    SubmissionReceipt,
    preview_png,
    record_slip,
    slip_bytes,
    submission_receipt,
    tracking_url,
)
from seeds import seeds_dir

TEMPLATE = "http://127.0.0.1:8765/v1/track/{submission_id}"
SUBMISSION = "0192f0c2-7b1e-7c3a-9d4e-5f6a7b8c9d0e"
P80 = get_profile("generic-80")


@pytest.fixture
def resident() -> dict:
    residents = tomllib.loads((seeds_dir() / "residents.toml").read_text("utf-8"))
    return residents["residents"][0]


def receipt_for(resident: dict, **changes) -> SubmissionReceipt:
    fields = dict(item_name="城乡居民基本养老保险参保登记", submission_id=SUBMISSION,
                  submitted_at=dt.datetime(2026, 11, 22, 14, 3),
                  applicant_name=resident["name"], applicant_id_number=resident["id_number"],
                  tracking_url_template=TEMPLATE, case_number="ZJ2026112200042",
                  next_steps="社保经办机构将在5个工作日内审核，结果以短信通知。",
                  site_name="良渚街道便民服务点")
    fields.update(changes)
    return SubmissionReceipt(**fields)


def test_online_receipt_content(resident) -> None:
    """Title, item, case number, date, masked name and ID, next steps and the tracking QR."""
    data = slip_bytes(submission_receipt(receipt_for(resident)), P80)
    (slip,) = decode(data).slips
    text = "\n".join(slip.lines)
    assert slip.lines[0] == "受理回执"
    for expected in ("城乡居民基本养老保险参保登记", "ZJ2026112200042", "2026-11-22 14:03",
                     "张**", "330***********0210", "5个工作日内审核"):
        assert expected in text
    assert [q.data for q in slip.qr_codes] == [f"http://127.0.0.1:8765/v1/track/{SUBMISSION}"]


def test_personal_data_is_only_ever_masked(resident) -> None:
    """Neither the real name nor the ID number appears in the bytes or the repr."""
    info = receipt_for(resident)
    data = slip_bytes(submission_receipt(info), P80)
    assert resident["id_number"].encode() not in data
    assert resident["name"].encode("gbk") not in data
    assert resident["id_number"] not in repr(info) and resident["name"] not in repr(info)


def test_offline_receipt_shows_the_local_number(resident) -> None:
    """Offline, the slip carries the local receipt number and says it will be sent later."""
    info = receipt_for(resident, case_number=None, local_receipt_number="L-0007-000123")
    (slip,) = decode(slip_bytes(submission_receipt(info), P80)).slips
    text = "\n".join(slip.lines)
    assert slip.lines[0] == "提交回执" and "L-0007-000123" in text and "网络恢复后" in text
    assert "受理编号  " not in text


def test_receipt_without_any_number_is_a_bug(resident) -> None:
    """A receipt with neither case number nor local number is refused."""
    with pytest.raises(ValueError):
        receipt_for(resident, case_number=None)


def test_tracking_url_fills_the_placeholder() -> None:
    """The template's {submission_id} is replaced; a template without it is refused."""
    assert tracking_url("https://p.example.cn/track/{submission_id}", "a b") == \
        "https://p.example.cn/track/a%20b"
    with pytest.raises(ValueError):
        tracking_url("https://p.example.cn/track/", "x")


def test_preview_is_exactly_what_the_printer_prints(resident) -> None:
    """The preview PNG equals the emulator's picture of the slip it received on the pty."""
    data = slip_bytes(submission_receipt(receipt_for(resident)), P80)
    preview = preview_png(data, P80)
    with PrinterEmulator(tcp_port=None) as emulator:
        printer = ReceiptPrinter(lambda: transport_for(emulator.serial_url), P80)
        printer.print_bytes(data)
        (printed,) = emulator.mechanism.slips
    assert slip_png(printed, P80.dots) == preview
    image = Image.open(io.BytesIO(preview))
    assert image.width == P80.dots + 32 and image.height > 600


def english(resident: dict, **changes) -> SubmissionReceipt:
    fields = dict(item_name="Basic pension insurance registration (urban and rural residents)",
                  official_item_name="城乡居民基本养老保险参保登记", language="en",
                  next_steps="Decided within 5 working days; the result comes by SMS.")
    fields.update(changes)
    return receipt_for(resident, **fields)


def test_english_slip_for_an_english_session(resident) -> None:
    """An English session's slip has English labels and texts, the official Chinese title
    and item name for staff, the masked name and ID number, and the same tracking QR."""
    (slip,) = decode(slip_bytes(submission_receipt(english(resident)), P80)).slips
    text = "\n".join(slip.lines)
    assert slip.lines[0] == "RECEIPT" and slip.lines[1] == "受理回执"
    for expected in ("Service", "Basic pension insurance", "城乡居民基本养老保险参保登记",
                     "Case no.", "ZJ2026112200042", "Submitted", "2026-11-22 14:03",
                     "Applicant", "张**", "ID number", "330***********0210",
                     "What happens next", "5 working days", "Scan to follow",
                     "Please keep this receipt"):
        assert expected in text, expected
    for chinese_label in ("办理事项", "受理编号", "申请人", "后续事项"):
        assert chinese_label not in text
    assert [q.data for q in slip.qr_codes] == [f"http://127.0.0.1:8765/v1/track/{SUBMISSION}"]
    assert all(len(line) <= P80.columns for line in slip.lines if line.isascii())


def test_offline_english_slip_explains_in_english(resident) -> None:
    """Offline in English: the local number and when it will be sent, in English."""
    info = english(resident, case_number=None, local_receipt_number="L-0007-000123")
    (slip,) = decode(slip_bytes(submission_receipt(info), P80)).slips
    text = " ".join(slip.lines)
    assert slip.lines[0] == "SUBMITTED" and "Local receipt" in text and "L-0007-000123" in text
    assert "network is back" in text and "网络恢复后" not in text


def test_one_layout_for_both_languages(resident) -> None:
    """Chinese and English slips have the same elements in the same order (the English one
    adds only the Chinese title and official item name)."""
    zh = submission_receipt(receipt_for(resident)).elements
    en = [e for e in submission_receipt(english(resident)).elements
          if getattr(e, "text", None) not in ("受理回执", "城乡居民基本养老保险参保登记")]
    assert [type(e).__name__ for e in zh] == [type(e).__name__ for e in en]
    assert [getattr(e, "align", None) for e in zh] == [getattr(e, "align", None) for e in en]


def test_english_preview_is_exactly_what_the_printer_prints(resident) -> None:
    """The on-screen copy of an English slip is the printer's picture of the same bytes."""
    data = slip_bytes(submission_receipt(english(resident)), P80)
    with PrinterEmulator(tcp_port=None) as emulator:
        printer = ReceiptPrinter(lambda: transport_for(emulator.serial_url), P80)
        printer.print_bytes(data)
        (printed,) = emulator.mechanism.slips
    assert slip_png(printed, P80.dots) == preview_png(data, P80)


def test_slip_language_is_checked(resident) -> None:
    """A slip in a language we have no texts for is a bug, refused at once."""
    with pytest.raises(ValueError):
        receipt_for(resident, language="fr")


@pytest.mark.parametrize(("profile", "language"), [("generic-80", "zh"), ("generic-58", "en")])
def test_a_certified_record_slip(profile: str, language: str) -> None:
    """A verified record on the slip, as the printer decodes it: the record's title, masked
    holder, every row, its id and verification code, and a QR of its verify URL; an English
    slip also carries the Chinese title."""
    from kiosk.catalog.load import load_catalog
    from tests.kiosk.flows.conftest import INSURANCE_PROOF, NOW
    from tests.kiosk.flows.helpers import certified_answer

    catalog = load_catalog(seeds_dir() / "catalog")
    record = certified_answer(catalog, "R001", INSURANCE_PROOF, NOW).record
    assert record is not None
    data = slip_bytes(record_slip(record, site_name="良渚街道便民服务点", language=language),
                      get_profile(profile))
    (slip,) = decode(data).slips
    printed = "".join(slip.lines).replace(" ", "")
    assert slip.lines[0] == ("核验记录" if language == "zh" else "CERTIFIED RECORD")
    assert "核验记录" in printed and record.title.get(language).replace(" ", "") in printed
    for row in record.rows:
        assert row.value.replace(" ", "") in printed
    assert "张**" in printed and "张建国" not in printed and "330110194610230210" not in printed
    assert record.record_id in printed and record.verification_code in printed
    assert [q.data for q in slip.qr_codes] == [record.verify_url]
