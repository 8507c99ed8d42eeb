"""What each platform answer to a submission means (the table the sync engine acts on)."""

from __future__ import annotations

import pytest

from civic.answers import Meaning, meaning, status_meaning


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
