"""Golden bytes: the encoder emits exactly the ESC/POS sequences of printing.md §1."""

from __future__ import annotations

import pytest
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
from devices.printer import commands as cmd
from devices.printer.encoder import PREAMBLE

P80, P58, NOQR = get_profile("generic-80"), get_profile("generic-58"), get_profile("pos-5890")


def body(receipt: Receipt, profile=P80) -> bytes:
    """The bytes between the preamble and the end of the job."""
    data = encode(receipt, profile, end_marker=False)
    assert data.startswith(PREAMBLE)
    return data[len(PREAMBLE):]


def test_preamble_initialises_and_switches_chinese_mode_on() -> None:
    """Every job starts with ESC @, PC437, USA set and FS & (Chinese mode explicitly on)."""
    assert bytes.fromhex("1b40 1b7400 1b5200 1c26") == PREAMBLE


def test_job_ends_with_partial_cut_then_gs_r_1() -> None:
    """An 80 mm job ends with GS V 66 0 (feed to cutter, partial cut) and GS r 1."""
    assert encode(Receipt(()), P80) == PREAMBLE + bytes.fromhex("1d564200 1d7201")


def test_58mm_without_cutter_feeds_past_the_tear_bar() -> None:
    """Without a cutter the job feeds five lines (ESC d 5) instead of cutting."""
    assert encode(Receipt(()), P58) == PREAMBLE + bytes.fromhex("1b6405 1d7201")


def test_chinese_text_is_gbk() -> None:
    """中文 is sent as GBK D6D0 CEC4 followed by LF."""
    assert body(Receipt((Paragraph("中文"),), cut=False)) == bytes.fromhex("d6d0cec4 0a")


def test_yen_sign_becomes_fullwidth_yen_a3a4() -> None:
    """¥ (not in GBK; 4 bytes in GB18030) is printed as the full-width ￥ A3A4."""
    assert body(Receipt((Paragraph("¥5"),), cut=False)) == bytes.fromhex("a3a4 35 0a")


def test_attributes_are_sent_on_change_and_before_the_line() -> None:
    """Centre, double size, bold and underline precede the text and are reset after it."""
    receipt = Receipt((Paragraph("A", align=Align.CENTER, bold=True, underline=1, width=2,
                            height=2), Paragraph("B")), cut=False)
    assert body(receipt) == bytes.fromhex(
        "1b6101 1d2111 1b4501 1b2d01 1c2d01 41 0a"
        "1b6100 1d2100 1b4500 1b2d00 1c2d00 42 0a")


def test_separator_fills_the_columns() -> None:
    """A separator is exactly one line of the profile's columns."""
    assert body(Receipt((Separator("="),), cut=False), P58) == b"=" * 32 + b"\n"


def test_row_right_aligns_the_value_with_spaces() -> None:
    """A row pads between label and value by display width (Han = 2 columns)."""
    line = body(Receipt((Row("金额", "12.00"),), cut=False), P58)
    assert line == "金额".encode("gbk") + b" " * (32 - 4 - 5) + b"12.00\n"


def test_long_text_wraps_at_the_column_width() -> None:
    """Twenty Han characters on 58 mm (16 a line) wrap into 16 + 4."""
    data = body(Receipt((Paragraph("汉" * 20),), cut=False), P58)
    assert data == ("汉" * 16).encode("gbk") + b"\n" + ("汉" * 4).encode("gbk") + b"\n"


def test_native_qr_sequence_matches_the_spec() -> None:
    """GS ( k: model 2, module 6, EC M, store (pL = k + 3), print; centred first."""
    url = b"https://t.example.cn/s/0192a1b2c3d"        # 34 bytes as in printing.md §1.3
    data = body(Receipt((QrCode(url.decode()),), cut=False))
    assert data == (bytes.fromhex("1b6101 1d286b0400314132 00 1d286b0300314306"
                                  "1d286b0300314531 1d286b2500315030") + url
                    + bytes.fromhex("1d286b0300315130"))


def test_qr_falls_back_to_raster_when_the_profile_has_no_gs_paren_k() -> None:
    """On a POS-5890 profile the QR code is a GS v 0 image, never GS ( k."""
    data = body(Receipt((QrCode("https://x.cn/1"),), cut=False), NOQR)
    assert b"\x1d(k" not in data
    assert data.startswith(bytes.fromhex("1b6101 1d763000"))


def test_code128_uses_code_set_b() -> None:
    """CODE128 matches the spec's example: GS k 73 n {B A20260001."""
    data = body(Receipt((Barcode128("A20260001"),), cut=False))
    assert data.endswith(bytes.fromhex("1d6b490b7b42") + b"A20260001")
    assert bytes.fromhex("1d6802") not in data and data.startswith(bytes.fromhex("1b6101"))


def test_raster_image_bits_are_msb_first_one_is_black() -> None:
    """A 16×2 image with the leftmost dot black is 1D 76 30 00 02 00 02 00 80 00 00 00."""
    image = Image.new("L", (16, 2), 255)
    image.putpixel((0, 0), 0)
    data = body(Receipt((Raster(image, Align.LEFT),), cut=False))
    assert data == bytes.fromhex("1d7630 00 0200 0200 8000 0000")


def test_tall_images_are_sent_in_bands() -> None:
    """A 300-row image on a 128-row-band profile is three GS v 0 blocks."""
    data = body(Receipt((Raster(Image.new("L", (8, 300), 0)),), cut=False), P58)
    assert data.count(b"\x1dv0") == 3


def test_feed_is_esc_d() -> None:
    """Feed(3) is ESC d 3."""
    assert body(Receipt((Feed(3),), cut=False)) == bytes.fromhex("1b6403")


def test_rare_character_line_is_sent_as_an_image_not_as_gb18030() -> None:
    """A line with 䶮 (outside GBK) is a raster image: no 4-byte GB18030, no FE 9F."""
    data = body(Receipt((Paragraph("李䶮"),), cut=False))
    assert data.startswith(b"\x1dv0") and b"\xfe\x9f" not in data


def test_status_queries_and_recovery_commands() -> None:
    """DLE EOT n, DLE ENQ 2 and GS r 1 are the bytes of §1.7-1.8."""
    assert [cmd.status_query(n) for n in (1, 2, 3, 4)] == [
        b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"]
    assert cmd.CLEAR_BUFFERS == b"\x10\x05\x02" and cmd.END_OF_JOB == b"\x1dr\x01"
    with pytest.raises(ValueError):
        cmd.status_query(5)


def test_wrapping_never_starts_a_line_with_closing_punctuation() -> None:
    """A full stop that would open a line takes the previous character with it."""
    from devices.printer.text import wrap

    assert wrap("汉" * 16 + "。", 32) == ["汉" * 15, "汉。"]
