"""Altered copies of a portrait, as a camera or a card might show the same face: scaled,
cropped, rotated, re-compressed, darker, brighter; and the card photo's 102 × 126 size.

Used by the face tests to measure how far one person's encodings drift. Pure Pillow, in
memory: no altered portrait is written anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from faces.frame import Frame, frame_from_image

CARD_PHOTO_SIZE = (102, 126)


def _image(frame: Frame) -> Any:
    from PIL import Image

    return Image.frombytes("RGB", (frame.width, frame.height), frame.rgb)


def _frame(image: Any) -> Frame:
    from PIL import Image

    assert isinstance(image, Image.Image)
    rgb = image.convert("RGB")
    return Frame(rgb.width, rgb.height, rgb.tobytes())


def _jpeg(image: Any, quality: int) -> bytes:
    from PIL import Image

    assert isinstance(image, Image.Image)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def variants(frame: Frame) -> dict[str, Frame]:
    """Named altered copies of ``frame`` (a head-and-shoulders portrait)."""
    from PIL import Image, ImageEnhance

    img = _image(frame)
    assert isinstance(img, Image.Image)
    w, h = img.size
    steps: dict[str, Callable[[], Image.Image]] = {
        "scaled_0.75": lambda: img.resize((int(w * 0.75), int(h * 0.75)), Image.Resampling.BICUBIC),
        "scaled_1.5": lambda: img.resize((int(w * 1.5), int(h * 1.5)), Image.Resampling.BICUBIC),
        "cropped_top": lambda: img.crop((0, 0, w, int(h * 0.8))),
        "cropped_left": lambda: img.crop((int(w * 0.1), 0, w, h)),
        "cropped_right": lambda: img.crop((0, 0, int(w * 0.9), h)),
        "rotated_+8": lambda: img.rotate(8, Image.Resampling.BICUBIC, expand=True),
        "rotated_-8": lambda: img.rotate(-8, Image.Resampling.BICUBIC, expand=True),
        "rotated_+4": lambda: img.rotate(4, Image.Resampling.BICUBIC, expand=False),
        "jpeg_20": lambda: Image.open(io.BytesIO(_jpeg(img, 20))),
        "jpeg_50": lambda: Image.open(io.BytesIO(_jpeg(img, 50))),
        "darker_0.5": lambda: ImageEnhance.Brightness(img).enhance(0.5),
        "darker_0.7": lambda: ImageEnhance.Brightness(img).enhance(0.7),
        "brighter_1.3": lambda: ImageEnhance.Brightness(img).enhance(1.3),
        "low_contrast": lambda: ImageEnhance.Contrast(img).enhance(0.6),
        "greyscale": lambda: img.convert("L").convert("RGB"),
        "darker_jpeg_30": lambda: Image.open(io.BytesIO(
            _jpeg(ImageEnhance.Brightness(img).enhance(0.6), 30))),
    }
    return {name: _frame(make()) for name, make in steps.items()}


def jpeg_bytes(frame: Frame, quality: int = 90) -> bytes:
    """The frame as a JPEG file's bytes (for the CLI's image arguments, in memory)."""
    return _jpeg(_image(frame), quality)


def card_photo(frame: Frame, face_box: tuple[int, int, int, int]) -> Frame:
    """A 102 × 126 head-and-shoulders crop around a face, as an ID card's photo frames one:
    the face about 60 % of the width, some room above the head."""
    from PIL import Image

    left, top, right, bottom = face_box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    width = (right - left) / 0.6
    height = width * CARD_PHOTO_SIZE[1] / CARD_PHOTO_SIZE[0]
    box = (int(cx - width / 2), int(cy - height * 0.45), int(cx + width / 2),
           int(cy + height * 0.55))
    img = _image(frame)
    assert isinstance(img, Image.Image)
    return _frame(img.crop(box).resize(CARD_PHOTO_SIZE, Image.Resampling.LANCZOS))


def shrunk_into(frame: Frame, scale: float, canvas: tuple[int, int] = (640, 480)) -> Frame:
    """The portrait scaled by ``scale`` and pasted in the middle of a grey 640 × 480 frame:
    a citizen standing far from the camera."""
    from PIL import Image

    img = _image(frame)
    assert isinstance(img, Image.Image)
    small = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))),
                       Image.Resampling.LANCZOS)
    out = Image.new("RGB", canvas, (128, 128, 128))
    out.paste(small, ((canvas[0] - small.width) // 2, (canvas[1] - small.height) // 2))
    return _frame(out)


def side_by_side(first: Frame, second: Frame, height: int = 480) -> Frame:
    """Two portraits in one frame, each scaled to ``height``: a collage of two faces."""
    from PIL import Image

    parts = []
    for frame in (first, second):
        img = _image(frame)
        assert isinstance(img, Image.Image)
        size = (int(img.width * height / img.height), height)
        parts.append(img.resize(size, Image.Resampling.BICUBIC))
    out = Image.new("RGB", (sum(p.width for p in parts), height))
    x = 0
    for part in parts:
        out.paste(part, (x, 0))
        x += part.width
    return _frame(out)


def from_file_bytes(data: bytes) -> Frame:
    return frame_from_image(data)


def sheared(frame: Frame, k: float, y0: float) -> Frame:
    """Every row shifted sideways by ``k`` × its distance below ``y0`` (the eye line): the
    nose moves sideways against the eyes, as it does when a head turns."""
    from PIL import Image

    img = _image(frame)
    assert isinstance(img, Image.Image)
    # Pillow maps each output pixel back to the input: x_in = x_out − k (y − y0).
    out = img.transform(img.size, Image.Transform.AFFINE, (1, -k, k * y0, 0, 1, 0),
                        Image.Resampling.BICUBIC)
    return _frame(out)


def squeezed(frame: Frame, factor: float, y0: float) -> Frame:
    """Rows stretched or squeezed vertically about ``y0`` (the eye line): the nose moves up
    or down against the eyes, as it does when a head nods."""
    from PIL import Image

    img = _image(frame)
    assert isinstance(img, Image.Image)
    out = img.transform(img.size, Image.Transform.AFFINE,
                        (1, 0, 0, 0, 1 / factor, y0 - y0 / factor), Image.Resampling.BICUBIC)
    return _frame(out)


def keystoned(frame: Frame, amount: float) -> Frame:
    """A perspective warp that narrows the image's right side by ``amount`` of its height
    (a photo held at a slant to the camera)."""
    from PIL import Image

    img = _image(frame)
    assert isinstance(img, Image.Image)
    w, h = img.size
    d = amount * h
    # QUAD maps the output's corners to these input points (NW, SW, SE, NE).
    out = img.transform(img.size, Image.Transform.QUAD, (0, 0, 0, h, w, h + d, w, -d),
                        Image.Resampling.BICUBIC)
    return _frame(out)
