"""What each answer of the platform means: one table per kind of call, pure data.

An answer is an HTTP status and, for a problem (``application/problem+json``), its
``code``. Two kinds of call get two tables, so that a new answer is decided here, once:

* a **submission** (``ANSWERS``, :class:`Meaning`): the platform API's "transient or
  permanent" list, which the sync engine (``offline_queue.sync``, ``offline_queue.wire``)
  acts on;
* **any other call** (``CALL_ANSWERS``, :class:`CallMeaning`): card sessions, prefill, the
  heartbeat, the agent's sign-in and work list, which the platform client
  (``offline_queue.platform``) turns into a typed result or one typed error.

Lookup order, in both: the ``(status, code)`` entry, then the ``(status, None)`` entry,
then the status class (2xx, 5xx); anything else is the table's default:
:attr:`Meaning.REJECTED` for a submission — 400 (our bug), 403 forbidden, 413 too large,
422 validation or an idempotency key reused with other content — and
:attr:`CallMeaning.REJECTED` for a call (the request itself was wrong: a bug here).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeVar

_M = TypeVar("_M", bound=StrEnum)


class Meaning(StrEnum):
    """What the terminal does about an answer to a submission."""

    ACCEPTED = "accepted"              # the platform holds it (with a case number)
    RETRY = "retry"                    # nothing is known done: send again after a back-off
    REUPLOAD = "reupload"              # the platform lost attachments: upload, then retry
    DEVICE_REFUSED = "device_refused"  # the device's token: the whole queue pauses
    SENDER_REFUSED = "sender_refused"  # the agent's session: that sender's items are held
    REJECTED = "rejected"              # permanent: a person must read the reasons


class CallMeaning(StrEnum):
    """What the terminal makes of an answer to any call but a submission."""

    OK = "ok"                                # 2xx: the answer is what was asked for
    NOT_FOUND = "not_found"                  # 404: the platform holds no such thing
    DEVICE_REFUSED = "device_refused"        # 401: the device's token is unknown or revoked:
                                             # the terminal needs re-enrolment
    WRONG_CREDENTIALS = "wrong_credentials"  # 401 bad_credentials: the agent number or PIN
    SESSION_REFUSED = "session_refused"      # 403 on the agent's session: sign in again
    FORBIDDEN = "forbidden"                  # 403: this device may not make this call (a
                                             # kiosk asking for a work list)
    NO_SESSION = "no_session"                # 403 no_session: the read needs an open card
                                             # session of this device for this resident
    OUTSIDE_AREA = "outside_area"            # 403 outside_area: the signed-in agent may not
                                             # open a session for this resident
    SESSION_RATE = "session_rate"            # 429 session_rate: this terminal opened too many
                                             # sessions; concerns that call alone, is never
                                             # retried and delays nothing else
    NO_CLERKS = "no_clerks"                  # 503 (or 429) no_clerks: no clerk is on duty
                                             # for a video call; that call alone, never
                                             # retried automatically, delays nothing else
    SLOT_FULL = "slot_full"                  # 409 slot_full: every place of that
                                             # appointment slot is booked: choose another
    ALREADY_BOOKED = "already_booked"        # 409 already_booked: the resident has an open
                                             # appointment for the item (the answer names it)
    RATE_LIMITED = "rate_limited"            # 429: wait as Retry-After says
    UNAVAILABLE = "unavailable"              # 408, 425, 5xx, and no answer at all: later
    REJECTED = "rejected"                    # another answer: the request was wrong (a bug)
    BAD_ANSWER = "bad_answer"                # never from the table: a 2xx whose body the
                                             # terminal cannot read (not JSON, not the shape)


#: problem codes of a 403 that refuse the agent's session, not the device or the content
AGENT_SESSION_CODES: Final = frozenset({"agent_token_invalid", "agent_sign_in_required"})

#: (status, problem code) -> meaning for a submission; a code of None stands for any code
ANSWERS: Final[Mapping[tuple[int, str | None], Meaning]] = MappingProxyType({
    (401, None): Meaning.DEVICE_REFUSED,
    **{(403, code): Meaning.SENDER_REFUSED for code in sorted(AGENT_SESSION_CODES)},
    (408, None): Meaning.RETRY,
    (409, "missing_blobs"): Meaning.REUPLOAD,
    (409, None): Meaning.RETRY,        # the same key still being processed
    (425, None): Meaning.RETRY,
    (429, None): Meaning.RETRY,
})

#: status class (status // 100) -> meaning for a submission, where the table has no entry
CLASSES: Final[Mapping[int, Meaning]] = MappingProxyType({
    2: Meaning.ACCEPTED, 5: Meaning.RETRY})

#: (status, problem code) -> meaning for any other call; None stands for any code
CALL_ANSWERS: Final[Mapping[tuple[int, str | None], CallMeaning]] = MappingProxyType({
    (401, "bad_credentials"): CallMeaning.WRONG_CREDENTIALS,   # agent sign-in only
    (401, None): CallMeaning.DEVICE_REFUSED,
    **{(403, code): CallMeaning.SESSION_REFUSED for code in sorted(AGENT_SESSION_CODES)},
    (403, "no_session"): CallMeaning.NO_SESSION,
    (403, "outside_area"): CallMeaning.OUTSIDE_AREA,
    (403, None): CallMeaning.FORBIDDEN,        # and 403 forbidden: a kiosk's agent_verified
    (404, None): CallMeaning.NOT_FOUND,
    (408, None): CallMeaning.UNAVAILABLE,
    (409, "slot_full"): CallMeaning.SLOT_FULL,              # appointments only
    (409, "already_booked"): CallMeaning.ALREADY_BOOKED,    # appointments only
    (425, None): CallMeaning.UNAVAILABLE,
    (429, "session_rate"): CallMeaning.SESSION_RATE,
    (429, "no_clerks"): CallMeaning.NO_CLERKS,
    (503, "no_clerks"): CallMeaning.NO_CLERKS,
    (429, None): CallMeaning.RATE_LIMITED,
})

#: status class -> meaning for any other call, where the table has no entry
CALL_CLASSES: Final[Mapping[int, CallMeaning]] = MappingProxyType({
    2: CallMeaning.OK, 5: CallMeaning.UNAVAILABLE})


def _look_up(table: Mapping[tuple[int, str | None], _M], classes: Mapping[int, _M],
             default: _M, status: int, code: str | None) -> _M:
    found = table.get((status, code)) or table.get((status, None))
    return found or classes.get(status // 100, default)


def meaning(status: int, code: str | None = None) -> Meaning:
    """What the answer ``status`` with problem ``code`` to a submission means (see the
    module docstring)."""
    return _look_up(ANSWERS, CLASSES, Meaning.REJECTED, status, code)


def status_meaning(status: int) -> Meaning | None:
    """What ``status`` means whatever the problem code, or None when the code decides."""
    if any(s == status and c is not None for s, c in ANSWERS):
        return None
    return meaning(status)


def call_meaning(status: int, code: str | None = None) -> CallMeaning:
    """What the answer ``status`` with problem ``code`` to any other call means."""
    return _look_up(CALL_ANSWERS, CALL_CLASSES, CallMeaning.REJECTED, status, code)
