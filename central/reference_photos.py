"""The population registry's photos of the demo residents, for the platform's face checks.

A real platform compares a live face with the photo the population registry holds of the
resident. The sandbox has no registry, and a photograph of a real person may not be
committed here, so its demo residents' photos are public-domain sample portraits shipped
inside PyPI packages (:mod:`faces.samples`: scikit-image's astronaut, matplotlib's Grace
Hopper; the ``demo`` and ``dev`` extras install them), read through
``importlib.resources`` when first needed. Without those packages a demo resident has no
photo, and a face check in their session answers ``404 no_reference``.

Which resident gets which portrait (docs/central.md): the two are women, so two women of
the demo residents who draw a resident pension (the pension qualification certification,
the item that needs a face first, applies to them).

Only the portraits' encodings are kept, in memory; nothing is written anywhere.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Protocol

from faces.model import Encoding, FrameJudgement, Verdict
from faces.samples import ASTRONAUT, GRACE_HOPPER, Portrait

log = logging.getLogger(__name__)

#: demo resident (``ref`` in seeds/residents.toml) -> the portrait standing for their photo
DEMO_PORTRAITS: Final[Mapping[str, Portrait]] = MappingProxyType({
    "R002": GRACE_HOPPER,       # 李秀英, born 1947, draws a resident pension
    "R011": ASTRONAUT,          # 郑淑珍, born 1936, draws a resident pension
})


class ImageJudge(Protocol):
    """What the references need of the face engine (``faces.worker.FaceWorker`` is one)."""

    def judge_image(self, data: bytes, *, encode: bool = True) -> FrameJudgement: ...


class ReferencePhotos:
    """The encoding of each demo resident's reference portrait, made once, on first use."""

    def __init__(self, judge: ImageJudge,
                 portraits: Mapping[str, Portrait] = DEMO_PORTRAITS) -> None:
        self._judge = judge
        self._portraits = portraits
        self._encodings: dict[str, Encoding] = {}
        self._lock = threading.Lock()

    def has_photo(self, resident_ref: str) -> bool:
        """Whether the registry (here: an installed sample package) holds this resident's
        photo."""
        portrait = self._portraits.get(resident_ref)
        return portrait is not None and portrait.installed()

    def encoding(self, resident_ref: str) -> Encoding | None:
        """The reference face's encoding, or None when there is no usable photo. Raises
        the engine's :class:`~faces.errors.WorkerError` when it failed (try again)."""
        if not self.has_photo(resident_ref):
            return None
        portrait = self._portraits[resident_ref]
        with self._lock:          # one encoding per portrait, however many checks arrive
            if portrait.name not in self._encodings:
                try:
                    data = portrait.read()
                except OSError:
                    log.warning("central.reference.unreadable",
                                extra={"ctx": {"portrait": portrait.name}})
                    return None
                judgement = self._judge.judge_image(data)
                if judgement.verdict is not Verdict.OK or judgement.face is None \
                        or judgement.face.encoding is None:
                    # A sample portrait the engine cannot read is this sandbox's fault, not
                    # the citizen's: said in the log, answered as "no photo".
                    log.warning("central.reference.no_face",
                                extra={"ctx": {"portrait": portrait.name,
                                               "verdict": str(judgement.verdict)}})
                    return None
                self._encodings[portrait.name] = judgement.face.encoding
            return self._encodings[portrait.name]

