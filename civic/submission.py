"""The platform-API Submission on the wire: its ids, its times and the one check of its shape.

A terminal's outbox refuses a submission whose shape could never be delivered, and the
platform refuses it with a 422 naming the same fields: both ask :func:`shape_problems`, so
what one side accepts the other does too. The shape is the fields, their types and their
formats (ids, times, hashes, the ID number's check digit); the form's values are checked
against the catalog (``civic.catalog``) afterwards.

Every problem is reported per field path (``applicant.id_number``) in Chinese and English,
as the form's own validation reports, so that a terminal shows both alike.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from civic import gb11643
from civic.identity import IdentifiedBy, IdType
from civic.text import Text

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ID_TYPES = tuple(str(t) for t in IdType)
IDENTIFIED_BY = tuple(str(b) for b in IdentifiedBy)
#: id types whose number follows GB 11643 (a foreign permanent resident's 2017 card does not)
GB11643_ID_TYPES = (str(IdType.RESIDENT), str(IdType.HMT_RESIDENCE))
ROLES = ("signature", "document", "photo")
CHANNELS = ("kiosk", "agent")


class ConsentMethod(StrEnum):
    """How the citizen confirmed the application (platform-api.md, "Consent without a drawn
    signature"): a drawn signature, or, for one who cannot draw (blind, or using the
    kiosk's tactile keypad), a confirmation on the keypad, with no signature image."""

    SIGNATURE = "signature"
    KEYPAD_CONFIRMATION = "keypad_confirmation"


#: the channel that may confirm by keypad: only a kiosk has the tactile keypad
KEYPAD_CHANNELS = ("kiosk",)


class IdentityMethod(StrEnum):
    """How the person at the terminal was matched to the resident (platform-api.md,
    "Person-to-card check", "In a submission")."""

    PLATFORM_FACE = "platform_face"        # the platform compared a live image with the
                                           # registry's photo: ``check_id`` names that check
    CARD_PHOTO_FACE = "card_photo_face"    # the kiosk compared it with the ID card's photo
                                           # (the vendor's decoder): ``score``, no check_id
    AGENT_ATTESTED = "agent_attested"      # the village agent saw the person and the card


#: the channels each method may come from: only a kiosk reads the card photo for a face
#: check, and only an agent can attest having seen the person
IDENTITY_CHANNELS: Final[Mapping[IdentityMethod, tuple[str, ...]]] = MappingProxyType({
    IdentityMethod.PLATFORM_FACE: CHANNELS,
    IdentityMethod.CARD_PHOTO_FACE: ("kiosk",),
    IdentityMethod.AGENT_ATTESTED: ("agent",),
})
#: the longest check id accepted (the sandbox's are UUIDs; a platform's may differ)
CHECK_ID_MAX = 100


@dataclass(frozen=True)
class IdentityCheck:
    """A submission's ``identity_check``: which method, the platform's check id (platform
    face checks; an agent may add one), the similarity score (0..1, when a face was
    compared) and when it was made (timezone-aware)."""

    method: IdentityMethod
    at: dt.datetime
    check_id: str | None = None
    score: float | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("an identity check's time needs a timezone (RFC 3339)")

    def as_dict(self) -> dict[str, Any]:
        """The wire form; :func:`shape_problems` accepts it when the method fits."""
        return {"method": str(self.method), "check_id": self.check_id, "score": self.score,
                "at": self.at.isoformat(timespec="seconds")}


def identity_check(sub: dict[str, Any]) -> IdentityCheck | None:
    """The submission's identity check, or None when it carries none. Call it on a
    submission :func:`shape_problems` found well-formed."""
    raw = sub.get("identity_check")
    if raw is None:
        return None
    at = parse_rfc3339(raw["at"])
    assert at is not None
    score = raw.get("score")
    return IdentityCheck(IdentityMethod(raw["method"]), at, raw.get("check_id"),
                         None if score is None else float(score))
#: the most a local receipt number may have
LOCAL_RECEIPT_MAX = 50
#: how deep a submission's JSON may nest: real forms are a few levels deep, and a value
#: nested thousands deep only exhausts the stack of whoever parses it
MAX_DEPTH = 32
NIL_UUID = str(uuid.UUID(int=0))


def uuid7() -> str:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit milliseconds, then randomness; a new
    submission's id."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)          # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)          # RFC 4122 variant
    return str(uuid.UUID(int=value))


def is_uuid(value: Any) -> bool:
    """A submission id: a canonical UUID (lower-case, hyphenated, no braces), not the nil
    UUID. The id is the idempotency key: two spellings of one id would be two submissions."""
    if not isinstance(value, str):
        return False
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        return False
    return value == canonical and value != NIL_UUID


def parse_rfc3339(text: str) -> dt.datetime | None:
    """A time with an offset, or None: RFC 3339 requires the offset."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        return None
    return moment if moment.tzinfo is not None else None


def json_problem(value: Any) -> Text | None:
    """Why ``value`` is not plain, finite JSON of at most :data:`MAX_DEPTH` levels (None:
    it is). NaN and infinities are not JSON, and the platform could not read them."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:                  # iterative: a deep value must not exhaust our own stack
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return Text(f"嵌套超过{MAX_DEPTH}层", f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                return Text("含有不是文本的键", "has a key that is not text")
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, float) and not math.isfinite(node):
            return Text("含有非有限数值（NaN或无穷大）",
                        "holds a number that is not finite (NaN or infinity)")
        elif not (node is None or isinstance(node, str | int | float)):
            return Text("含有不是JSON的值", f"holds a {type(node).__name__}, which is not JSON")
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _time(value: Any) -> bool:
    return isinstance(value, str) and parse_rfc3339(value) is not None


def is_sha256(value: Any) -> bool:
    """Whether ``value`` names a blob: the lower-case hex SHA-256 of its bytes."""
    return isinstance(value, str) and SHA256_HEX.match(value) is not None


def _attachment_ok(att: Any) -> bool:
    return (isinstance(att, dict) and is_sha256(att.get("sha256"))
            and isinstance(att.get("size"), int) and not isinstance(att.get("size"), bool)
            and att["size"] >= 0 and _text(att.get("media_type"))
            and att.get("role") in ROLES)


class _Problems:
    """Collects one problem per field path; the first found for a path is kept."""

    def __init__(self) -> None:
        self.found: dict[str, Text] = {}

    def need(self, path: str, ok: bool, zh: str, en: str) -> bool:
        if not ok:
            self.found.setdefault(path, Text(zh, en))
        return ok


def shape_problems(sub: dict[str, Any]) -> dict[str, Text]:
    """Every problem of the submission's shape, by field path; empty when it is well-formed."""
    p = _Problems()
    p.need("submission_id", is_uuid(sub.get("submission_id")),
           "提交编号不是有效的UUID（须为小写标准格式，且不能全为零）",
           "submission_id must be a canonical lower-case UUID (not the nil UUID)")
    for key in ("item_code", "catalog_version"):
        p.need(key, _text(sub.get(key)), f"缺少{key}", f"{key} must be non-empty text")
    p.need("channel", sub.get("channel") in CHANNELS, "渠道必须是kiosk或agent",
           "channel must be kiosk or agent")
    p.need("created_at", _time(sub.get("created_at")), "提交时间格式不正确（RFC 3339，含时区）",
           "created_at must be an RFC 3339 time with offset")
    _check_applicant(sub.get("applicant"), p)
    p.need("form", isinstance(sub.get("form"), dict), "表单内容缺失", "form must be an object")
    for key, value in sub.items():
        problem = json_problem(value)
        if problem is not None:
            p.need(key, False, f"{key}{problem.zh}", f"{key} {problem.en}")
    attachments = sub.get("attachments", [])
    if p.need("attachments", isinstance(attachments, list), "附件列表格式不正确",
              "attachments must be a list"):
        for i, att in enumerate(attachments):
            p.need(f"attachments[{i}]", _attachment_ok(att),
                   "附件描述不完整（sha256、大小、类型、用途）",
                   "an attachment needs sha256 (lower-case hex), size, media_type and role")
    if sub.get("channel") == "agent":
        agent = sub.get("agent")
        p.need("agent.agent_id", isinstance(agent, dict) and _text(agent.get("agent_id")),
               "代办提交须注明代办员", "the agent channel needs agent.agent_id")
    consent = sub.get("consent")
    if p.need("consent", isinstance(consent, dict), "缺少本人授权与签名",
              "consent must be an object"):
        assert isinstance(consent, dict)
        p.need("consent.signed_at", _time(consent.get("signed_at")), "签名时间格式不正确",
               "consent.signed_at must be an RFC 3339 time with offset")
        _check_confirmation(consent, sub.get("channel"), p)
        p.need("consent.prefill_authorised", isinstance(consent.get("prefill_authorised"), bool),
               "缺少数据共享授权选择", "consent.prefill_authorised must be true or false")
    _check_identity(sub, p)
    replaces = sub.get("replaces")
    p.need("replaces", replaces is None or is_uuid(replaces), "被更正的提交编号不是有效的UUID",
           "replaces must be a submission id or null")
    receipt = sub.get("local_receipt")
    p.need("local_receipt", receipt is None or (
        isinstance(receipt, str) and len(receipt) <= LOCAL_RECEIPT_MAX), "本地回执号格式不正确",
           f"local_receipt must be text of at most {LOCAL_RECEIPT_MAX} characters")
    return p.found


def consent_method(sub: dict[str, Any]) -> ConsentMethod:
    """The submission's consent method; absent means a drawn signature. Call it on a
    submission :func:`shape_problems` found well-formed."""
    return ConsentMethod(sub["consent"].get("method", ConsentMethod.SIGNATURE))


def _check_confirmation(consent: dict[str, Any], channel: Any, p: _Problems) -> None:
    method = consent.get("method", ConsentMethod.SIGNATURE)
    if not p.need("consent.method", method in tuple(ConsentMethod), "确认方式不正确",
                  "consent.method must be signature or keypad_confirmation"):
        return
    if method == ConsentMethod.SIGNATURE:
        p.need("consent.signature_sha256", is_sha256(consent.get("signature_sha256")),
               "缺少签名", "consent.signature_sha256 must be a lower-case hex sha256")
        return
    p.need("consent.method", channel in KEYPAD_CHANNELS, "键盘确认仅限自助终端提交",
           "keypad_confirmation is accepted on the kiosk channel only")
    p.need("consent.signature_sha256", consent.get("signature_sha256") is None,
           "键盘确认的申请不应带签名", "with keypad_confirmation, signature_sha256 must be null")


def _score(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value) and 0.0 <= value <= 1.0


def _check_identity(sub: dict[str, Any], p: _Problems) -> None:
    """``identity_check`` is optional (null or absent: none); whether an item needs one is
    the catalog's to say, and the platform's to enforce."""
    check = sub.get("identity_check")
    if check is None:
        return
    if not p.need("identity_check", isinstance(check, dict), "身份核验信息格式不正确",
                  "identity_check must be an object or null"):
        return
    method = check.get("method")
    if not p.need("identity_check.method", method in tuple(IdentityMethod), "身份核验方式不正确",
                  "identity_check.method must be one of "
                  + ", ".join(m.value for m in IdentityMethod)):
        return
    method = IdentityMethod(method)
    p.need("identity_check.method", sub.get("channel") not in CHANNELS
           or sub.get("channel") in IDENTITY_CHANNELS[method],
           "该身份核验方式不适用于此渠道",
           f"{method.value} is accepted on the {' or '.join(IDENTITY_CHANNELS[method])} "
           f"channel only")
    p.need("identity_check.at", _time(check.get("at")), "核验时间格式不正确",
           "identity_check.at must be an RFC 3339 time with offset")
    check_id, score = check.get("check_id"), check.get("score")
    id_ok = isinstance(check_id, str) and 0 < len(check_id) <= CHECK_ID_MAX
    if method == IdentityMethod.PLATFORM_FACE:
        p.need("identity_check.check_id", id_ok, "缺少平台核验编号",
               "platform_face needs the platform's check_id")
    elif method == IdentityMethod.CARD_PHOTO_FACE:
        p.need("identity_check.check_id", check_id is None, "本机比对没有平台核验编号",
               "card_photo_face has no check_id (null)")
    else:       # an agent's attestation may name a platform check the agent added
        p.need("identity_check.check_id", check_id is None or id_ok, "平台核验编号格式不正确",
               f"identity_check.check_id must be text of at most {CHECK_ID_MAX} "
               f"characters, or null")
    if method == IdentityMethod.CARD_PHOTO_FACE:
        p.need("identity_check.score", _score(score), "缺少本机比对分数（0至1）",
               "card_photo_face needs its score, from 0 to 1")
    else:
        p.need("identity_check.score", score is None or _score(score), "比对分数应在0至1之间",
               "identity_check.score must be from 0 to 1, or null")


def _check_applicant(applicant: Any, p: _Problems) -> None:
    if not p.need("applicant", isinstance(applicant, dict), "缺少申请人信息",
                  "applicant must be an object"):
        return
    assert isinstance(applicant, dict)
    id_type = applicant.get("id_type")
    p.need("applicant.id_type", id_type in ID_TYPES, "证件类型不正确",
           f"applicant.id_type must be one of {', '.join(ID_TYPES)}")
    p.need("applicant.identified_by", applicant.get("identified_by") in IDENTIFIED_BY,
           "身份核验方式不正确",
           f"applicant.identified_by must be one of {', '.join(IDENTIFIED_BY)}")
    number = applicant.get("id_number")
    if p.need("applicant.id_number", _text(number), "缺少证件号码",
              "applicant.id_number must be non-empty text") and id_type in GB11643_ID_TYPES:
        p.need("applicant.id_number", gb11643.is_valid(str(number)), "证件号码校验不通过",
               "applicant.id_number fails the GB 11643 check")
    for key in ("name", "gender"):
        p.need(f"applicant.{key}", _text(applicant.get(key)), "申请人信息不完整",
               f"applicant.{key} must be non-empty text")
    birth = applicant.get("birth_date")
    p.need("applicant.birth_date", isinstance(birth, str) and _DATE.fullmatch(birth) is not None,
           "出生日期格式应为YYYY-MM-DD", "applicant.birth_date must be YYYY-MM-DD")
    address = applicant.get("address")
    p.need("applicant.address", address is None or isinstance(address, str), "地址格式不正确",
           "applicant.address must be text or null")


def attachment_hashes(sub: dict[str, Any]) -> list[str]:
    """The sha256 of every attachment the submission names, in order."""
    return [a["sha256"] for a in sub.get("attachments", []) if isinstance(a, dict)]
