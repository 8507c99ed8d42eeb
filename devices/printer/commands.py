"""ESC/POS command bytes (printing.md §1), one small function per command.

Only the subset a receipt needs. Each function returns the exact bytes, so the golden
tests read like the tables in the spec.
"""

from __future__ import annotations

from PIL import Image, ImageOps

from devices.printer.elements import Align

ESC, FS, GS, DLE = b"\x1b", b"\x1c", b"\x1d", b"\x10"
LF = b"\n"

INIT = ESC + b"@"
CODE_TABLE_PC437 = ESC + b"t\x00"
INTERNATIONAL_USA = ESC + b"R\x00"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
END_OF_JOB = GS + b"r\x01"                     # paper-sensor status, answered in order
CLEAR_BUFFERS = DLE + b"\x05\x02"              # DLE ENQ 2: recover and discard the buffer
_ALIGN = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}
QR_EC = {"L": 0x30, "M": 0x31, "Q": 0x32, "H": 0x33}


def status_query(n: int) -> bytes:
    """DLE EOT n: real-time status (1 printer, 2 offline cause, 3 error cause, 4 paper)."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT takes 1-4")
    return DLE + b"\x04" + bytes([n])


def align(value: Align) -> bytes:
    return ESC + b"a" + bytes([_ALIGN[value]])


def size(width: int, height: int) -> bytes:
    """GS !: applies to Chinese characters too, unlike ESC ! on many models."""
    return GS + b"!" + bytes([((width - 1) << 4) | (height - 1)])


def bold(on: bool) -> bytes:
    return ESC + b"E" + bytes([1 if on else 0])


def underline(thickness: int) -> bytes:
    """ESC - for ASCII and FS - for Chinese characters: not every model honours only one."""
    n = bytes([thickness])
    return ESC + b"-" + n + FS + b"-" + n


def feed_lines(n: int) -> bytes:
    return ESC + b"d" + bytes([n])


def _qr_block(fn: int, payload: bytes) -> bytes:
    length = len(payload) + 2                     # cn and fn count too
    return GS + b"(k" + length.to_bytes(2, "little") + b"1" + bytes([fn]) + payload


def qr_native(data: bytes, module: int, ec: str) -> bytes:
    """GS ( k: model 2, module size, error correction, store, print."""
    if len(data) > 7089:
        raise ValueError("QR payload too long")
    return (_qr_block(0x41, b"\x32\x00") + _qr_block(0x43, bytes([module]))
            + _qr_block(0x45, bytes([QR_EC[ec]])) + _qr_block(0x50, b"0" + data)
            + _qr_block(0x51, b"0"))


def code128(data: bytes, height: int, module: int) -> bytes:
    """GS k 73 with code set B; HRI text below in Font A."""
    payload = b"{B" + data
    return (GS + b"h" + bytes([height]) + GS + b"w" + bytes([module]) + GS + b"H\x02"
            + GS + b"f\x00" + GS + b"k\x49" + bytes([len(payload)]) + payload)


def cut(mode: str) -> bytes:
    """GS V 65/66 0: feed to the cutting position, then a full or partial cut."""
    return GS + b"V" + bytes([{"full": 0x41, "partial": 0x42}[mode], 0])


def to_bitmap(image: Image.Image) -> Image.Image:
    """Mode '1' with 1 = black (Pillow's '1' is 1 = white), width padded to whole bytes."""
    gray = image.convert("L")
    pad = -gray.width % 8
    if pad:
        gray = ImageOps.expand(gray, border=(0, 0, pad, 0), fill=255)
    inverted = ImageOps.invert(gray)
    return inverted.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=None)


def raster(image: Image.Image, band_rows: int) -> bytes:
    """GS v 0 in bands of ``band_rows`` rows; big single blocks overflow cheap printers."""
    bitmap = to_bitmap(image)
    width_bytes = bitmap.width // 8
    if width_bytes > 0xFFFF or bitmap.height == 0:
        raise ValueError("image too wide or empty")
    out = bytearray()
    for top in range(0, bitmap.height, band_rows):
        band = bitmap.crop((0, top, bitmap.width, min(top + band_rows, bitmap.height)))
        out += (GS + b"v0\x00" + width_bytes.to_bytes(2, "little")
                + band.height.to_bytes(2, "little") + band.tobytes())
    return bytes(out)
