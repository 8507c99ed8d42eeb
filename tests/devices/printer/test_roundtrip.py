"""Round trips: what the encoder sends, the emulator's decoder reads back element by element."""

from __future__ import annotations

import segno
from PIL import Image

from devices.printer import (
    Align,
    Barcode128,
    Feed,
    Paragraph,
    QrCode,
    Raster,
    Receipt,
    Row,
    Separator,
    encode,
    get_profile,
)
from devices.printer.emulator.decoder import decode
from devices.printer.emulator.model import FeedElement, Slip, TextLine

P80, NOQR = get_profile("generic-80"), get_profile("pos-5890")


def one_slip(*elements, profile=P80) -> Slip:
    """Encode a receipt and decode it; it must give exactly one slip and no problem."""
    decoded = decode(encode(Receipt(tuple(elements)), profile))
    assert decoded.problems == []
    assert len(decoded.slips) == 1 and decoded.current.is_empty()
    return decoded.slips[0]


def test_text_with_attributes_round_trips() -> None:
    """Text, alignment, bold, underline and size come back as they were set."""
    slip = one_slip(Paragraph("受理回执", align=Align.CENTER, bold=True, width=2, height=2),
                    Paragraph("note", underline=2), Paragraph("右", align=Align.RIGHT))
    title, note, right = [e for e in slip.elements if isinstance(e, TextLine)]
    assert title.text == "受理回执" and title.align is Align.CENTER
    span = title.spans[0]
    assert (span.bold, span.width, span.height) == (True, 2, 2)
    assert note.spans[0].underline == 2 and not note.spans[0].bold
    assert right.align is Align.RIGHT and right.text == "右"


def test_rows_separators_and_yen_round_trip() -> None:
    """Rows keep their padding, separators their width, ¥ comes back as ￥."""
    slip = one_slip(Row("金额", "¥12.00"), Separator())
    assert slip.lines == ["金额" + " " * 37 + "￥12.00", "-" * 48]


def test_native_qr_round_trips_with_its_parameters() -> None:
    """The QR payload, module size and error correction are read back from GS ( k."""
    slip = one_slip(QrCode("https://t.example.cn/s/42", ec="Q", module=7))
    (qr,) = slip.qr_codes
    assert (qr.data, qr.module, qr.ec, qr.align) == ("https://t.example.cn/s/42", 7, "Q",
                                                     Align.CENTER)


def test_raster_qr_fallback_round_trips_to_the_same_matrix() -> None:
    """Without native QR, the decoded image equals segno's matrix at the module size."""
    url = "https://t.example.cn/s/42"
    slip = one_slip(QrCode(url), profile=NOQR)
    assert slip.qr_codes == []
    (image,) = slip.images
    matrix = segno.make(url, error="m", micro=False).matrix
    picture, module = image.image(), NOQR.qr_module
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = picture.getpixel((x * module + module // 2, y * module + module // 2))
            assert (pixel == 0) == bool(dark), (x, y)


def test_barcode_round_trips() -> None:
    """CODE128 data and height come back from GS k 73."""
    (barcode,) = one_slip(Barcode128("A20260001", height=50)).barcodes
    assert (barcode.symbology, barcode.data, barcode.height) == ("CODE128", "A20260001", 50)


def test_banded_image_round_trips_dot_for_dot() -> None:
    """A 300-row picture sent in bands is one decoded image with the same dots."""
    picture = Image.new("L", (64, 300), 255)
    for i in range(300):
        picture.putpixel((i % 64, i), 0)
    (image,) = one_slip(Raster(picture, Align.LEFT)).images
    assert (image.width, image.height) == (64, 300)
    assert image.image().tobytes() == picture.tobytes()


def test_rare_character_line_round_trips_as_an_image_of_text() -> None:
    """A line with 䶮 decodes as an image with black dots, not as junk text."""
    slip = one_slip(Paragraph("姓名：李䶮"))
    assert slip.lines == []
    (image,) = slip.images
    assert image.image().getextrema()[0] == 0


def test_feed_and_cut_round_trip() -> None:
    """ESC d 2 is a two-line feed; the job's GS V 66 is a partial cut."""
    slip = one_slip(Paragraph("a"), Feed(2))
    assert slip.elements[-1] == FeedElement(60)
    assert slip.cut is not None and slip.cut.partial


def test_decoder_flags_unknown_and_malformed_commands() -> None:
    """Unknown commands, bad parameters and 4-byte GB18030 text are reported, with offsets."""
    data = (b"\x1b@" + b"\x1bz\x01" + b"\x1ba\x07" + "¥".encode("gb18030") + b"\n"
            + b"\x1dV\x09" + b"\x1d(k\x03\x001Q0")
    problems = decode(data).problems
    kinds = [(p.kind, p.offset) for p in problems]
    # ESC z is unknown, so its parameter byte 01 is read as another unknown command.
    assert kinds == [("unknown", 2), ("unknown", 4), ("malformed", 5), ("malformed", 8),
                     ("malformed", 13), ("malformed", 16)]
    assert "GB18030" in problems[3].message and "no data" in problems[5].message


def test_truncated_data_is_flagged() -> None:
    """A command cut off at the end of the data is reported, not ignored."""
    problems = decode(b"\x1d(k\x10\x001P0abc").problems
    assert [p.message for p in problems] == ["truncated command at the end of the data"]
