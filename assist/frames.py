"""Where the citizen's video comes from: frames as plain RGB bytes, and three sources.

* :class:`PushedFrames`: the Qt side pushes the frames of the camera pipeline it already
  runs for the face check (or the demo's synthetic camera), so the call shows what the
  overlay shows and a test can feed synthetic frames;
* :class:`TestPattern`: a moving picture made in memory (``kiosk assist dial``, tests);
* :class:`CameraFrames`: a V4L2 camera read through PyAV on a thread of its own, for the
  command line, which has no Qt.

A source is read by the call's video track at its frame rate (:meth:`VideoSource.latest`:
the newest frame, never a queue: a slow encoder skips frames instead of falling behind).
The engine closes its source when the call ends. Frames are a resident's face: their repr
never shows the pixels and nothing here writes them anywhere.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from assist.errors import MediaUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RgbFrame:
    """One picture: ``width`` × ``height`` pixels, 3 bytes each (R, G, B), rows top down."""

    width: int
    height: int
    rgb: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or len(self.rgb) != self.width * self.height * 3:
            raise ValueError(f"{len(self.rgb)} bytes are not a {self.width}×{self.height} "
                             "RGB frame")


class VideoSource(Protocol):
    def latest(self) -> RgbFrame | None:
        """The newest frame, or None while there is none yet."""
        ...

    def close(self) -> None:
        """Stop producing; a source that owns a thread or a device lets go of it here."""
        ...


class PushedFrames:
    """Frames pushed from another thread (the Qt camera pipeline); the newest one wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: RgbFrame | None = None
        self._closed = False

    def push(self, frame: RgbFrame) -> None:
        with self._lock:
            if not self._closed:
                self._frame = frame

    def latest(self) -> RgbFrame | None:
        with self._lock:
            return self._frame

    def close(self) -> None:
        # the last frame is a face: drop it as soon as the call ends
        with self._lock:
            self._closed, self._frame = True, None


class TestPattern:
    """Colour bars that scroll sideways, with a bar moving down: a picture whose motion
    shows that frames flow (and that the encoder has work to do), made without any I/O."""

    __test__ = False    # not a pytest class, whatever its name says

    def __init__(self, width: int = 640, height: int = 480) -> None:
        # here, not at import: `import assist` stays light
        import numpy as np

        if width < 8 or height < 8:
            raise ValueError("a test pattern needs at least 8×8 pixels")
        self.width, self.height = width, height
        colours = np.array([[235, 235, 235], [235, 235, 16], [16, 235, 235], [16, 235, 16],
                            [235, 16, 235], [235, 16, 16], [16, 16, 235], [16, 16, 16]],
                           dtype=np.uint8)
        columns = (np.arange(width) * len(colours) // width)
        self._bars = np.broadcast_to(colours[columns], (height, width, 3)).copy()
        self._started = time.monotonic()
        self._lock = threading.Lock()

    def latest(self) -> RgbFrame:
        import numpy as np

        elapsed = time.monotonic() - self._started
        with self._lock:
            picture = np.roll(self._bars, int(elapsed * 60) % self.width, axis=1)
        row = int(elapsed * 90) % self.height
        picture[row:row + 8, :, :] = 255 - picture[row:row + 8, :, :]
        return RgbFrame(self.width, self.height, picture.tobytes())

    def close(self) -> None:
        pass


class CameraFrames:
    """A V4L2 camera (``/dev/video0``) read through PyAV on the thread ``assist-camera``.

    The device is opened in the constructor, so a missing or busy camera is
    :class:`MediaUnavailable` at once rather than a call without a picture; frames are
    decoded to RGB as they come and only the newest is kept. :meth:`close` stops the thread
    and releases the device. ``input_format`` is FFmpeg's demuxer (tests read ``lavfi``'s
    generated pictures through the same path)."""

    def __init__(self, device: str, *, width: int = 640, height: int = 480,
                 fps: int = 15, input_format: str = "v4l2") -> None:
        try:
            import av
        except ImportError as exc:
            raise MediaUnavailable(f"PyAV cannot be imported ({exc}): no camera") from exc
        try:
            self._container: Any = av.open(device, format=input_format, options={
                "video_size": f"{width}x{height}", "framerate": str(fps)})
        except (av.FFmpegError, OSError) as exc:
            raise MediaUnavailable(f"the camera {device} cannot be opened: {exc}") from exc
        self.device = device
        self._lock = threading.Lock()
        self._frame: RgbFrame | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="assist-camera", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        import av

        try:
            for frame in self._container.decode(video=0):
                if self._stop.is_set():
                    break
                rgb = frame.to_ndarray(format="rgb24")
                with self._lock:
                    self._frame = RgbFrame(rgb.shape[1], rgb.shape[0], rgb.tobytes())
        except (av.FFmpegError, OSError) as exc:
            # unplugged mid-call: the call goes on with the last frame, then black
            log.warning("assist.camera_lost", extra={"ctx": {"device": self.device,
                                                             "error": type(exc).__name__}})
        finally:
            self._container.close()

    def latest(self) -> RgbFrame | None:
        with self._lock:
            return self._frame

    def close(self) -> None:
        # The reader notices the flag at its next frame (1/fps later) and closes the device.
        self._stop.set()
        self._thread.join(timeout=5)
        with self._lock:
            self._frame = None
