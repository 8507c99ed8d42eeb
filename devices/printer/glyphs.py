"""Drawing receipt text the way a thermal printer lays it out, with a CJK font.

Printer text sits in fixed cells: 12×24 dots for ASCII (Font A) and 24×24 for a Han
character, multiplied by the GS ! size. Drawing each character centred in its cell (rather
than with the font's proportional advance) keeps columns, separators and right-aligned
values where the printer would put them. The encoder uses this to print a line it cannot
send as GBK text as a raster image; the emulator's renderer uses it to draw a slip, so
both look alike.

The font is Noto Sans Mono CJK SC (ASCII exactly half a Han character wide), else Noto
Sans CJK SC, found by face name inside the collection rather than by a fixed face index.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from devices.printer.text import char_width

log = logging.getLogger(__name__)

CELL_W, CELL_H, LINE_PITCH = 12, 24, 30      # Font A dots; ESC 2 line spacing
PREFERRED_FACES = ("Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Source Han Sans SC",
                   "WenQuanYi Zen Hei Mono", "WenQuanYi Zen Hei")
CANDIDATE_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansMonoCJKsc-Regular.otf",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
_FONT_SIZE, _BASELINE = 22, 20


class FontNotFound(RuntimeError):
    """No CJK font is installed (Debian: fonts-noto-cjk)."""


@dataclass(frozen=True)
class Span:
    """A run of text with one set of attributes."""

    text: str
    bold: bool = False
    underline: int = 0
    width: int = 1
    height: int = 1


def _fc_match() -> list[str]:
    exe = shutil.which("fc-match")
    if exe is None:
        return []
    try:
        out = subprocess.run([exe, "-f", "%{file}", "monospace:lang=zh-cn"], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return []
    return [out] if out else []


def find_cjk_font() -> tuple[str, int]:
    """(path, face index) of the best installed CJK face for Simplified Chinese."""
    fallback: tuple[str, int] | None = None
    for path in (*CANDIDATE_FILES, *_fc_match()):
        if not os.path.exists(path):
            continue
        faces: dict[str, int] = {}
        for index in range(32):
            try:
                font = ImageFont.truetype(path, _FONT_SIZE, index=index)
            except OSError:
                break
            faces.setdefault(str(font.getname()[0]), index)
        for face in PREFERRED_FACES:
            if face in faces:
                return path, faces[face]
        if faces and fallback is None and font.getbbox("中")[2] > 0:
            fallback = (path, 0)
    if fallback is not None:
        return fallback
    raise FontNotFound("no CJK font found; install fonts-noto-cjk")


class GlyphRenderer:
    """Draws text in printer cells. Load once and reuse: opening the font is the slow part."""

    def __init__(self, font_path: str | None = None, index: int | None = None) -> None:
        if font_path is None:
            font_path, found_index = find_cjk_font()
            index = found_index if index is None else index
        self.font_path = font_path
        self.font = ImageFont.truetype(font_path, _FONT_SIZE, index=index or 0)

    def span_image(self, span: Span) -> Image.Image:
        """One span at its size: white background (255), black text (0), mode L."""
        cols = sum(char_width(c) for c in span.text)
        base = Image.new("L", (max(cols, 1) * CELL_W, LINE_PITCH), 255)
        draw = ImageDraw.Draw(base)
        x = 0
        for char in span.text:
            cell = char_width(char) * CELL_W
            if not char.isspace():
                advance = self.font.getlength(char)
                left = x + max(0, (cell - advance) / 2)
                for dx in ((0, 1) if span.bold else (0,)):
                    draw.text((left + dx, _BASELINE), char, font=self.font, fill=0,
                              anchor="ls")
            x += cell
        if span.underline:
            draw.rectangle((0, CELL_H - span.underline, cols * CELL_W - 1, CELL_H - 1), fill=0)
        if (span.width, span.height) != (1, 1):
            # Printers enlarge by repeating dots; so do we.
            base = base.resize((base.width * span.width, LINE_PITCH * span.height),
                               Image.Resampling.NEAREST)
        return base

    def line_image(self, spans: list[Span]) -> Image.Image:
        """Spans side by side, bottoms aligned, as one line of paper (mode L)."""
        images = [self.span_image(s) for s in spans if s.text] or [
            Image.new("L", (CELL_W, LINE_PITCH), 255)]
        height = max(i.height for i in images)
        line = Image.new("L", (sum(i.width for i in images), height), 255)
        x = 0
        for image in images:
            line.paste(image, (x, height - image.height))
            x += image.width
        return line
