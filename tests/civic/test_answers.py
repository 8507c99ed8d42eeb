"""What each platform answer to a submission means (the table the sync engine acts on)."""

from __future__ import annotations

import pytest

from civic.answers import (
    AGENT_SESSION_CODES,
    CALL_ANSWERS,
    CALL_CLASSES,
    CallMeaning,
    Meaning,
    call_meaning,
    meaning,
    status_meaning,
)


@pytest.mark.parametrize(("status", "code", "expected"), [
    (200, None, Meaning.ACCEPTED), (201, "", Meaning.ACCEPTED),
    (401, "token_invalid", Meaning.DEVICE_REFUSED),
    (403, "agent_token_invalid", Meaning.SENDER_REFUSED),
    (403, "agent_sign_in_required", Meaning.SENDER_REFUSED),
    (403, "wrong_channel", Meaning.REJECTED),
    (408, None, Meaning.RETRY), (425, None, Meaning.RETRY), (429, "rate_limited", Meaning.RETRY),
    (409, "missing_blobs", Meaning.REUPLOAD), (409, "in_progress", Meaning.RETRY),
    (500, None, Meaning.RETRY), (503, "maintenance", Meaning.RETRY),
    (400, "bad_json", Meaning.REJECTED), (413, None, Meaning.REJECTED),
    (422, "validation", Meaning.REJECTED), (422, "idempotency_key_reused", Meaning.REJECTED),
    (301, None, Meaning.REJECTED),
])
def test_each_answer_has_one_meaning(status: int, code: str | None, expected: Meaning) -> None:
    """Accepted, retried, re-uploaded, paused, held or rejected, as the platform API lists."""
    assert meaning(status, code) is expected


def test_the_status_alone_decides_except_where_the_code_matters() -> None:
    """A 401, a 429 or a 503 means the same whatever its code; a 403 or 409 needs the code."""
    assert status_meaning(401) is Meaning.DEVICE_REFUSED
    assert status_meaning(429) is status_meaning(503) is Meaning.RETRY
    assert status_meaning(403) is None and status_meaning(409) is None
    assert status_meaning(422) is Meaning.REJECTED and status_meaning(201) is Meaning.ACCEPTED


@pytest.mark.parametrize(("status", "code", "expected"), [
    (200, None, CallMeaning.OK), (201, "", CallMeaning.OK), (204, None, CallMeaning.OK),
    (404, "resident_not_found", CallMeaning.NOT_FOUND),
    (401, "token_revoked", CallMeaning.DEVICE_REFUSED), (401, None, CallMeaning.DEVICE_REFUSED),
    (401, "bad_credentials", CallMeaning.WRONG_CREDENTIALS),
    (403, "agent_token_invalid", CallMeaning.SESSION_REFUSED),
    (403, "agent_sign_in_required", CallMeaning.SESSION_REFUSED),
    (403, "wrong_device_kind", CallMeaning.FORBIDDEN), (403, None, CallMeaning.FORBIDDEN),
    (429, "too_many_attempts", CallMeaning.RATE_LIMITED),
    (408, None, CallMeaning.UNAVAILABLE), (425, None, CallMeaning.UNAVAILABLE),
    (500, None, CallMeaning.UNAVAILABLE), (503, "maintenance", CallMeaning.UNAVAILABLE),
    (400, "item_code_missing", CallMeaning.REJECTED), (409, None, CallMeaning.REJECTED),
    (422, "validation", CallMeaning.REJECTED), (304, None, CallMeaning.REJECTED),
])
def test_each_call_answer_has_one_meaning(status: int, code: str | None,
                                          expected: CallMeaning) -> None:
    """Prefill, heartbeat and the agent's calls: ok, not found, the device's token, the
    agent's PIN or session, forbidden, throttled, unavailable or our own mistake."""
    assert call_meaning(status, code) is expected


def test_no_answer_in_the_call_table_reads_as_unreadable() -> None:
    """BAD_ANSWER is the client's finding about a body, never a status's meaning."""
    assert CallMeaning.BAD_ANSWER not in set(CALL_ANSWERS.values()) | set(CALL_CLASSES.values())


def test_the_agent_session_codes_mean_the_same_in_both_tables() -> None:
    """A refused agent session holds the sender's submissions and refuses its other calls."""
    for code in AGENT_SESSION_CODES:
        assert meaning(403, code) is Meaning.SENDER_REFUSED
        assert call_meaning(403, code) is CallMeaning.SESSION_REFUSED
