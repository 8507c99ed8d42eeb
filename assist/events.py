"""What a call reports to its observer, in order, on the engine's thread.

``Waiting`` (again whenever the queue position changes) → ``Answered`` → ``Connected`` →
any number of ``RemoteFrame``, ``RemoteAudio`` and ``Received`` → ``Ended``. Every call
reports exactly one :class:`Ended`, always last, whatever happened (a call that was never
placed included); after it the engine's thread and everything it made are gone.

The observer runs on the engine's thread: the Qt side turns each event into a queued
signal and must not block here (a slow observer delays the media). Pixels, sound and
message contents stay out of reprs: they are personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assist.frames import RgbFrame
from civic.assist import CallMessage, EndReason


@dataclass(frozen=True)
class Waiting:
    """The call is in the clerks' queue at this position (1 = next); 0 once a clerk has
    taken it and is answering."""

    queue_position: int


@dataclass(frozen=True)
class Answered:
    """A clerk took the call; the media are being connected."""

    clerk_name: str


@dataclass(frozen=True)
class Connected:
    """Media and messages flow both ways."""


@dataclass(frozen=True)
class RemoteFrame:
    """One frame of the clerk's video (about 640×480, at the rate the clerk sends: the Qt
    side keeps only the newest it has not drawn)."""

    frame: RgbFrame


@dataclass(frozen=True)
class RemoteAudio:
    """A slice of the clerk's sound: signed 16-bit samples, channels interleaved."""

    pcm: bytes = field(repr=False)
    sample_rate: int = 48000
    channels: int = 2


@dataclass(frozen=True)
class Received:
    """A message from the clerk on the ``assist`` channel (never ``Bye``: that ends the
    call as ``CLERK_HUNG_UP``)."""

    message: CallMessage


@dataclass(frozen=True)
class Ended:
    """The call is over, for ``reason``; the last event of every call."""

    reason: EndReason


CallEvent = Waiting | Answered | Connected | RemoteFrame | RemoteAudio | Received | Ended
