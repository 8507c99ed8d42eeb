"""The face check's frame pipeline: one path from a frame source to the preview and to the
face engine, whatever the source is.

::

    FrameSource (CameraFrames: Qt Multimedia | SyntheticFrames: a sample portrait, warped)
        │ frame(QImage), every frame the source makes
        ▼
    FacePipeline ── preview(QImage) ──▶ the screen's guide (every frame: the preview is never
        │                               held back by the engine)
        │ at most one frame in flight, when the previous judgement is back
        ▼
    "faces" worker thread → FaceWorker (dlib in its own process) → LivenessCapture.feed
        │
        ▼ stage(CaptureStage), captured(FaceCapture)

The engine takes 40–200 ms a frame and the preview must keep ≥ 15 frames/s while it runs
(``bench/face_preview.py``), so frames are judged only as fast as the engine answers and the
others go to the preview alone. dlib runs in the engine's own process (never in this one:
it holds the GIL); this process only converts the frame and waits on a pipe, on a worker
thread. Frames live in memory only; :meth:`FacePipeline.stop` drops every one held here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from kiosk.flows.face_capture import CaptureStage, LivenessCapture

if TYPE_CHECKING:
    from faces.engine import FaceJudge
    from faces.frame import Frame
    from faces.model import FrameJudgement
    from faces.synthetic import SyntheticCamera
    from kiosk.ui.bridges.invoker import Worker

log = logging.getLogger(__name__)

#: frames are judged at this width (the engine's threshold was measured at 640 × 480)
JUDGE_WIDTH = 640


class EngineMissing:
    """The engine cannot run on this terminal (``faces.errors.EngineUnavailable``)."""


class FrameSource(QObject):
    """Where frames come from: ``start()``, ``stop()``, and ``frame`` for each one."""

    frame = Signal(QImage)
    failed = Signal(str)

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class CameraFrames(FrameSource):
    """The face camera through Qt Multimedia: every frame the camera delivers (no cap:
    the document camera's preview keeps its own 5 frames/s, ``kiosk.ui.camera_live``).
    ``name``: the configured camera (``devices.face_camera``: description or id), else the
    first that is not ``avoid`` (the document camera's)."""

    def __init__(self, name: str = "", avoid: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink

        from kiosk.ui.camera_choice import camera_info, choose_camera

        inputs = list(QMediaDevices.videoInputs())
        choice = choose_camera([camera_info(d) for d in inputs], name, avoid=avoid)
        if choice.index is None:
            raise LookupError(f"no face camera ({choice.kind})")
        chosen = inputs[choice.index]
        self.camera = QCamera(chosen, self)
        self.sink = QVideoSink(self)
        self.session = QMediaCaptureSession(self)
        self.session.setCamera(self.camera)
        self.session.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(
            lambda f: self.frame.emit(f.toImage()) if f.isValid() else None)
        self.camera.errorOccurred.connect(lambda _e, text: self._fail(text))

    def _fail(self, text: str) -> None:
        log.warning("face_camera.failed", extra={"ctx": {"error": text}})
        self.failed.emit(text)

    def start(self) -> None:
        self.camera.start()

    def stop(self) -> None:
        self.camera.stop()


class SyntheticFrames(FrameSource):
    """Frames from :class:`faces.synthetic.SyntheticCamera` at ``fps``, for tests, the demo
    and the benchmark (there is no camera on a build machine). ``pose`` is the synthetic
    citizen's (``faces.synthetic.Pose``); ``follow`` makes it do what the screen asks."""

    def __init__(self, camera: SyntheticCamera, fps: float = 30.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.camera = camera
        self.follow = True
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(1000 / fps)))
        self._timer.timeout.connect(self._tick)
        self._images: dict[str, QImage] = {}

    def _tick(self) -> None:
        pose = str(self.camera.pose)
        if pose not in self._images:
            frame = self.camera.frame()
            self._images[pose] = QImage(frame.rgb, frame.width, frame.height,
                                        frame.width * 3, QImage.Format.Format_RGB888).copy()
        self.frame.emit(self._images[pose])

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._images.clear()
        self.camera.close()          # its rendered frames too: the sample is re-rendered

    def act(self, stage: CaptureStage, challenge: str) -> None:
        """The synthetic citizen follows the screen's request (when ``follow``)."""
        from faces.synthetic import Pose

        if not self.follow:
            return
        if stage is CaptureStage.TURN:
            self.camera.pose = Pose.LEFT if challenge == "turn_left" else Pose.RIGHT
        elif stage in (CaptureStage.STRAIGHT, CaptureStage.NO_FACE, CaptureStage.TOO_SMALL):
            self.camera.pose = Pose.STRAIGHT


def frame_of(image: QImage) -> Frame:
    """A Qt frame as the engine's :class:`faces.frame.Frame` (RGB, ``JUDGE_WIDTH`` wide)."""
    from faces.frame import Frame

    if image.width() > JUDGE_WIDTH:
        image = image.scaledToWidth(JUDGE_WIDTH)
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    data = bytes(rgb.constBits())      # type: ignore[call-overload]
    if stride != width * 3:            # rows padded to 4 bytes: drop the padding
        data = b"".join(data[y * stride:y * stride + width * 3] for y in range(height))
    return Frame(width, height, data)


class FacePipeline(QObject):
    """Frames from ``source`` to the preview, and (while :meth:`capture` runs) to the engine
    through ``worker`` (a thread that calls ``judge``; the engine itself is in its own
    process)."""

    preview = Signal(QImage)
    stage = Signal(object)           # CaptureStage
    captured = Signal(object)        # kiosk.flows.face_check.FaceCapture
    failed = Signal()                # the engine could not judge: the screen says try again
    unavailable = Signal()           # no engine here at all (not installed, no AVX): stop

    def __init__(self, source: FrameSource, judge: Callable[[], FaceJudge], worker: Worker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source, self._judge, self._worker = source, judge, worker
        self.run: LivenessCapture | None = None
        self._busy = False
        self._generation = 0        # answers for an earlier capture are dropped
        self.frames_shown = 0
        self.frames_judged = 0
        source.frame.connect(self._on_frame)

    def start(self) -> None:
        self.source.start()

    def capture(self, run: LivenessCapture) -> None:
        """Judge frames for ``run`` until its challenge is met."""
        self._generation += 1
        self.run = run
        self._busy = False

    def stop(self) -> None:
        """Stop the source and drop every frame and capture held here."""
        self.source.stop()
        self._generation += 1
        if self.run is not None:
            self.run.drop()
        self.run = None
        self._busy = False

    def _on_frame(self, image: QImage) -> None:
        self.frames_shown += 1
        self.preview.emit(image)
        run = self.run
        if run is None or self._busy or run.stage is CaptureStage.DONE:
            return
        self._busy = True
        frame = frame_of(image)
        generation, encode = self._generation, run.wants_encoding
        judge = self._judge

        def job() -> FrameJudgement | EngineMissing | None:
            from faces.errors import EngineUnavailable, FaceError

            try:
                return judge().judge(frame, encode=encode)
            except EngineUnavailable as exc:   # a technician's fix: no use trying again
                log.error("face.engine_unavailable", extra={"ctx": {"message": str(exc)}})
                return EngineMissing()
            except FaceError as exc:      # crashed or timed out: restarted; try again
                log.warning("face.judge_failed", extra={"ctx": {"error": type(exc).__name__}})
                return None
        self._worker.submit(job, lambda judged: self._judged(generation, frame, judged))

    def _judged(self, generation: int, frame: Frame,
                judged: FrameJudgement | EngineMissing | None) -> None:
        if generation != self._generation or self.run is None:
            return                        # stopped or restarted since: drop it
        self._busy = False
        self.frames_judged += 1
        if isinstance(judged, EngineMissing):
            self.run.drop()
            self.run = None
            self.unavailable.emit()
            return
        if judged is None:
            self.failed.emit()
            return
        run = self.run
        stage = run.feed(frame, judged)
        if stage is CaptureStage.DONE:
            # the capture first: the flow is comparing before anyone hears "done" (a
            # listener of the stage must not start another capture meanwhile)
            capture = run.result()
            run.drop()
            self.run = None
            self.captured.emit(capture)
            if generation != self._generation:
                return                    # stopped by the answer (a match: next step)
        self.stage.emit(stage)
