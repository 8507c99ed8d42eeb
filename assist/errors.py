"""Errors of the call engine.

AssistError                 a call could not be made or went on no further
├── SignallingError         the platform's signalling failed; ``reason`` is the
│                           :class:`civic.assist.EndReason` the call ends with:
│                           NO_CLERKS (nobody on duty; ``retry_after_s`` if the platform said),
│                           NETWORK_LOST (no answer, refused, a time-out) or PLATFORM_FAILED
│                           (a refusal or an answer that cannot be read)
└── MediaUnavailable        the media stack cannot run here: aiortc or PyAV cannot be
                            imported, no codec, or a camera or microphone cannot be opened

The platform client's errors become :class:`SignallingError` at one boundary
(``kiosk.assist_link``); ImportError and PyAV's errors become :class:`MediaUnavailable`
where the engine or a frame source touches them.
"""

from __future__ import annotations

from civic.assist import EndReason


class AssistError(Exception):
    """A known failure of a call; ``str(exc)`` says what happened in a technician's words."""


class SignallingError(AssistError):
    def __init__(self, reason: EndReason, detail: str = "", *,
                 retry_after_s: float | None = None) -> None:
        self.reason, self.detail, self.retry_after_s = reason, detail, retry_after_s
        super().__init__(f"call signalling failed ({reason.value})"
                         + (f": {detail}" if detail else ""))


class MediaUnavailable(AssistError):
    pass
