"""A submission's identity_check: its typed form, and the shape check's rules for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from civic.submission import (
    IdentityCheck,
    IdentityMethod,
    identity_check,
    shape_problems,
)
from tests.civic.test_submission import good

AT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)


def carrying(check: IdentityCheck | dict[str, Any] | None,
             channel: str = "kiosk") -> dict[str, Any]:
    sub = {**good(), "channel": channel,
           "identity_check": check.as_dict() if isinstance(check, IdentityCheck) else check}
    if channel == "agent":
        sub["agent"] = {"agent_id": "ag-1"}
    return sub


@pytest.mark.parametrize(("check", "channel"), [
    (IdentityCheck(IdentityMethod.PLATFORM_FACE, AT, "c-1", 0.91), "kiosk"),
    (IdentityCheck(IdentityMethod.PLATFORM_FACE, AT, "c-1"), "agent"),
    (IdentityCheck(IdentityMethod.CARD_PHOTO_FACE, AT, None, 0.7), "kiosk"),
    (IdentityCheck(IdentityMethod.AGENT_ATTESTED, AT), "agent"),
    (IdentityCheck(IdentityMethod.AGENT_ATTESTED, AT, "c-2", 0.8), "agent"),
], ids=["platform-kiosk", "platform-agent", "card-photo", "attested", "attested-with-check"])
def test_each_method_on_its_channel_round_trips(check: IdentityCheck, channel: str) -> None:
    """What the terminal builds passes the shape check and reads back as the same value."""
    sub = carrying(check, channel)
    assert shape_problems(sub) == {}
    assert identity_check(sub) == check


def test_no_check_is_well_formed_and_reads_as_none() -> None:
    """The check is optional in the shape (the catalog says which items need one)."""
    assert shape_problems(good()) == {} and identity_check(good()) is None
    assert shape_problems(carrying(None)) == {} and identity_check(carrying(None)) is None


def test_a_naive_time_is_refused_when_built() -> None:
    """The check's time is written with its offset, so a naive one is a bug at once."""
    with pytest.raises(ValueError, match="timezone"):
        IdentityCheck(IdentityMethod.AGENT_ATTESTED, dt.datetime(2026, 12, 7, 9, 30))


def _raw(**changes: Any) -> dict[str, Any]:
    return {"method": "platform_face", "check_id": "c-1", "score": 0.9,
            "at": AT.isoformat(), **changes}


@pytest.mark.parametrize(("check", "channel", "named"), [
    ("face", "kiosk", "identity_check"),
    (_raw(method="selfie"), "kiosk", "identity_check.method"),
    (_raw(method="card_photo_face", check_id=None), "agent", "identity_check.method"),
    (_raw(method="agent_attested", check_id=None, score=None), "kiosk",
     "identity_check.method"),
    (_raw(check_id=None), "kiosk", "identity_check.check_id"),
    (_raw(check_id="x" * 101), "kiosk", "identity_check.check_id"),
    (_raw(method="card_photo_face"), "kiosk", "identity_check.check_id"),
    (_raw(method="card_photo_face", check_id=None, score=None), "kiosk",
     "identity_check.score"),
    (_raw(score=1.5), "kiosk", "identity_check.score"),
    (_raw(score=True), "kiosk", "identity_check.score"),
    (_raw(score="0.9"), "kiosk", "identity_check.score"),
    (_raw(at="2026-12-07T09:30:00"), "kiosk", "identity_check.at"),
    (_raw(at=None), "kiosk", "identity_check.at"),
], ids=["not-object", "unknown-method", "card-photo-on-agent", "attested-on-kiosk",
        "platform-without-id", "id-too-long", "card-photo-with-id", "card-photo-without-score",
        "score-above-1", "score-bool", "score-text", "naive-time", "no-time"])
def test_each_rule_is_named_at_its_path(check: Any, channel: str, named: str) -> None:
    """Every rule of the identity check is reported at its own path, in both languages."""
    problems = shape_problems(carrying(check, channel))
    assert named in problems, problems
    assert problems[named].zh and problems[named].en
