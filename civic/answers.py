"""What each answer of the platform to a submission means: one table, pure data.

An answer is an HTTP status and, for a problem (``application/problem+json``), its
``code``. The terminal's sync engine (``offline_queue.sync``, ``offline_queue.wire``) acts on
the :class:`Meaning`; the table is the platform API's "transient or permanent" list in one
place, so that a new answer is decided here, once.

Lookup order: the ``(status, code)`` entry, then the ``(status, None)`` entry, then the
status class (2xx, 5xx); anything else is :attr:`Meaning.REJECTED` — 400 (our bug), 403
forbidden, 413 too large, 422 validation or an idempotency key reused with other content.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Meaning(StrEnum):
    """What the terminal does about an answer."""

    ACCEPTED = "accepted"              # the platform holds it (with a case number)
    RETRY = "retry"                    # nothing is known done: send again after a back-off
    REUPLOAD = "reupload"              # the platform lost attachments: upload, then retry
    DEVICE_REFUSED = "device_refused"  # the device's token: the whole queue pauses
    SENDER_REFUSED = "sender_refused"  # the agent's session: that sender's items are held
    REJECTED = "rejected"              # permanent: a person must read the reasons


#: (status, problem code) -> meaning; a code of None stands for any code of that status
ANSWERS: Final[Mapping[tuple[int, str | None], Meaning]] = MappingProxyType({
    (401, None): Meaning.DEVICE_REFUSED,
    (403, "agent_token_invalid"): Meaning.SENDER_REFUSED,
    (403, "agent_sign_in_required"): Meaning.SENDER_REFUSED,
    (408, None): Meaning.RETRY,
    (409, "missing_blobs"): Meaning.REUPLOAD,
    (409, None): Meaning.RETRY,        # the same key still being processed
    (425, None): Meaning.RETRY,
    (429, None): Meaning.RETRY,
})

#: status class (status // 100) -> meaning, where the table has no entry
CLASSES: Final[Mapping[int, Meaning]] = MappingProxyType({
    2: Meaning.ACCEPTED, 5: Meaning.RETRY})

def meaning(status: int, code: str | None = None) -> Meaning:
    """What the answer ``status`` with problem ``code`` means (see the module docstring)."""
    found = ANSWERS.get((status, code)) or ANSWERS.get((status, None))
    return found or CLASSES.get(status // 100, Meaning.REJECTED)


def status_meaning(status: int) -> Meaning | None:
    """What ``status`` means whatever the problem code, or None when the code decides."""
    if any(s == status and c is not None for s, c in ANSWERS):
        return None
    return meaning(status)
