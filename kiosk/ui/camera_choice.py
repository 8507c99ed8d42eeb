"""Which camera is which: the face camera (``devices.face_camera``) and the document camera
(``devices.document_camera``) chosen by one rule from what Qt Multimedia lists.

A terminal may have two cameras (one facing the citizen, a 高拍仪 over the document tray);
each setting names its camera by Qt's description or id. Written once for both, on plain
data (:class:`CameraInfo`), so the rule is tested without a camera; the Qt side turns each
``QCameraDevice`` into a :class:`CameraInfo` (:func:`camera_info`) and takes the one chosen.
No Qt is imported here at module level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class CameraInfo:
    """What Qt says of one video input: its id (bytes, as text) and its description."""

    id: str
    description: str

    def is_named(self, name: str) -> bool:
        return bool(name) and name in (self.id, self.description)


class ChoiceKind(StrEnum):
    """How the camera was found (or why none was)."""

    CONFIGURED = "configured"    # the one the setting names
    FIRST = "first"              # none configured: the first (not the other role's)
    MISSING = "missing"          # the configured one is not connected: say so
    NONE = "none"                # no camera at all (the demo, a terminal without one)


@dataclass(frozen=True)
class CameraChoice:
    kind: ChoiceKind
    index: int | None = None     # into the inputs listed, when one was chosen


def choose_camera(inputs: Sequence[CameraInfo], configured: str, *,
                  avoid: str = "") -> CameraChoice:
    """The input ``configured`` names (description or id); with nothing configured, the
    first one that ``avoid`` (the other role's setting) does not name. A configured camera
    that is not connected is MISSING, never silently replaced by another: the other camera
    is pointed elsewhere (a face camera at the tray photographs no face, and the reverse)."""
    if configured:
        found = next((i for i, c in enumerate(inputs) if c.is_named(configured)), None)
        return CameraChoice(ChoiceKind.MISSING if found is None else ChoiceKind.CONFIGURED,
                            found)
    found = next((i for i, c in enumerate(inputs) if not c.is_named(avoid)), None)
    return CameraChoice(ChoiceKind.NONE if found is None else ChoiceKind.FIRST, found)


def camera_info(device: object) -> CameraInfo:
    """A ``QCameraDevice`` as plain data."""
    return CameraInfo(bytes(device.id()).decode(errors="replace"),  # type: ignore[attr-defined]
                      str(device.description()))  # type: ignore[attr-defined]
