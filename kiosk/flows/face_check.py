"""The person-to-card check (人证核验) as the flow sees it: where a face is compared, what a
comparison answered, the check a submission carries, and the service that compares.

The check a submission carries is ``civic.submission.IdentityCheck``. Where
(``FaceRoute``) follows from the session, never from a setting the citizen sees:

* a card session is open → the platform compares (``platform_face``);
* no session (offline, refused) but the reader vendor's photo decoder is configured → the
  terminal compares against the ID card's photo (``card_photo_face``);
* otherwise, or when the citizen declined consent (no session, and the card's photo is the
  platform's data too), the item cannot be completed here: the screen says where it can;
* on an agent's terminal the agent attests that they saw the person and the card
  (``agent_attested``).

Pure data and a protocol: no Qt, no I/O (the Qt side implements :class:`FaceService` on
its workers, ``kiosk.ui.bridges.faces``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

#: a check older than this before Submit is taken again (platform-api.md: the platform
#: accepts a ``platform_face`` check made at most 15 minutes before ``created_at``)
FACE_CHECK_VALID_S = 15 * 60.0
#: failed comparisons (a face that does not match) before the check is refused here
MAX_FAILED_MATCHES = 3


class FaceRoute(StrEnum):
    """Where this session's face is compared (see the module's docstring)."""

    PENDING = "pending"          # the card session is still being opened: wait
    PLATFORM = "platform"
    CARD_PHOTO = "card_photo"
    NOT_HERE = "not_here"        # cannot be completed at this terminal
    AGENT = "agent"              # the agent attests


class FacePhase(StrEnum):
    """Where the citizen is in the check (``CitizenFlow.face_phase``)."""

    READY = "ready"              # look at the camera: the screen captures
    COMPARING = "comparing"      # the best frame is being compared
    RETRY = "retry"              # it did not match: try again (tries left)
    REFUSED = "refused"          # three failed matches, or "I cannot do this"


class FaceOutcome(StrEnum):
    """What one comparison answered."""

    MATCH = "match"
    NO_MATCH = "no_match"
    NO_FACE = "no_face"            # look at the camera (never a failure)
    TOO_SMALL = "too_small"        # come closer (never a failure)
    SEVERAL_FACES = "several_faces"  # only one person in front of the camera
    UNAVAILABLE = "unavailable"    # this route cannot compare now (offline, no reference,
                                   # the session's checks used up, no decoder): fall back
    ERROR = "error"                # the engine failed this once: try again
    NO_SESSION = "no_session"      # the platform lost the card session (403 no_session):
                                   # the flow opens it again once, else it falls back


class RefusalReason(StrEnum):
    """Why the check ended without a match."""

    FAILED_MATCHES = "failed_matches"
    CANNOT = "cannot"              # the citizen chose "I cannot do this"


@dataclass(frozen=True)
class FaceCapture:
    """The best frame of a check, as the screen captured it after the liveness challenge:
    a JPEG (at most 300 KB: the platform's limit) and, when the engine made one, its
    encoding. Personal data: in memory only, never in a repr."""

    jpeg: bytes = field(repr=False)
    challenge: str                 # faces.liveness.Challenge's value
    frames: int                    # frames judged during the challenge
    encoding: tuple[float, ...] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class FaceComparison:
    """A comparison's answer: the outcome, and for a match or a mismatch its score (and the
    platform's check id)."""

    outcome: FaceOutcome
    score: float | None = None
    check_id: str | None = None


class FaceService(Protocol):
    """Compares a captured face, asynchronously like every flow service (``done`` is called
    on the GUI thread)."""

    @property
    def card_photo_available(self) -> bool:
        """Whether the reader vendor's photo decoder is configured on this terminal."""
        ...

    def prepare(self) -> None:
        """A face item was chosen: start what the check needs (the engine's process), so
        that it is ready by the time the citizen has read the consent screen."""

    def compare_on_platform(self, capture: FaceCapture, session_id: str,
                            done: Callable[[FaceComparison], None]) -> None:
        """Upload the JPEG as a blob, then ``POST /v1/identity/face-checks``."""

    def compare_with_card_photo(self, capture: FaceCapture, card_photo: bytes,
                                done: Callable[[FaceComparison], None]) -> None:
        """Decode the card's WLT photo with the vendor's library and compare, in the face
        engine's process."""
