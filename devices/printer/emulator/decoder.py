"""Decoding ESC/POS into slips: the emulator's "print head".

:class:`Decoder` applies one parsed command at a time to the paper and says what the
printer would answer (GS r, GS I). It flags every unknown or malformed command in
``problems`` rather than skipping it quietly, so a test fails when the encoder emits
something a printer would not understand. :func:`decode` runs a whole byte string.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.printer.elements import Align
from devices.printer.emulator import parser as p
from devices.printer.emulator.model import (
    BarcodeElement,
    CutElement,
    FeedElement,
    ImageElement,
    QrElement,
    Slip,
    StreamProblem,
    TextLine,
)
from devices.printer.emulator.symbols import Report, Symbols, barcode, printed_text, qr_function
from devices.printer.glyphs import LINE_PITCH, Span

_ALIGN = {0: Align.LEFT, 1: Align.CENTER, 2: Align.RIGHT,
          48: Align.LEFT, 49: Align.CENTER, 50: Align.RIGHT}
_IDENTITY = {1: b"\x20", 2: b"\x02", 3: b"\x64", 65: b"_1.0\x00", 66: b"_KIOSK\x00",
             67: b"_EMU-POS\x00", 49: b"\x20", 50: b"\x02", 51: b"\x64"}


@dataclass
class _Style:
    align: Align = Align.LEFT
    bold: bool = False
    underline: int = 0
    width: int = 1
    height: int = 1
    line_spacing: int = LINE_PITCH


@dataclass
class Decoder:
    """The printer's interpretation state and the paper it has printed."""

    chinese_default: bool = True
    paper_sensor: int = 0               # GS r 1 answer: 0 ok, 0x03 near end
    slips: list[Slip] = field(default_factory=list)
    problems: list[StreamProblem] = field(default_factory=list)
    current: Slip = field(default_factory=Slip)
    offset: int = 0

    def __post_init__(self) -> None:
        self.chinese = self.chinese_default
        self.style = _Style()
        self.symbols = Symbols()
        self._line: list[Span] = []
        self._line_align: Align | None = None
        self._image_open = False

    # -- entry point ------------------------------------------------------------------

    def apply(self, cmd: p.Command) -> bytes:
        """Apply one command; returns the bytes the printer sends back (usually none)."""
        try:
            return self._apply(cmd)
        finally:
            self.offset += len(cmd.raw)

    def flag(self, cmd: p.Command, kind: str, message: str) -> None:
        self.problems.append(StreamProblem(self.offset, kind, cmd.raw[:16].hex(" "), message))

    def _apply(self, cmd: p.Command) -> bytes:
        key = cmd.key
        if key == ("text",):
            self._text(cmd)
        elif key == (p.LF,):
            self._flush_line(blank_ok=True)
        elif key in ((p.CR,), (p.HT,)):
            if key == (p.HT,):
                self._add_text(" ")
        elif key == ("unknown",):
            self.flag(cmd, "unknown", "unknown command")
        elif key[0] == p.ESC:
            self._esc(cmd)
        elif key[0] == p.FS:
            self._fs(cmd)
        elif key[0] == p.GS:
            return self._gs(cmd)
        else:
            self.flag(cmd, "unknown", "real-time command reached the print buffer")
        return b""

    # -- text -------------------------------------------------------------------------

    def _text(self, cmd: p.Command) -> None:
        self._add_text(printed_text(cmd.raw, self.chinese, self._reporter(cmd)))

    def _add_text(self, text: str) -> None:
        if self._line_align is None:
            self._line_align = self.style.align        # ESC a counts at the line's start
        s = self.style
        span = Span(text, s.bold, s.underline, s.width, s.height)
        if self._line and self._line[-1].__class__ is Span and _same(self._line[-1], span):
            span = Span(self._line[-1].text + text, s.bold, s.underline, s.width, s.height)
            self._line[-1] = span
        else:
            self._line.append(span)

    def _flush_line(self, blank_ok: bool) -> None:
        if self._line or blank_ok:
            self._emit(TextLine(self._line, self._line_align or self.style.align))
        self._line, self._line_align = [], None

    def _emit(self, element: object) -> None:
        self._image_open = isinstance(element, ImageElement)
        self.current.elements.append(element)  # type: ignore[arg-type]

    def _cut(self, partial: bool) -> None:
        self._flush_line(blank_ok=False)
        self.current.cut = CutElement(partial)
        self.slips.append(self.current)
        self.current = Slip()
        self._image_open = False

    def tear_off(self) -> None:
        """End of job on a printer without a cutter: what was printed is one slip."""
        self._flush_line(blank_ok=False)
        if not self.current.is_empty():
            self.slips.append(self.current)
            self.current = Slip()
            self._image_open = False

    # -- ESC, FS ----------------------------------------------------------------------

    def _esc(self, cmd: p.Command) -> None:
        code, params = cmd.key[1], cmd.params
        n = params[0] if params else 0
        s = self.style
        if code == 0x40:                                         # ESC @
            self._line, self._line_align = [], None
            self.style, self.symbols = _Style(), Symbols()
            self.chinese = self.chinese_default
        elif code == 0x45 or code == 0x47:
            s.bold = bool(n & 1)
        elif code == 0x2D:
            s.underline = self._check(cmd, n, (0, 1, 2, 48, 49, 50)) % 48
        elif code == 0x61:
            if n in _ALIGN:
                s.align = _ALIGN[n]
            else:
                self.flag(cmd, "malformed", f"ESC a {n}: alignment is 0-2 or 48-50")
        elif code == 0x21:                                       # ESC !: only bold is Kanji-safe
            s.bold, s.underline = bool(n & 0x08), 1 if n & 0x80 else 0
        elif code == 0x64:
            self._flush_line(blank_ok=False)
            self._emit(FeedElement(n * s.line_spacing))
        elif code == 0x4A:
            self._flush_line(blank_ok=False)
            self._emit(FeedElement(n))
        elif code == 0x33:
            s.line_spacing = max(n, 1)
        elif code == 0x32:
            s.line_spacing = LINE_PITCH
        elif code in (0x69, 0x6D):
            self.flag(cmd, "malformed", "ESC i / ESC m: legacy cut, vendors disagree on which "
                      "is full and which partial; use GS V")
            self._cut(partial=code == 0x6D)
        elif code == 0x52:
            self._check(cmd, n, range(16))
        elif code == 0x4D:
            self._check(cmd, n, (0, 1, 48, 49))

    def _fs(self, cmd: p.Command) -> None:
        code, params = cmd.key[1], cmd.params
        if code == 0x26:
            self.chinese = True
        elif code == 0x2E:
            self.chinese = False
        elif code == 0x2D:
            self.style.underline = self._check(cmd, params[0], (0, 1, 2, 48, 49, 50)) % 48
        elif code == 0x21:
            self.style.underline = 1 if params[0] & 0x80 else self.style.underline

    def _check(self, cmd: p.Command, value: int, allowed: range | tuple[int, ...]) -> int:
        if value not in allowed:
            self.flag(cmd, "malformed", f"parameter {value} out of range")
            return 0
        return value

    # -- GS ---------------------------------------------------------------------------

    def _gs(self, cmd: p.Command) -> bytes:
        code, params = cmd.key[1], cmd.params
        n = params[0] if params else 0
        if code == 0x21:
            w, h = (n >> 4) + 1, (n & 0x0F) + 1
            if w > 8 or h > 8:
                self.flag(cmd, "malformed", f"GS ! {n:#04x}: width and height are 1-8")
            else:
                self.style.width, self.style.height = w, h
        elif code == 0x28:
            self._symbol(qr_function(cmd.raw, self.symbols, self.style.align,
                                     self._reporter(cmd)))
        elif code == 0x68:
            self.symbols.bar_height = n
        elif code == 0x77:
            self.symbols.bar_module = self._check(cmd, n, range(1, 7)) or 3
        elif code == 0x48:
            self.symbols.bar_hri = self._check(cmd, n, (0, 1, 2, 3, 48, 49, 50, 51)) % 48
        elif code == 0x6B:
            self._symbol(barcode(cmd.raw, self.symbols, self.style.align,
                                 self._reporter(cmd)))
        elif code == 0x76:
            self._raster(cmd)
        elif code == 0x56:
            m = params[0]
            if m in (0, 48, 0x41, 0x61, 0x67):
                self._cut(partial=False)
            elif m in (1, 49, 0x42, 0x62, 0x68):
                self._cut(partial=True)
            else:
                self.flag(cmd, "malformed", f"GS V {m}: unknown cut mode")
        elif code == 0x72:
            if n in (1, 49):
                self.tear_off()
                return bytes([self.paper_sensor])
            if n in (2, 50):
                return b"\x00"
            self.flag(cmd, "malformed", f"GS r {n}: 1 or 2")
        elif code == 0x49:
            if n in _IDENTITY:
                return _IDENTITY[n]
            self.flag(cmd, "malformed", f"GS I {n}: unsupported")
        return b""

    def _reporter(self, cmd: p.Command) -> Report:
        return lambda kind, message: self.flag(cmd, kind, message)

    def _symbol(self, element: QrElement | BarcodeElement | None) -> None:
        if element is not None:
            self._flush_line(blank_ok=False)
            self._emit(element)

    def _raster(self, cmd: p.Command) -> None:
        raw = cmd.raw
        m, xb, rows = raw[3], raw[4] + 256 * raw[5], raw[6] + 256 * raw[7]
        if m not in (0, 1, 2, 3, 48, 49, 50, 51) or xb == 0 or rows == 0:
            self.flag(cmd, "malformed", "GS v 0: bad mode or empty image")
            return
        self._flush_line(blank_ok=False)
        last = self.current.elements[-1] if self.current.elements else None
        if (self._image_open and isinstance(last, ImageElement) and last.width_bytes == xb
                and last.align == self.style.align):
            last.bits += raw[8:]                       # the next band of the same image
            last.height += rows
        else:
            self._emit(ImageElement(xb, rows, bytearray(raw[8:]), self.style.align))
        self._image_open = True


def _same(a: Span, b: Span) -> bool:
    return (a.bold, a.underline, a.width, a.height) == (b.bold, b.underline, b.width, b.height)


def decode(data: bytes, chinese_default: bool = True) -> Decoder:
    """Decode a whole job. The slip still in the printer (no cut yet) is ``current``."""
    decoder = Decoder(chinese_default=chinese_default)
    buf = bytes(data)
    while buf:
        cmd = p.next_command(buf, decoder.chinese)
        if cmd is None:
            decoder.problems.append(StreamProblem(decoder.offset, "malformed", buf[:16].hex(" "),
                                            "truncated command at the end of the data"))
            break
        buf = buf[len(cmd.raw):]
        if cmd.key == (p.DLE, 0x04) or cmd.key == (p.DLE, 0x05):
            decoder.offset += len(cmd.raw)
            continue
        decoder.apply(cmd)
    return decoder
