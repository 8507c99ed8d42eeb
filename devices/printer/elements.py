"""What a receipt is made of (its elements): what a slip says, apart from the bytes that
print it.

A :class:`Receipt` is a sequence of elements. The ESC/POS encoder turns it into bytes for
a given :class:`~devices.printer.profiles.PrinterProfile`; the emulator's decoder turns
those bytes back into a :class:`~devices.printer.emulator.decoder.Slip`, which its
renderer draws. Elements hold only what a citizen may see on paper: callers put masked
names and ID numbers in them, never the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from PIL import Image


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; the encoder wraps it to the paper's columns."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    underline: int = 0          # 0 off, 1 thin, 2 thick
    width: int = 1              # character width multiplier, 1-8
    height: int = 1             # character height multiplier, 1-8

    def __post_init__(self) -> None:
        if not (1 <= self.width <= 8 and 1 <= self.height <= 8):
            raise ValueError("width and height multipliers are 1-8")
        if self.underline not in (0, 1, 2):
            raise ValueError("underline is 0, 1 or 2")


@dataclass(frozen=True)
class Row:
    """A label on the left and its value on the right of the same line (wraps if long)."""

    label: str
    value: str
    bold: bool = False


@dataclass(frozen=True)
class Separator:
    """A full-width rule made of one ASCII character."""

    char: str = "-"

    def __post_init__(self) -> None:
        if len(self.char) != 1 or not (0x21 <= ord(self.char) < 0x7F):
            raise ValueError("a separator is one printable ASCII character")


@dataclass(frozen=True)
class QrCode:
    """A QR code (model 2). Keep the payload ASCII: a URL with a tracking id."""

    data: str
    align: Align = Align.CENTER
    module: int | None = None   # dots per module; None = the profile's
    ec: str = "M"               # L, M, Q or H

    def __post_init__(self) -> None:
        if not self.data or not self.data.isascii():
            raise ValueError("a receipt QR code carries a non-empty ASCII payload")
        if self.ec not in ("L", "M", "Q", "H"):
            raise ValueError("QR error correction is L, M, Q or H")
        if self.module is not None and not 1 <= self.module <= 16:
            raise ValueError("QR module size is 1-16 dots")


@dataclass(frozen=True)
class Barcode128:
    """A CODE128 barcode (code set B) with its text printed below."""

    data: str
    align: Align = Align.CENTER
    height: int = 60            # dots
    module: int = 2             # dots per narrowest bar, 2-6

    def __post_init__(self) -> None:
        if not self.data or not all(0x20 <= ord(c) < 0x7F for c in self.data):
            raise ValueError("CODE128-B carries printable ASCII")
        if len(self.data) > 253 or not 1 <= self.height <= 255 or not 2 <= self.module <= 6:
            raise ValueError("CODE128: at most 253 characters, height 1-255, module 2-6")


@dataclass(frozen=True, eq=False)
class Raster:
    """A picture (logo, seal), printed as a raster image; black is what is not white."""

    image: Image.Image
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.lines <= 255:
            raise ValueError("feed 1-255 lines")


Element = Paragraph | Row | Separator | QrCode | Barcode128 | Raster | Feed


@dataclass(frozen=True)
class Receipt:
    """A whole slip. ``name`` is a short, non-personal label for logs and job titles."""

    elements: tuple[Element, ...] = field(default_factory=tuple)
    name: str = "receipt"
    cut: bool = True
