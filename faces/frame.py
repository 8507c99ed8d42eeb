"""A frame: raw RGB pixels in memory, and the one place an image file's bytes become one.

Frames travel to the engine's process as these bytes; nothing here touches the disk, so a
face image read from a camera or a card never lands on it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from faces.errors import ImageUnreadable

# A camera frame or a photo bigger than this is not something a kiosk sends; refusing it
# keeps a corrupt header from asking the engine's process for gigabytes.
MAX_PIXELS = 4096 * 4096


@dataclass(frozen=True)
class Frame:
    """Packed 8-bit RGB rows, top row first, ``width * height * 3`` bytes."""

    width: int
    height: int
    rgb: bytes = field(repr=False)      # pixels are personal data: never in a repr or log

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.width * self.height > MAX_PIXELS:
            raise ImageUnreadable(f"a frame of {self.width} × {self.height} pixels is not usable")
        if len(self.rgb) != self.width * self.height * 3:
            raise ImageUnreadable(f"a {self.width} × {self.height} RGB frame needs "
                                  f"{self.width * self.height * 3} bytes, not {len(self.rgb)}")


def frame_from_image(data: bytes) -> Frame:
    """Decode an image file's bytes (JPEG, PNG, BMP …) into a frame, honouring its EXIF
    orientation (a phone's portrait JPEG is stored sideways)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            rgb = upright.convert("RGB")
    except UnidentifiedImageError as exc:
        raise ImageUnreadable("not a JPEG, PNG or other image format this terminal "
                              "reads") from exc
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageUnreadable(f"not an image this terminal can read ({exc})") from exc
    return Frame(rgb.width, rgb.height, rgb.tobytes())
