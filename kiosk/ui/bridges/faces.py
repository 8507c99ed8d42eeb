"""The face check's services for the flow and its screen: the face engine's process, the
``faces`` worker thread that talks to it, the frame pipeline, and both comparisons.

Implements ``kiosk.flows.face_check.FaceService``: the platform's comparison runs on the
platform worker (in order with the card session's calls, ``PrefillBridge.call``), the
card-photo comparison and every frame's judgement on the ``faces`` thread, which only waits
on the engine's pipe (dlib runs in the engine's own process: never in the GUI's). The
engine's process is started when a face item is chosen (:meth:`FaceBridge.prepare`), not at
start-up: the kiosk's first screen never waits for it, nor for dlib's import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.flows.face_check import FaceCapture, FaceComparison, FaceOutcome
from kiosk.ui.bridges.invoker import GuiInvoker, Worker

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from faces.card_photo import DecoderConfig
    from faces.worker import FaceWorker
    from kiosk.flows.face_threshold import CardPhotoThresholds
    from kiosk.ui.bridges.platform import PrefillBridge
    from kiosk.ui.face_frames import FacePipeline, FrameSource

log = logging.getLogger(__name__)

#: makes the frame source of a check (the camera, or a synthetic one in tests and the demo)
SourceFactory = Callable[[], "FrameSource"]


class FaceBridge:
    """``FaceBridge(invoker, platform=..., decoder=..., source=...)``; :meth:`close` ends the
    engine's process and the thread."""

    def __init__(self, invoker: GuiInvoker, *, platform: PrefillBridge | None,
                 decoder: DecoderConfig | None = None,
                 threshold: CardPhotoThresholds | None = None,
                 source: SourceFactory | None = None, camera: str = "",
                 document_camera: str = "") -> None:
        self._platform, self._decoder, self._threshold = platform, decoder, threshold
        self._source = source
        # devices.face_camera, and the document camera's name to keep away from
        self._camera, self._document_camera = camera, document_camera
        self._worker = Worker("faces", invoker)
        self._engine: FaceWorker | None = None
        self._closed = False

    # -- the engine (on the faces thread) ------------------------------------------------
    def engine(self) -> FaceWorker:
        """The engine's process, started on first use (call it on the faces thread)."""
        if self._engine is None:
            from faces.worker import FaceWorker

            self._engine = FaceWorker(card_decoder=self._decoder)
            self._engine.start()
        return self._engine

    def prepare(self) -> None:
        """Start the engine's process now (a face item was chosen), on the faces thread."""
        if not self._closed:
            self._worker.submit(self._warm, lambda _: None)

    def _warm(self) -> None:
        from faces.errors import FaceError

        try:
            _ = self.engine().threshold   # waits until the models are loaded
        except FaceError as exc:
            log.warning("face.engine_unavailable", extra={"ctx": {"error": type(exc).__name__,
                                                                   "message": str(exc)}})

    def frame_source(self) -> FrameSource:
        """This terminal's face camera (or the configured source): the face check's frames,
        and a video call's."""
        from kiosk.ui.face_frames import CameraFrames

        return self._source() if self._source is not None \
            else CameraFrames(self._camera, avoid=self._document_camera)

    def pipeline(self, parent: QObject | None = None) -> FacePipeline:
        """A frame pipeline over this terminal's face camera (or the configured source)."""
        from kiosk.ui.face_frames import FacePipeline

        return FacePipeline(self.frame_source(), self.engine, self._worker, parent)

    # -- FaceService ------------------------------------------------------------------------
    @property
    def card_photo_available(self) -> bool:
        return self._decoder is not None

    def compare_on_platform(self, capture: FaceCapture, session_id: str,
                            done: Callable[[FaceComparison], None]) -> None:
        from kiosk.flows.face_compare import compare_on_platform

        unavailable = FaceComparison(FaceOutcome.UNAVAILABLE)
        if self._platform is None:
            self._worker.submit(lambda: unavailable, done)
            return
        self._platform.call(lambda client: compare_on_platform(client, capture, session_id),
                            done, unavailable)

    def compare_with_card_photo(self, capture: FaceCapture, card_photo: bytes,
                                done: Callable[[FaceComparison], None]) -> None:
        from kiosk.flows.face_compare import compare_with_card_photo

        # read when the comparison runs: a heartbeat may have named a stricter one since
        self._worker.submit(lambda: compare_with_card_photo(
            self.engine(), capture, card_photo,
            self._threshold.current().applied if self._threshold is not None else None),
            done)

    def close(self) -> None:
        self._closed = True
        self._worker.close()
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def decoder_config(path: str, function: str, signature: str, output: str
                   ) -> DecoderConfig | None:
    """The configured vendor decoder (``identity.card_photo_*``), or None when no path is
    set."""
    if not path:
        return None
    from pathlib import Path

    from faces.card_photo import DecoderConfig, DecoderSignature, PhotoLayout

    return DecoderConfig(Path(path), function, DecoderSignature(signature), PhotoLayout(output))
