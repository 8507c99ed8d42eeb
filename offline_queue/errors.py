"""Errors of the offline outbox.

OutboxError                     something a technician or the screens can act on
├── StorageError                the queue's storage cannot be used
│   ├── DiskFullError           the disk is full (SQLITE_FULL / ENOSPC): nothing was queued
│   ├── ReadOnlyError           the database or data dir is read-only: nothing was queued
│   ├── SchemaTooNewError       the database was written by a newer build: refuse to touch it
│   ├── UnreadableRecordError   one sealed record or attachment does not open (a flipped bit,
│   │                           a damaged or missing file): that item alone is dead
│   └── QueueRefusedError       the queue exists but cannot be read as it is: a person must
│       │                       restore it or start over (``kiosk queue reset --i-understand``)
│       ├── KeyMissingError     sealed items are queued and their key is gone
│       ├── KeyMismatchError    the key is not the one the queue was sealed with
│       └── DamagedQueueError   the database is empty, missing or not a database any more
├── KeyPermissionError          the encryption key is readable by others (or unreadable)
├── InvalidSubmissionError      a submission's shape is wrong (``problems`` per field path)
├── NotFoundError               no queued item has this id
├── NotDeadError                retry asked for an item that was not rejected
├── AlreadyReplacedError        retry asked again for an item a correction already replaces
├── NotEnrolledError            no platform credentials in the data dir (run ``kiosk enroll``)
└── PlatformError               a call to the platform (prefill, heartbeat, the agent's calls;
    │                           ``offline_queue.platform``) did not give what it asked for
    ├── PlatformUnavailable     no answer, a time-out, a body cut short, 408/425/5xx: later
    │   └── PlatformThrottled   429: wait ``retry_after_s`` before calling again
    ├── AccessRefused           401/403: the platform will not do this for this caller
    │   ├── DeviceRefused       401: the device's token is unknown or revoked: re-enrol
    │   ├── CredentialsRefused  401 bad_credentials: the agent number or PIN is wrong
    │   ├── SessionRefused      403 on the agent's session: the agent signs in again
    │   ├── CallForbidden       403: this device may not make this call (a kiosk asking
    │   │                       for a work list)
    │   ├── NoCardSession       403 no_session: the read needs an open card session for
    │   │                       this resident on this terminal
    │   └── OutsideArea         403 outside_area: not a resident of the agent's area
    ├── SessionRateLimited      429 session_rate: too many card sessions; that call alone,
    │                           never retried, delays nothing else
    ├── NoClerks                503 (or 429) no_clerks: no clerk is on duty for a video call;
    │                           that call alone, never retried, delays nothing else
    ├── BookingRefused          409: an appointment was not booked (platform-api.md, "Thinking
    │   │                       ahead"); a refusal of that booking alone, delays nothing else
    │   ├── SlotFull            409 slot_full: the slot filled up: choose another
    │   └── AlreadyBooked       409 already_booked: one open appointment per resident and item
    ├── PlatformNotFound        404: the platform holds no such thing
    ├── CallRejected            another answer: the request was wrong (a bug here)
    └── BadAnswer               a 2xx whose body cannot be read (not JSON, not the shape)

Each :class:`PlatformError` carries the ``meaning`` of its answer (one row of
``civic.answers.CALL_ANSWERS``); httpx's errors become :class:`PlatformUnavailable` at one
boundary, the platform client.

Lower-level errors (``sqlite3`` by ``sqlite_errorcode``, ``OSError`` by errno) are
translated by :func:`translate` (called where the store touches SQLite or files) with
``raise ... from exc``. Anything else escaping is a bug.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from civic.answers import CallMeaning

if TYPE_CHECKING:
    from civic.ahead import Appointment


class OutboxError(Exception):
    """A known failure; ``str(exc)`` says what happened and what to do."""


class StorageError(OutboxError):
    pass


#: what was being saved when a write failed: a new submission (it was NOT queued), or
#: anything else (the sync's records: what is queued stays queued)
_SAVING_NEW = ("queueing a submission", "saving an attachment")


class DiskFullError(StorageError):
    def __init__(self, where: str) -> None:
        if where in _SAVING_NEW:
            super().__init__(f"磁盘已满，提交未能保存，请联系技术人员清理空间。 / The disk is "
                             f"full ({where}): the submission was NOT queued; free some space "
                             "and retry.")
        else:
            super().__init__(f"磁盘已满，请联系技术人员清理空间；已保存的申请不会丢失。 / The disk "
                             f"is full ({where}): nothing queued is lost; free some space and "
                             "retry.")


class ReadOnlyError(StorageError):
    def __init__(self, where: str) -> None:
        super().__init__(f"存储为只读，新的提交无法保存（已保存的不会丢失），请联系技术人员。 / "
                         f"The queue storage is read-only ({where}): nothing new can be queued "
                         "(what is already queued is kept); check the data dir's mount and "
                         "permissions.")


class SchemaTooNewError(StorageError):
    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"the queue database has schema version {found}, newer than this build "
                         f"understands ({known}); install the newer version of the application "
                         "instead of downgrading")


class UnreadableRecordError(StorageError):
    """One sealed record or attachment cannot be read back; ``what`` names it (no content)."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(f"{what} cannot be read on this terminal: {detail}")
        self.what = what


#: what a technician does about a queue that cannot be read (cli.md, ``kiosk queue reset``)
RESET_ADVICE = ("restore the data dir from its backup, or run `kiosk queue reset "
                "--i-understand` to move it aside with a record of what was lost and start an "
                "empty queue")


class QueueRefusedError(StorageError):
    """The queue exists but cannot be used as it is. Never replaced silently: every waiting
    application would be lost without anyone knowing."""

    def __init__(self, what: str) -> None:
        super().__init__(f"队列无法读取，已停止使用，请技术人员处理。 / {what}: {RESET_ADVICE}")


class KeyMissingError(QueueRefusedError):
    def __init__(self, key: Path) -> None:
        super().__init__(f"the outbox key {key} is missing while sealed applications are "
                         "queued (no new key was made: it could not read them either)")


class KeyMismatchError(QueueRefusedError):
    def __init__(self, key: Path) -> None:
        super().__init__(f"the outbox key {key} does not match the key this queue was "
                         "sealed with (another terminal's key, or a wrong backup restored?)")


class DamagedQueueError(QueueRefusedError):
    pass


class KeyPermissionError(OutboxError):
    pass


class InvalidSubmissionError(OutboxError):
    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        listed = "; ".join(f"{k}: {v}" for k, v in sorted(problems.items()))
        super().__init__(f"the submission is not well-formed: {listed}")


class NotFoundError(OutboxError):
    def __init__(self, submission_id: str) -> None:
        super().__init__(f"no queued submission has id {submission_id}")


class NotDeadError(OutboxError):
    def __init__(self, submission_id: str, state: str) -> None:
        super().__init__(f"submission {submission_id} is {state}, not dead: only a rejected "
                         "submission can be corrected and queued again")


class AlreadyReplacedError(OutboxError):
    def __init__(self, submission_id: str, replaced_by: str) -> None:
        super().__init__(f"submission {submission_id} was already corrected as {replaced_by}; "
                         "if that one was rejected too, correct that one instead")


class NotEnrolledError(OutboxError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("this terminal is not enrolled with a platform"
                         + (f" ({detail})" if detail else "")
                         + "; run `kiosk enroll --platform URL --code CODE --kind kiosk|agent`")


class PlatformError(OutboxError):
    """A call did not give what it asked for. ``call`` names it by its route (``GET
    /v1/worklist``; never a path with an ID number in it), ``status`` and ``code`` are the
    answer's (None and "" when there was none), ``detail`` says what went wrong in a
    technician's words, ``retry_after_s`` is the platform's ``Retry-After`` (if it sent one).
    """

    meaning: ClassVar[CallMeaning]
    #: what to do about it, after what happened
    advice: ClassVar[str] = ""

    def __init__(self, call: str, status: int | None = None, code: str = "", *,
                 detail: str = "", retry_after_s: float | None = None) -> None:
        self.call, self.status, self.code = call, status, code
        self.retry_after_s = retry_after_s
        answered = "no answer" if status is None else f"answered {status} {code}".rstrip()
        self.detail = detail or answered
        super().__init__(f"{call}: {self.detail}; {self.advice}")


class PlatformUnavailable(PlatformError):
    meaning = CallMeaning.UNAVAILABLE
    advice = "the platform cannot be reached now: try again later; nothing queued is lost"


class PlatformThrottled(PlatformUnavailable):
    meaning = CallMeaning.RATE_LIMITED
    advice = "the platform asks for fewer calls: wait before calling again"


class AccessRefused(PlatformError):
    """401 or 403: whose access it was is the subclass."""


class DeviceRefused(AccessRefused):
    meaning = CallMeaning.DEVICE_REFUSED
    advice = ("the platform no longer accepts this terminal's token (revoked or unknown): "
              "enrol it again (`kiosk enroll`); nothing queued is lost")


class CredentialsRefused(AccessRefused):
    meaning = CallMeaning.WRONG_CREDENTIALS
    advice = "the agent number or PIN is wrong"


class SessionRefused(AccessRefused):
    meaning = CallMeaning.SESSION_REFUSED
    advice = "the agent's session is missing or has expired: the agent signs in again"


class CallForbidden(AccessRefused):
    meaning = CallMeaning.FORBIDDEN
    advice = ("this terminal may not make this call: check that it is enrolled as the "
              "right kind (kiosk or agent)")


class NoCardSession(AccessRefused):
    meaning = CallMeaning.NO_SESSION
    advice = ("the platform lends a resident's data only inside an open card session of "
              "this terminal for that resident: open one (once) while the card is there")


class OutsideArea(AccessRefused):
    meaning = CallMeaning.OUTSIDE_AREA
    advice = "the signed-in agent may open sessions only for residents of their own area"


class SessionRateLimited(PlatformError):
    # Not a PlatformThrottled: the limit concerns card sessions alone (platform-api.md,
    # "Limits that are not queue-wide"), so nothing may back the whole terminal off for it.
    meaning = CallMeaning.SESSION_RATE
    advice = ("this terminal opened as many card sessions as the platform allows for now: "
              "continue without shared data")


class NoClerks(PlatformError):
    # Not a PlatformUnavailable although it is a 503: it says that nobody is on duty to
    # answer a video call, not that the platform is down (platform-api.md, "Limits that are
    # not queue-wide"), so nothing may treat it as a reason to back the terminal off.
    meaning = CallMeaning.NO_CLERKS
    advice = "no clerk is on duty for video calls now: show the hours, try again later"


class BookingRefused(PlatformError):
    """A booking the platform refused for a reason the citizen can act on; the client sets
    ``existing`` (a ``civic.ahead.Appointment``) on :class:`AlreadyBooked`."""

    existing: Appointment | None = None


class SlotFull(BookingRefused):
    meaning = CallMeaning.SLOT_FULL
    advice = "every place of that slot is booked now: choose another slot"


class AlreadyBooked(BookingRefused):
    meaning = CallMeaning.ALREADY_BOOKED
    advice = "the resident has an open appointment for this item: keep it or cancel it first"


class PlatformNotFound(PlatformError):
    meaning = CallMeaning.NOT_FOUND
    advice = "the platform holds no such thing"


class CallRejected(PlatformError):
    meaning = CallMeaning.REJECTED
    advice = "the platform refused the request itself: a bug in this terminal, see the log"


class BadAnswer(PlatformError):
    meaning = CallMeaning.BAD_ANSWER
    advice = "the platform's answer cannot be read: try again later, or report it"


def translate(exc: BaseException, where: str) -> StorageError:
    """SQLite and OS errors to the outbox's tree (the one boundary where this happens)."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_FULL:
            return DiskFullError(where)
        if code == sqlite3.SQLITE_READONLY:
            return ReadOnlyError(where)
        if code == sqlite3.SQLITE_IOERR and "disk" in str(exc).lower():
            return DiskFullError(where)
        return StorageError(f"the queue database failed at {where}: {exc}")
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFullError(where)
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyError(where)
        return StorageError(f"the queue storage failed at {where}: {exc.strerror}")
    raise TypeError(f"not a storage error: {exc!r}")


def read_only(path: Path) -> bool:
    """True when nothing can be written under ``path`` (read-only mount or permissions)."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(path, os.W_OK)
