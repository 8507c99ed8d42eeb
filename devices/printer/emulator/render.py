"""Drawing a decoded slip as a PNG, so people and tests can look at what was printed.

Text is drawn in printer cells by the same :class:`~devices.printer.glyphs.GlyphRenderer`
the encoder uses for its raster fallback; QR codes are redrawn from their payload at the
printer's module size; raster images are pasted dot for dot; a CODE128 barcode is drawn
as a labelled block with its text, since only its content matters to a reader of the PNG.
"""

from __future__ import annotations

import io

import segno
from PIL import Image, ImageDraw

from devices.printer.elements import Align
from devices.printer.emulator.model import (
    BarcodeElement,
    FeedElement,
    ImageElement,
    QrElement,
    Slip,
    TextLine,
)
from devices.printer.glyphs import GlyphRenderer, Span

MARGIN, GAP = 16, 6


def _qr(element: QrElement) -> Image.Image:
    qr = segno.make(element.data, error=element.ec.lower(), micro=False)
    rows = [[bool(v) for v in row] for row in qr.matrix]
    m, size = element.module, len(rows)
    image = Image.new("L", (size * m, size * m), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * m, y * m, (x + 1) * m, (y + 1) * m))
    return image


def _barcode(element: BarcodeElement, glyphs: GlyphRenderer) -> Image.Image:
    text = glyphs.line_image([Span(element.data)])
    width = max(text.width, (len(element.data) * 11 + 35) * element.module)
    image = Image.new("L", (width, element.height + text.height), 255)
    draw = ImageDraw.Draw(image)
    seed = sum(element.data.encode("latin-1"))
    x, i = 0, 0
    while x < width:                          # a stand-in bar pattern from the content
        bar = element.module * (1 + (seed + i * 7) % 3)
        if i % 2 == 0:
            draw.rectangle((x, 0, min(x + bar, width) - 1, element.height - 1), fill=0)
        x, i = x + bar, i + 1
    image.paste(text, ((width - text.width) // 2, element.height))
    return image


def render_slip(slip: Slip, dots: int = 576, glyphs: GlyphRenderer | None = None) -> Image.Image:
    """The slip as a grayscale picture ``dots`` wide plus a margin, black on white."""
    glyphs = glyphs or GlyphRenderer()
    parts: list[tuple[Image.Image | None, Align, int]] = []
    for element in slip.elements:
        if isinstance(element, TextLine):
            parts.append((glyphs.line_image(element.spans), element.align, 0))
        elif isinstance(element, QrElement):
            parts += [(None, Align.LEFT, GAP), (_qr(element), element.align, GAP)]
        elif isinstance(element, BarcodeElement):
            parts += [(None, Align.LEFT, GAP), (_barcode(element, glyphs), element.align, GAP)]
        elif isinstance(element, ImageElement):
            parts.append((element.image(), element.align, 0))
        elif isinstance(element, FeedElement):
            parts.append((None, Align.LEFT, element.dots))
    height = sum((img.height if img else 0) + gap for img, _, gap in parts) + 2 * MARGIN
    page = Image.new("L", (dots + 2 * MARGIN, max(height, 2 * MARGIN + 1)), 255)
    y = MARGIN
    for image, align, gap in parts:
        if image is None:
            y += gap
            continue
        if image.width > dots:                # the printer would clip; show it clipped
            image = image.crop((0, 0, dots, image.height))
        x = {Align.LEFT: 0, Align.CENTER: (dots - image.width) // 2,
             Align.RIGHT: dots - image.width}[align]
        page.paste(image, (MARGIN + x, y))
        y += image.height + gap
    if slip.cut is not None:
        draw = ImageDraw.Draw(page)
        for x in range(0, page.width, 12):
            draw.line((x, page.height - 1, x + 6, page.height - 1), fill=128)
    return page


def slip_png(slip: Slip, dots: int = 576, glyphs: GlyphRenderer | None = None) -> bytes:
    buffer = io.BytesIO()
    render_slip(slip, dots, glyphs).save(buffer, format="PNG")
    return buffer.getvalue()
