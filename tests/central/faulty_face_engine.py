"""A face engine with a fault, for the sandbox's tests: dlib's engine, except that a frame
exactly :data:`FAULTY_WIDTH` pixels wide makes it raise a bare FaceError, as a bug in an
engine would. It runs in the engine's own process (``SandboxSettings.face_engine``)."""

from __future__ import annotations

from faces.dlib_engine import DlibEngine
from faces.errors import FaceError
from faces.frame import Frame
from faces.model import Box

FAULTY_WIDTH = 321


class FaultyEngine(DlibEngine):
    def detect(self, frame: Frame) -> list[Box]:
        if frame.width == FAULTY_WIDTH:
            raise FaceError("the engine failed in a way nobody planned for")
        return super().detect(frame)
