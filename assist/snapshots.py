"""A picture of a document as one ``snapshot`` message: JPEG, scaled until it fits.

A channel message carries at most :data:`civic.assist.MAX_SNAPSHOT_BASE64` characters of
base64. A document camera's full frame is usually well under it at a good quality; when it
is not, the picture is made smaller (never the quality lower than a clerk can read): text
stays legible at a lower resolution far longer than under heavy JPEG artefacts.
"""

from __future__ import annotations

import io
from typing import Final

from assist.frames import RgbFrame
from civic.assist import MAX_SNAPSHOT_BASE64, Snapshot

#: JPEG qualities tried at each size, best first
QUALITIES: Final = (85, 70)
#: each step down in size keeps this share of the width and height
SCALE_STEP: Final = 0.8


def base64_length(size: int) -> int:
    """How many base64 characters ``size`` bytes become."""
    return 4 * ((size + 2) // 3)


def fit_jpeg(frame: RgbFrame, limit: int = MAX_SNAPSHOT_BASE64) -> Snapshot:
    """``frame`` as a JPEG snapshot whose base64 is at most ``limit`` characters."""
    from PIL import Image

    image = Image.frombytes("RGB", (frame.width, frame.height), frame.rgb)
    while True:
        for quality in QUALITIES:
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=quality, optimize=True)
            if base64_length(out.tell()) <= limit:
                return Snapshot(out.getvalue(), "image/jpeg")
        width, height = image.size
        if width <= 16 or height <= 16:     # cannot happen with any sane limit
            raise ValueError(f"no JPEG of this frame fits in {limit} base64 characters")
        image = image.resize((max(16, int(width * SCALE_STEP)),
                              max(16, int(height * SCALE_STEP))), Image.Resampling.LANCZOS)
