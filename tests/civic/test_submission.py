"""The Submission's shape: the one check the outbox and the platform share."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest

from civic.submission import (
    ConsentMethod,
    consent_method,
    is_uuid,
    parse_rfc3339,
    shape_problems,
    uuid7,
)

SIG = hashlib.sha256(b"signature").hexdigest()


def good() -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).isoformat()
    return {
        "submission_id": uuid7(), "item_code": "ITEM", "catalog_version": "sha256:00",
        "channel": "kiosk", "created_at": now,
        "applicant": {"id_type": "resident", "identified_by": "id_card",
                      "id_number": "11010519491231002X", "name": "张三", "gender": "1",
                      "birth_date": "1949-12-31", "address": None},
        "form": {"reason": "x"},
        "attachments": [{"sha256": SIG, "size": 9, "media_type": "image/png",
                         "role": "signature"}],
        "consent": {"signed_at": now, "signature_sha256": SIG, "prefill_authorised": False},
        "replaces": None, "local_receipt": "K-0001"}


def broken(path: str, value: Any) -> dict[str, Any]:
    sub = copy.deepcopy(good())
    *parents, last = path.split(".")
    target = sub
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return sub


_DELETE = object()


def test_a_well_formed_submission_has_no_problem() -> None:
    """A submission as the terminal builds it passes, and so does an agent's."""
    assert shape_problems(good()) == {}
    agent = {**good(), "channel": "agent", "agent": {"agent_id": "ag-1"}}
    assert shape_problems(agent) == {}


@pytest.mark.parametrize(("path", "value", "named"), [
    ("submission_id", "not-a-uuid", "submission_id"),
    ("submission_id", str(uuid.uuid4()).upper(), "submission_id"),           # not canonical
    ("submission_id", "{" + str(uuid.uuid4()) + "}", "submission_id"),
    ("submission_id", str(uuid.UUID(int=0)), "submission_id"),               # the nil UUID
    ("item_code", "", "item_code"),
    ("catalog_version", _DELETE, "catalog_version"),
    ("channel", "fax", "channel"),
    ("created_at", "2026-11-22T10:00:00", "created_at"),                     # no offset
    ("created_at", "yesterday", "created_at"),
    ("applicant", None, "applicant"),
    ("applicant.id_type", "passport", "applicant.id_type"),
    ("applicant.identified_by", "face", "applicant.identified_by"),
    ("applicant.id_number", "", "applicant.id_number"),
    ("applicant.id_number", "110105194912310021", "applicant.id_number"),    # check digit
    ("applicant.name", "", "applicant.name"),
    ("applicant.gender", None, "applicant.gender"),
    ("applicant.birth_date", "31.12.1949", "applicant.birth_date"),
    ("applicant.birth_date", "1949-12-31\n", "applicant.birth_date"),
    ("applicant.address", 7, "applicant.address"),
    ("form", [], "form"),
    ("form", {"amount": float("nan")}, "form"),
    ("attachments", "sig.png", "attachments"),
    ("attachments", [{"sha256": SIG.upper(), "size": 9, "media_type": "image/png",
                      "role": "signature"}], "attachments[0]"),
    ("attachments", [{"sha256": SIG, "size": True, "media_type": "image/png",
                      "role": "signature"}], "attachments[0]"),
    ("attachments", [{"sha256": SIG, "size": 9, "media_type": "", "role": "signature"}],
     "attachments[0]"),
    ("attachments", [{"sha256": SIG, "size": 9, "media_type": "image/png", "role": "x"}],
     "attachments[0]"),
    ("consent", None, "consent"),
    ("consent.signed_at", "", "consent.signed_at"),
    ("consent.signature_sha256", "abc", "consent.signature_sha256"),
    ("consent.prefill_authorised", "yes", "consent.prefill_authorised"),
    ("replaces", "0F3C1A5E-7C2B-4D1E-9A3B-2C4D5E6F7A8B", "replaces"),
    ("local_receipt", "x" * 51, "local_receipt"),
])
def test_each_rule_names_its_field_in_both_languages(path: str, value: Any, named: str) -> None:
    """Every broken rule is reported at its field path, with Chinese and English text."""
    problems = shape_problems(broken(path, value))
    assert named in problems, problems
    assert problems[named].zh and problems[named].en


def test_the_agent_channel_needs_the_agent() -> None:
    """An agent-channel submission without agent.agent_id is refused at that path."""
    assert "agent.agent_id" in shape_problems({**good(), "channel": "agent"})


def keypad_confirmed(channel: str = "kiosk") -> dict[str, Any]:
    sub = {**good(), "channel": channel, "attachments": []}
    sub["consent"] = {**sub["consent"], "method": "keypad_confirmation",
                      "signature_sha256": None}
    if channel == "agent":
        sub["agent"] = {"agent_id": "ag-1"}
    return sub


def test_keypad_confirmation_goes_without_a_signature_on_the_kiosk_channel() -> None:
    """A kiosk citizen who confirms on the keypad sends no signature (signature_sha256 null);
    the method read back is the enum, and a missing method means a drawn signature."""
    assert shape_problems(keypad_confirmed()) == {}
    assert consent_method(keypad_confirmed()) is ConsentMethod.KEYPAD_CONFIRMATION
    assert consent_method(good()) is ConsentMethod.SIGNATURE
    signed = broken("consent.method", "signature")
    assert shape_problems(signed) == {} and consent_method(signed) is ConsentMethod.SIGNATURE


@pytest.mark.parametrize(("sub", "named"), [
    (keypad_confirmed("agent"), "consent.method"),          # only a kiosk has the keypad
    ({**keypad_confirmed(), "consent": {**keypad_confirmed()["consent"],
                                        "signature_sha256": SIG}},
     "consent.signature_sha256"),                          # a keypad confirmation signs nothing
    (broken("consent.method", "nod"), "consent.method"),
    (broken("consent.signature_sha256", None), "consent.signature_sha256"),  # signed: needs it
], ids=["agent", "with-signature", "unknown", "signed-without"])
def test_consent_methods_are_held_to_their_rules(sub: dict[str, Any], named: str) -> None:
    """Each consent method's rule is reported at its field path, in both languages."""
    problems = shape_problems(sub)
    assert named in problems, problems
    assert problems[named].zh and problems[named].en


def test_only_gb11643_id_types_are_checksummed() -> None:
    """A foreign permanent resident's 2017 number is not held to the GB 11643 check digit."""
    sub = broken("applicant.id_type", "foreign_permanent")
    sub["applicant"]["id_number"] = "USA123456789012"
    assert shape_problems(sub) == {}


def test_deep_json_is_named_not_recursed() -> None:
    """A value nested far deeper than any form says so, and checking it does not recurse."""
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    problems = shape_problems(broken("form", {"a": deep}))
    assert "nested" in problems["form"].en


def test_ids_and_times() -> None:
    """uuid7 gives canonical, time-ordered version-7 ids; RFC 3339 needs its offset."""
    first, second = uuid7(), uuid7()
    assert is_uuid(first) and uuid.UUID(first).version == 7 and first[:8] <= second[:8]
    assert parse_rfc3339("2026-11-22T10:00:00Z") is not None
    assert parse_rfc3339("2026-11-22T10:00:00") is None
