"""The faces package's one error tree.

::

    FaceError                       anything this package raises on purpose
    ├── ImageUnreadable             bytes that are not an image we can read (bad input)
    ├── EngineUnavailable           dlib or the model files are not installed (a technician's fix)
    ├── WorkerError                 the engine's process failed; it has been restarted
    │   ├── WorkerCrashed           it died during the request (killed, out of memory, a crash)
    │   └── WorkerTimeout           it did not answer in time, so it was killed
    └── PhotoDecoderError           the reader vendor's WLT decoder (for the technician, never
        ├── DecoderNotLoadable      the configured library is missing, or lacks the function
        ├── DecoderFailed           the decoder returned an error code (e.g. -5: licence ≠ SAM)
        └── PhotoGarbled            the input is not a 1024-byte WLT, or the output is not a
                                    102 × 126 picture

Every message says what to do and carries no personal data (no pixels, no ID number).
"""

from __future__ import annotations


class FaceError(Exception):
    """Root of every error this package raises on purpose."""


class ImageUnreadable(FaceError):
    """The bytes are not an image (or a frame) we can read."""


class EngineUnavailable(FaceError):
    """The face engine cannot start: its library or model files are missing."""


class WorkerError(FaceError):
    """The engine's process failed this request; a fresh one has been started."""


class WorkerCrashed(WorkerError):
    """The engine's process ended while it held a request."""


class WorkerTimeout(WorkerError):
    """The engine's process did not answer in time and was killed."""


class PhotoDecoderError(FaceError):
    """The vendor's card-photo decoder failed; reported to the technician, never the citizen."""


class DecoderNotLoadable(PhotoDecoderError):
    """The configured decoder library is missing or does not export the function."""


class DecoderFailed(PhotoDecoderError):
    """The decoder returned an error code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class PhotoGarbled(PhotoDecoderError):
    """The photo going in or the picture coming out is not what the ABI promises."""
