"""The face engine's interface, and the one judgement every caller makes with it.

A vendor's certified engine replaces the default by implementing :class:`FaceEngine`; the
rest of the terminal (the worker process, the CLI, the check screen) only calls
:func:`judge_frame` and ``similarity``.
"""

from __future__ import annotations

from typing import Protocol

from faces.frame import Frame
from faces.model import Box, Encoding, FaceReading, FrameJudgement, Landmarks, Verdict


class FaceEngine(Protocol):
    """Detect faces, find their 5 landmarks, encode them, and compare two encodings."""

    @property
    def threshold(self) -> float:
        """The similarity at and above which two faces are the same person."""
        ...

    @property
    def min_face(self) -> int:
        """The smallest face (box's shorter side, pixels) the engine can judge reliably."""
        ...

    def detect(self, frame: Frame) -> list[Box]:
        """Every face found in the frame, largest first."""
        ...

    def landmarks(self, frame: Frame, box: Box) -> Landmarks:
        """The 5 landmarks of the face in ``box``."""
        ...

    def encode(self, frame: Frame, box: Box) -> Encoding:
        """The descriptor of the face in ``box`` (aligned on its landmarks)."""
        ...

    def similarity(self, a: Encoding, b: Encoding) -> float:
        """How alike two encodings are, 0..1; ``>= threshold`` is a match."""
        ...


class FaceJudge(Protocol):
    """What callers need: a frame judged (in this process or the engine's own), and scores.
    Both :class:`LocalJudge` and :class:`faces.worker.FaceWorker` are one."""

    @property
    def threshold(self) -> float: ...

    def judge(self, frame: Frame, *, encode: bool = True) -> FrameJudgement: ...

    def similarity(self, a: Encoding, b: Encoding) -> float: ...


def judge_frame(engine: FaceEngine, frame: Frame, *, encode: bool = True) -> FrameJudgement:
    """Whether the frame holds one face large enough to judge, and that face's landmarks
    and (with ``encode``) its encoding. Encoding is the expensive part, so it is done only
    for a frame that passes. ``faces`` counts every face found, small ones included."""
    boxes = engine.detect(frame)
    if not boxes:
        return FrameJudgement(Verdict.NO_FACE, 0)
    # Faces too small to judge are people farther back (a queue in the hall): they make a
    # frame neither "several faces" nor a match. Only when no face is large enough is the
    # citizen asked to come closer.
    usable = [box for box in boxes if box.size >= engine.min_face]
    if not usable:
        return FrameJudgement(Verdict.TOO_SMALL, len(boxes))
    if len(usable) > 1:
        return FrameJudgement(Verdict.SEVERAL_FACES, len(boxes))
    box = usable[0]
    reading = FaceReading(box, engine.landmarks(frame, box),
                          engine.encode(frame, box) if encode else None)
    return FrameJudgement(Verdict.OK, len(boxes), reading)


class LocalJudge:
    """An engine used in the caller's own process: for the CLI, the sandbox and tests, never
    for a process that draws a screen (see :mod:`faces.worker`)."""

    def __init__(self, engine: FaceEngine) -> None:
        self._engine = engine

    @property
    def threshold(self) -> float:
        return self._engine.threshold

    def judge(self, frame: Frame, *, encode: bool = True) -> FrameJudgement:
        return judge_frame(self._engine, frame, encode=encode)

    def similarity(self, a: Encoding, b: Encoding) -> float:
        return self._engine.similarity(a, b)
