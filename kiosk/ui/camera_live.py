"""A live document camera through Qt Multimedia, behind the camera overlay's interface.

``QCamera`` (the one ``devices.document_camera`` names, else the first video input:
``kiosk.ui.camera_choice``, the face camera's rule) → ``QMediaCaptureSession`` with a
``QVideoSink`` for the preview (frames shown as still images, a few per second: enough to
lay the paper straight, cheap on a kiosk's CPU) and a ``QImageCapture`` for the picture
itself. Everything is asynchronous and reported through Qt signals on the GUI thread;
``stop()`` releases the device (the overlay calls it when it closes, and the wipe closes
the overlay). Photos stay in memory.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QImageCapture,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoSink,
)

log = logging.getLogger(__name__)

PREVIEW_EVERY_S = 0.2        # at most five preview frames a second


def video_inputs() -> list[QCameraDevice]:
    return list(QMediaDevices.videoInputs())


class CameraMissing(LookupError):
    """The configured document camera is not connected (others may be)."""


class LiveCamera(QObject):
    """``start()``, then ``capture()``; ``frame`` for the preview, ``captured`` for the
    picture, ``failed`` (a message for the log, never shown raw) when the device fails."""

    frame = Signal(QImage)
    captured = Signal(QImage)
    failed = Signal(str)

    def __init__(self, name: str = "", parent: QObject | None = None) -> None:
        """``name``: ``devices.document_camera`` (description or id; empty: the first).
        Raises :class:`CameraMissing` when the named one is not connected, LookupError
        when there is no camera at all."""
        super().__init__(parent)
        from kiosk.ui.camera_choice import ChoiceKind, camera_info, choose_camera

        inputs = video_inputs()
        choice = choose_camera([camera_info(d) for d in inputs], name)
        if choice.kind is ChoiceKind.MISSING:
            raise CameraMissing("the configured document camera is not connected")
        if choice.index is None:
            raise LookupError("no video input")
        chosen = inputs[choice.index]
        self.camera = QCamera(chosen, self)
        self.capture_ = QImageCapture(self)
        self.sink = QVideoSink(self)
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture_)
        self.session.setVideoSink(self.sink)
        self._last_preview = 0.0
        self.sink.videoFrameChanged.connect(self._on_frame)
        self.capture_.imageCaptured.connect(lambda _id, image: self.captured.emit(image))
        self.capture_.errorOccurred.connect(
            lambda _id, _error, text: self._fail("capture", text))
        self.camera.errorOccurred.connect(lambda _error, text: self._fail("camera", text))

    @property
    def active(self) -> bool:
        return self.camera.isActive()

    def start(self) -> None:
        self.camera.start()

    def ready_to_capture(self) -> bool:
        return self.capture_.isReadyForCapture()

    def capture(self) -> None:
        self.capture_.capture()

    def stop(self) -> None:
        self.camera.stop()

    def _on_frame(self, frame: QVideoFrame) -> None:
        now = time.monotonic()
        if now - self._last_preview >= PREVIEW_EVERY_S and frame.isValid():
            self._last_preview = now
            self.frame.emit(frame.toImage())

    def _fail(self, part: str, text: str) -> None:
        log.warning("camera.failed", extra={"ctx": {"part": part, "error": text}})
        self.failed.emit(text)
