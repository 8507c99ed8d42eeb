"""A synthetic camera: a public-domain sample portrait (:mod:`faces.samples`) placed in a
640 × 480 frame and warped with Pillow to look straight, turn left or right, step away or
stand far back. Tests, the demo and ``bench/face_preview.py`` feed the face check's frame
pipeline with it (there is no camera on a build machine); nothing is written to disk.

A turn is a horizontal shear of the rows below the eye line (the nose moves sideways
against the eyes, as it does when a head turns: docs/identity.md measured ±0.2 moving the
cue by 0.09–0.12, well past the 0.06 threshold). Directions are the citizen's own, in the
unmirrored camera image (a turn to their left moves the nose to the image's right).
"""

from __future__ import annotations

import io
from enum import StrEnum

from faces.frame import Frame

SIZE = (640, 480)
SHEAR = 0.2


class Pose(StrEnum):
    """What the synthetic citizen is doing."""

    STRAIGHT = "straight"
    LEFT = "left"          # the citizen's left
    RIGHT = "right"
    AWAY = "away"          # nobody in front of the camera
    FAR = "far"            # standing too far back (a face too small to judge)


class SyntheticCamera:
    """``SyntheticCamera(image_bytes)``; :meth:`frame` is the current pose's frame. Each
    pose is rendered once and kept while the camera lives (the sample is a public-domain
    portrait, not a citizen's face)."""

    def __init__(self, image: bytes, size: tuple[int, int] = SIZE) -> None:
        from PIL import Image

        with Image.open(io.BytesIO(image)) as opened:
            portrait = opened.convert("RGB")
        self.size = size
        self.pose = Pose.STRAIGHT
        # fill the frame's height, centred, on a grey wall
        scale = size[1] / portrait.height
        self._portrait = portrait.resize((max(1, int(portrait.width * scale)), size[1]),
                                         Image.Resampling.BILINEAR)
        self._frames: dict[Pose, Frame] = {}

    def frame(self) -> Frame:
        if self.pose not in self._frames:
            self._frames[self.pose] = self._render(self.pose)
        return self._frames[self.pose]

    def close(self) -> None:
        self._frames.clear()

    def _render(self, pose: Pose) -> Frame:
        from PIL import Image

        canvas = Image.new("RGB", self.size, (120, 124, 128))
        if pose is Pose.AWAY:
            return Frame(*self.size, canvas.tobytes())
        person = self._portrait
        if pose is Pose.FAR:
            person = person.resize((person.width // 6, person.height // 6),
                                   Image.Resampling.BILINEAR)
        if pose in (Pose.LEFT, Pose.RIGHT):
            k = SHEAR if pose is Pose.LEFT else -SHEAR
            y0 = person.height * 0.4              # about the eye line of a portrait
            person = person.transform(person.size, Image.Transform.AFFINE,
                                      (1, -k, k * y0, 0, 1, 0), Image.Resampling.BILINEAR)
        canvas.paste(person, ((self.size[0] - person.width) // 2,
                              (self.size[1] - person.height) // 2))
        return Frame(*self.size, canvas.tobytes())
