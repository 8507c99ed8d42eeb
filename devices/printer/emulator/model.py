"""What came out of the emulated printer: slips of text lines, QR codes, barcodes, images."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageOps

from devices.printer.elements import Align
from devices.printer.glyphs import Span


@dataclass
class TextLine:
    spans: list[Span]
    align: Align = Align.LEFT

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class QrElement:
    data: str
    module: int
    ec: str
    align: Align


@dataclass(frozen=True)
class BarcodeElement:
    symbology: str
    data: str
    height: int
    module: int
    hri: int
    align: Align


@dataclass
class ImageElement:
    """A raster image: ``bits`` packed MSB-first, 1 = black, ``width_bytes`` per row."""

    width_bytes: int
    height: int
    bits: bytearray
    align: Align

    @property
    def width(self) -> int:
        return self.width_bytes * 8

    def image(self) -> Image.Image:
        white_is_one = Image.frombytes("1", (self.width, self.height), bytes(self.bits))
        return ImageOps.invert(white_is_one.convert("L"))


@dataclass(frozen=True)
class FeedElement:
    dots: int


@dataclass(frozen=True)
class CutElement:
    partial: bool


Element = TextLine | QrElement | BarcodeElement | ImageElement | FeedElement


@dataclass(frozen=True)
class StreamProblem:
    """An unknown or malformed command, at ``offset`` bytes into the stream."""

    offset: int
    kind: str                   # "unknown" | "malformed"
    raw: str                    # hex of the bytes concerned (at most 16)
    message: str


@dataclass
class Slip:
    """Everything printed up to a cut (or so far, for the slip still in the printer)."""

    elements: list[Element] = field(default_factory=list)
    cut: CutElement | None = None

    @property
    def lines(self) -> list[str]:
        return [e.text for e in self.elements if isinstance(e, TextLine)]

    @property
    def qr_codes(self) -> list[QrElement]:
        return [e for e in self.elements if isinstance(e, QrElement)]

    @property
    def barcodes(self) -> list[BarcodeElement]:
        return [e for e in self.elements if isinstance(e, BarcodeElement)]

    @property
    def images(self) -> list[ImageElement]:
        return [e for e in self.elements if isinstance(e, ImageElement)]

    def is_empty(self) -> bool:
        return not self.elements and self.cut is None

    def summary(self) -> dict[str, object]:
        return {"lines": self.lines, "qr": [q.data for q in self.qr_codes],
                "barcodes": [b.data for b in self.barcodes],
                "images": [[i.width, i.height] for i in self.images],
                "cut": None if self.cut is None else ("partial" if self.cut.partial else "full")}
