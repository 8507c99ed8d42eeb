"""Turning the card's 1024-byte WLT photo into a picture.

WLT decoding exists only in closed vendor libraries, usually licensed to the reader's SAM
ID (spec id-cards.md 4). The raw block is the authoritative photo; decoding sits behind
:class:`PhotoDecoder` so that a site can plug its vendor decoder in, and the default
:class:`PlaceholderPhotoDecoder` returns a neutral grey picture of the real size. Nothing
may wait on a decoder to let a citizen continue.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Protocol

PHOTO_WIDTH = 102
PHOTO_HEIGHT = 126


@dataclass(frozen=True)
class DecodedPhoto:
    """A decoded photo as an image file's bytes (``mime`` says which format)."""

    data: bytes
    mime: str
    width: int
    height: int
    placeholder: bool = False


class PhotoDecoder(Protocol):
    """Decodes a WLT block. Implementations must not log or store the photo."""

    def decode(self, wlt: bytes) -> DecodedPhoto: ...


def _bmp(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A 24-bit uncompressed BMP filled with one colour (rows padded to 4 bytes)."""
    row = bytes((rgb[2], rgb[1], rgb[0])) * width
    row += b"\x00" * (-len(row) % 4)
    pixels = row * height
    header_size = 14 + 40
    file_header = struct.pack("<2sIHHI", b"BM", header_size + len(pixels), 0, 0, header_size)
    info_header = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels),
                              2835, 2835, 0, 0)
    return file_header + info_header + pixels


class PlaceholderPhotoDecoder:
    """The default: a neutral grey 102 × 126 BMP (38 862 bytes, like a decoded photo)."""

    def __init__(self, grey: int = 0xC8) -> None:
        self._image = _bmp(PHOTO_WIDTH, PHOTO_HEIGHT, (grey, grey, grey))

    def decode(self, wlt: bytes) -> DecodedPhoto:
        return DecodedPhoto(self._image, "image/bmp", PHOTO_WIDTH, PHOTO_HEIGHT,
                            placeholder=True)
