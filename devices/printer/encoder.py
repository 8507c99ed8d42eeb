"""The ESC/POS encoder: a :class:`~devices.printer.elements.Receipt` → bytes for a profile.

Why our own and not python-escpos: printing.md §2.6 (Chinese mode never switched on, ``¥``
sent as 4-byte GB18030, no cover-open/cutter status, unusable serial flow control).

Sequence: ``ESC @``, PC437 + USA character set (so ASCII, URLs and IDs print unchanged),
``FS &`` (Chinese mode: ``ESC @`` does not reset it the same way on every model), then the
elements, the cut (or a feed past the tear bar) and ``GS r 1`` as the end-of-job marker.
Attributes are sent only when they change, and always before the first character of a
line, where ESC a takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from PIL import Image

from devices.printer import commands as cmd
from devices.printer.elements import (
    Align,
    Barcode128,
    Element,
    Feed,
    Paragraph,
    QrCode,
    Raster,
    Receipt,
    Row,
    Separator,
)
from devices.printer.glyphs import GlyphRenderer, Span
from devices.printer.profiles import PrinterProfile
from devices.printer.text import fit_row, gbk_encodable, substitute, wrap

PREAMBLE = cmd.INIT + cmd.CODE_TABLE_PC437 + cmd.INTERNATIONAL_USA + cmd.CHINESE_ON


@dataclass
class _Style:
    align: Align = Align.LEFT
    width: int = 1
    height: int = 1
    bold: bool = False
    underline: int = 0


def qr_image(data: str, module: int, ec: str) -> Image.Image:
    """The QR code as a picture (no quiet zone: the paper around it is white)."""
    qr = segno.make(data, error=ec.lower(), micro=False)
    rows = [[bool(v) for v in row] for row in qr.matrix]
    size = len(rows)
    image = Image.new("L", (size * module, size * module), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * module, y * module, (x + 1) * module, (y + 1) * module))
    return image


class Encoder:
    """Encodes receipts for one profile. Holds the glyph renderer for the raster fallback."""

    def __init__(self, profile: PrinterProfile, glyphs: GlyphRenderer | None = None) -> None:
        self.profile = profile
        self._glyphs = glyphs

    def encode(self, receipt: Receipt, *, end_marker: bool = True) -> bytes:
        out = bytearray(PREAMBLE)
        style = _Style()
        for element in receipt.elements:
            out += self._element(element, style)
        if receipt.cut:
            # GS V 65/66 feeds to the cutter itself; without a cutter, clear the tear bar.
            out += (cmd.feed_lines(self.profile.feed_lines) if self.profile.cut == "none"
                    else cmd.cut(self.profile.cut))
        if end_marker:
            out += cmd.END_OF_JOB
        return bytes(out)

    # -- elements -------------------------------------------------------------------------

    def _element(self, element: Element, style: _Style) -> bytes:
        if isinstance(element, Paragraph):
            return self._text(element, style)
        if isinstance(element, Row):
            lines = fit_row(substitute(element.label), substitute(element.value),
                            self.profile.columns)
            return b"".join(self._line(line, Paragraph(line, bold=element.bold), style)
                            for line in lines)
        if isinstance(element, Separator):
            rule = element.char * self.profile.columns
            return self._line(rule, Paragraph(rule), style)
        if isinstance(element, QrCode):
            return self._qr(element, style)
        if isinstance(element, Barcode128):
            return self._set(style, Paragraph("", align=element.align)) + cmd.code128(
                element.data.encode("ascii"), element.height, element.module)
        if isinstance(element, Raster):
            return self._raster(element.image, element.align, style)
        if isinstance(element, Feed):
            return self._set(style, Paragraph("")) + cmd.feed_lines(element.lines)
        raise TypeError(f"not a receipt element: {element!r}")

    def _text(self, element: Paragraph, style: _Style) -> bytes:
        columns = max(2, self.profile.columns // element.width)
        text = substitute(element.text)
        return b"".join(self._line(line, element, style) for line in wrap(text, columns))

    def _line(self, line: str, attrs: Paragraph, style: _Style) -> bytes:
        if gbk_encodable(line):
            return self._set(style, attrs) + line.encode("gbk") + cmd.LF
        # A character the printer's GBK font cannot have (䶮, 𠈌): print the line as a picture.
        span = Span(line, bold=attrs.bold, underline=attrs.underline, width=attrs.width,
                    height=attrs.height)
        if self._glyphs is None:
            self._glyphs = GlyphRenderer()
        return self._raster(self._glyphs.line_image([span]), attrs.align, style)

    def _qr(self, element: QrCode, style: _Style) -> bytes:
        module = element.module or self.profile.qr_module
        if self.profile.native_qr:
            return (self._set(style, Paragraph("", align=element.align))
                    + cmd.qr_native(element.data.encode("ascii"), module, element.ec))
        return self._raster(qr_image(element.data, module, element.ec), element.align, style)

    def _raster(self, image: Image.Image, align: Align, style: _Style) -> bytes:
        if image.width > self.profile.dots:
            ratio = self.profile.dots / image.width
            image = image.resize((self.profile.dots, max(1, round(image.height * ratio))))
        return self._set(style, Paragraph("", align=align)) \
            + cmd.raster(image, self.profile.band_rows)

    @staticmethod
    def _set(style: _Style, attrs: Paragraph) -> bytes:
        """The commands that move ``style`` to ``attrs``; nothing for what is unchanged."""
        out = bytearray()
        if attrs.align != style.align:
            out += cmd.align(attrs.align)
        if (attrs.width, attrs.height) != (style.width, style.height):
            out += cmd.size(attrs.width, attrs.height)
        if attrs.bold != style.bold:
            out += cmd.bold(attrs.bold)
        if attrs.underline != style.underline:
            out += cmd.underline(attrs.underline)
        style.align, style.width, style.height = attrs.align, attrs.width, attrs.height
        style.bold, style.underline = attrs.bold, attrs.underline
        return bytes(out)


def encode(receipt: Receipt, profile: PrinterProfile, *, end_marker: bool = True) -> bytes:
    """Convenience: encode one receipt (loads the CJK font only if a raster line needs it)."""
    return Encoder(profile).encode(receipt, end_marker=end_marker)
