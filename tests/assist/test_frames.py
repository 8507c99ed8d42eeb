"""Frames and the sources the Qt side and the command line feed a call from."""

from __future__ import annotations

import threading
import time

import pytest

from assist.errors import MediaUnavailable
from assist.frames import CameraFrames, PushedFrames, RgbFrame, TestPattern


def test_a_frame_checks_its_size_and_hides_its_pixels() -> None:
    """A frame whose bytes do not make width × height RGB pixels is refused; its repr names
    the size, never the pixels (a face)."""
    frame = RgbFrame(2, 1, b"\x01\x02\x03\x04\x05\x06")
    assert "rgb" not in repr(frame) and "\\x01" not in repr(frame)
    with pytest.raises(ValueError):
        RgbFrame(2, 2, b"\x00" * 6)
    with pytest.raises(ValueError):
        RgbFrame(0, 1, b"")


def test_pushed_frames_keep_the_newest_and_forget_it_on_close() -> None:
    """The newest pushed frame wins (no queue to fall behind); close drops it and ignores
    later pushes (the frame is a face: it goes when the call does)."""
    source = PushedFrames()
    assert source.latest() is None
    first, second = RgbFrame(1, 1, b"abc"), RgbFrame(1, 1, b"def")
    pushers = [threading.Thread(target=source.push, args=(f,)) for f in (first, first)]
    for pusher in pushers:
        pusher.start()
    for pusher in pushers:
        pusher.join()
    source.push(second)
    assert source.latest() is second
    source.close()
    source.push(first)
    assert source.latest() is None


def test_the_test_pattern_moves_and_has_the_asked_size() -> None:
    """Two frames of the pattern taken apart in time differ (motion for the encoder and a
    reason to believe frames flow), at the size asked for."""
    pattern = TestPattern(320, 240)
    one = pattern.latest()
    time.sleep(0.05)
    two = pattern.latest()
    assert (one.width, one.height) == (320, 240) and len(one.rgb) == 320 * 240 * 3
    assert one.rgb != two.rgb
    pattern.close()


def test_a_camera_that_is_not_there_is_media_unavailable() -> None:
    """A V4L2 device that does not exist is refused at once, with words, and no reader
    thread is left behind."""
    before = set(threading.enumerate())
    with pytest.raises(MediaUnavailable, match="/dev/video-none"):
        CameraFrames("/dev/video-none")
    assert set(threading.enumerate()) <= before


def test_camera_frames_are_read_on_their_own_thread_and_released_on_close() -> None:
    """A PyAV input (FFmpeg's generated test source standing in for a V4L2 camera) is read
    on the thread assist-camera into RGB frames of its size; close stops the thread."""
    camera = CameraFrames("testsrc=size=320x240:rate=15", input_format="lavfi")
    try:
        deadline = time.monotonic() + 10
        while camera.latest() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        frame = camera.latest()
        assert frame is not None and (frame.width, frame.height) == (320, 240)
        assert "assist-camera" in [t.name for t in threading.enumerate()]
    finally:
        camera.close()
    assert "assist-camera" not in [t.name for t in threading.enumerate()]
    assert camera.latest() is None
