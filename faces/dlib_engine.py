"""The default engine: dlib (Boost 1.0) with the model files of ``face-recognition-models``.

Used directly rather than through the ``face_recognition`` wrapper, which loads all four
model files on import, the 68-point landmark model included: that model was trained on
iBUG 300-W, whose terms forbid commercial use, so it must never be loaded or shipped. This
engine loads exactly two files — ``shape_predictor_5_face_landmarks.dat`` and
``dlib_face_recognition_resnet_model_v1.dat`` — and uses the HOG detector compiled into dlib.

dlib is imported when the engine is built, which happens in the engine's own process
(:mod:`faces.worker`), never in the kiosk's GUI process: its calls hold the GIL.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from faces import scoring
from faces.errors import EngineUnavailable
from faces.frame import Frame
from faces.model import Box, Encoding, Landmarks

MODELS_PACKAGE = "face_recognition_models"
LANDMARKS_5 = "shape_predictor_5_face_landmarks.dat"
ENCODER = "dlib_face_recognition_resnet_model_v1.dat"

# A camera frame (640 × 480) is searched at its own scale first: 35–40 ms, faces from about
# 80 px. Only when that finds nothing is it searched once more at double scale (faces from
# about 40 px, ~150 ms), so that a citizen standing too far back hears "come closer" rather
# than "no face"; a small image (a card photo) is searched at double scale straight away.
_SMALL_IMAGE = 320


def models_dir() -> Path:
    """The directory of the installed model files, found without importing the package (its
    ``__init__`` imports the deprecated ``pkg_resources``)."""
    spec = importlib.util.find_spec(MODELS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable("the face models are not installed: install the "
                                "'face-recognition-models' package")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def lacks_avx(cpuinfo: str) -> bool:
    """Whether a Linux ``/proc/cpuinfo`` text shows an x86 CPU without AVX. The dlib-bin
    wheel is built for AVX, and importing it on such a CPU (e.g. the Bay Trail Celerons of
    older kiosks) kills the process with SIGILL; better to say so. Unknown layouts (other
    architectures, no flags lines) are not judged."""
    flags = [line.partition(":")[2].split() for line in cpuinfo.splitlines()
             if line.startswith("flags")]
    return bool(flags) and not all("avx" in cpu for cpu in flags)


class DlibEngine:
    """dlib's HOG detector, 5-point shape predictor and ResNet encoder (1 jitter)."""

    def __init__(self, models: Path | None = None) -> None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            cpuinfo = ""
        if lacks_avx(cpuinfo):
            raise EngineUnavailable("this computer's processor lacks AVX, which the face "
                                    "engine (dlib-bin) needs: face checks use the platform")
        try:
            import dlib
            import numpy
        except ImportError as exc:
            raise EngineUnavailable(f"the face engine is not installed ({exc.name}): install "
                                    "the 'dlib-bin' and 'numpy' packages") from exc
        folder = models if models is not None else models_dir()
        for name in (LANDMARKS_5, ENCODER):
            if not (folder / name).is_file():
                raise EngineUnavailable(f"the face model {name} is missing from {folder}")
        self._dlib: Any = dlib
        self._np: Any = numpy
        self._detector = dlib.get_frontal_face_detector()
        self._shapes = dlib.shape_predictor(str(folder / LANDMARKS_5))
        self._encoder = dlib.face_recognition_model_v1(str(folder / ENCODER))

    @property
    def threshold(self) -> float:
        return scoring.THRESHOLD

    @property
    def min_face(self) -> int:
        return scoring.MIN_FACE_PX

    def _pixels(self, frame: Frame) -> Any:
        # A view on the frame's bytes, not a copy; dlib reads it as an RGB image.
        return self._np.frombuffer(frame.rgb, dtype=self._np.uint8).reshape(
            frame.height, frame.width, 3)

    def detect(self, frame: Frame) -> list[Box]:
        pixels = self._pixels(frame)
        small = max(frame.width, frame.height) < _SMALL_IMAGE
        found = [] if small else self._found(pixels, 0)
        if not found:
            found = self._found(pixels, 1)
        boxes = [Box(max(0, r.left()), max(0, r.top()), min(frame.width, r.right() + 1),
                     min(frame.height, r.bottom() + 1)) for r in found]
        return sorted(boxes, key=lambda b: b.width * b.height, reverse=True)

    def _found(self, pixels: Any, upsample: int) -> list[Any]:
        rects, confidences, _ = self._detector.run(pixels, upsample, 0.0)
        return [r for r, c in zip(rects, confidences, strict=True)
                if c >= scoring.MIN_DETECTION_SCORE]

    def _shape(self, frame: Frame, box: Box) -> Any:
        rect = self._dlib.rectangle(box.left, box.top, box.right - 1, box.bottom - 1)
        return self._shapes(self._pixels(frame), rect)

    def landmarks(self, frame: Frame, box: Box) -> Landmarks:
        shape = self._shape(frame, box)
        return Landmarks.from_points([(float(p.x), float(p.y)) for p in shape.parts()])

    def encode(self, frame: Frame, box: Box) -> Encoding:
        descriptor = self._encoder.compute_face_descriptor(self._pixels(frame),
                                                           self._shape(frame, box), 1)
        return tuple(float(v) for v in descriptor)

    def similarity(self, a: Encoding, b: Encoding) -> float:
        return scoring.score_of(scoring.distance(a, b))
