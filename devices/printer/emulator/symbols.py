"""What the emulator's print head makes of text bytes and symbols: text in the printer's
code page (GBK in Chinese mode), QR codes (``GS ( k``, cn 49) and barcodes (``GS k``),
with the settings that shape them. Each function returns what is printed (or None) and
reports what a printer would not understand through ``report`` (kind, message) without
stopping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from devices.printer.elements import Align
from devices.printer.emulator.model import BarcodeElement, QrElement

#: reports a problem in the command being decoded: ("unknown" | "malformed", message)
Report = Callable[[str, str], None]

_QR_EC = {48: "L", 49: "M", 50: "Q", 51: "H"}
_SYMBOLOGY = {65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF",
              71: "CODABAR", 72: "CODE93", 73: "CODE128"}


@dataclass
class Symbols:
    """The symbol settings in force (ESC @ resets them)."""

    qr_module: int = 3
    qr_ec: str = "L"
    qr_data: bytes | None = None
    bar_height: int = 162
    bar_module: int = 3
    bar_hri: int = 0


def printed_text(raw: bytes, chinese: bool, report: Report) -> str:
    """Text bytes as printed: GBK in Chinese mode (a GB18030 four-byte sequence or a byte
    that is no GBK lead byte prints junk, shown as U+FFFD), code page 437 otherwise."""
    if not chinese:
        return raw.decode("cp437")
    out, i = [], 0
    while i < len(raw):
        b = raw[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
        elif b == 0x80 or b == 0xFF:
            report("malformed", f"byte {b:#04x} is not a GBK lead byte")
            out.append("\ufffd")
            i += 1
        elif 0x30 <= raw[i + 1] <= 0x39:
            report("malformed", "GB18030 four-byte sequence: a GBK printer prints junk here")
            out.append("\ufffd")
            i += 4
        else:
            try:
                out.append(raw[i:i + 2].decode("gbk"))
            except UnicodeDecodeError:
                report("malformed", f"{raw[i:i + 2].hex()} is not a GBK character")
                out.append("\ufffd")
            i += 2
    return "".join(out)


def qr_function(raw: bytes, sym: Symbols, align: Align, report: Report) -> QrElement | None:
    """One ``GS ( k`` function: a setting, the data stored, or the code printed."""
    if raw[2] != 0x6B or len(raw) < 7 or raw[5] != 0x31:
        report("unknown", "GS ( function other than QR code (GS ( k cn=49)")
        return None
    fn, data = raw[6], raw[7:]
    if fn == 0x41:
        if not data or data[0] not in (0x31, 0x32, 0x33):
            report("malformed", "QR model is 49-51")
    elif fn == 0x43:
        size = data[0] if data else 0
        if size not in range(1, 17):
            report("malformed", f"parameter {size} out of range")
        sym.qr_module = size if size in range(1, 17) else 3
    elif fn == 0x45:
        ec = data[0] if data else 0
        if ec in _QR_EC:
            sym.qr_ec = _QR_EC[ec]
        else:
            report("malformed", "QR error correction is 48-51")
    elif fn == 0x50:
        if not data or data[0] != 0x30:
            report("malformed", "QR store: m must be 48")
        sym.qr_data = bytes(data[1:])
    elif fn == 0x51:
        if sym.qr_data is None:
            report("malformed", "QR print with no data stored")
            return None
        text = sym.qr_data.decode("utf-8", errors="replace")
        return QrElement(text, sym.qr_module, sym.qr_ec, align)
    else:
        report("unknown", f"QR function {fn}")
    return None


def barcode(raw: bytes, sym: Symbols, align: Align, report: Report) -> BarcodeElement | None:
    """``GS k``: the barcode to print, in the settings in force."""
    m = raw[2]
    data = raw[3:-1] if m <= 6 else raw[4:]
    symbology = _SYMBOLOGY.get(m, f"function-A-{m}" if m <= 6 else "")
    if not symbology:
        report("unknown", f"GS k {m}: unknown symbology")
        return None
    text = data.decode("latin-1")
    if m == 73:
        decoded = code128_text(data)
        if decoded is None:
            report("malformed", "CODE128 data must start with {A, {B or {C")
            return None
        text = decoded
    return BarcodeElement(symbology, text, sym.bar_height, sym.bar_module, sym.bar_hri, align)


def code128_text(data: bytes) -> str | None:
    """The human-readable content of GS k 73 data ({A/{B/{C code-set switches)."""
    if len(data) < 2 or data[0] != 0x7B or data[1] not in b"ABC":
        return None
    out, mode, i = [], data[1], 2
    while i < len(data):
        b = data[i]
        if b == 0x7B and i + 1 < len(data):
            nxt = data[i + 1]
            if nxt in b"ABC":
                mode = nxt
            elif nxt == 0x7B:
                out.append("{")
            i += 2
            continue
        out.append(f"{b:02d}" if mode == ord("C") else chr(b))
        i += 1
    return "".join(out)
