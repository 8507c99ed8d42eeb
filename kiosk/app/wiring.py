"""What the demo (or a test) overrides: where the devices and the platform are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Wiring:
    """Overrides of the configuration; empty values mean "as configured"."""

    idcard_url: str | None = None
    printer_url: str | None = None
    allow_virtual_reader: bool = False
    use_pcsc: bool = True
    a4_out_dir: Path | None = None
    lockdown: bool = True
    probe_camera: bool = True         # ask Qt Multimedia for a document camera
    #: makes the face check's frame source instead of the face camera (a synthetic one:
    #: tests, the demo, the benchmark; kiosk.ui.face_frames.SyntheticFrames)
    face_source: Callable[[], Any] | None = None
    #: the demo's and tests' knobs: ``flow`` (FlowSettings fields), ``tick_ms``,
    #: ``retry_cap_s``, ``offline_probe_s``, ``heartbeat_s``
    extra: dict[str, Any] = field(default_factory=dict)
