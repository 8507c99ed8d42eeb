"""A document's picture as one snapshot message: JPEG, scaled down until it fits."""

from __future__ import annotations

import base64
import io
import os

from PIL import Image

from assist.frames import RgbFrame
from assist.snapshots import base64_length, fit_jpeg
from civic.assist import MAX_SNAPSHOT_BASE64, Snapshot, decode, encode


def noise(width: int, height: int) -> RgbFrame:
    """The worst case for JPEG: random pixels."""
    return RgbFrame(width, height, os.urandom(width * height * 3))


def test_a_small_picture_is_sent_at_its_size() -> None:
    """A frame whose JPEG fits is sent whole, as image/jpeg, and survives encode/decode."""
    frame = RgbFrame(64, 48, bytes(range(256)) * 36)
    snap = fit_jpeg(frame)
    assert snap.media_type == "image/jpeg"
    with Image.open(io.BytesIO(snap.data)) as image:
        assert image.size == (64, 48)
    back = decode(encode(snap))
    assert isinstance(back, Snapshot) and back.data == snap.data


def test_a_picture_too_big_for_a_message_is_scaled_until_its_base64_fits() -> None:
    """Random 1600×1200 pixels make a JPEG far over 192 KiB of base64: the snapshot is made
    smaller (not refused) until it fits, keeping the aspect ratio, and encode accepts it."""
    snap = fit_jpeg(noise(1600, 1200))
    assert len(base64.b64encode(snap.data)) <= MAX_SNAPSHOT_BASE64
    with Image.open(io.BytesIO(snap.data)) as image:
        width, height = image.size
    assert width < 1600 and abs(width / height - 4 / 3) < 0.02
    encode(snap)


def test_a_tighter_limit_is_kept_too() -> None:
    """The limit is a parameter: 20 000 characters are kept as well."""
    snap = fit_jpeg(noise(640, 480), limit=20_000)
    assert base64_length(len(snap.data)) <= 20_000


def test_base64_length_is_exact() -> None:
    """The size check counts base64 characters as the message will carry them."""
    for size in range(0, 20):
        assert base64_length(size) == len(base64.b64encode(b"x" * size))
