"""The shape of a platform-API Submission, checked before its form is validated.

Every problem is reported per field path (``applicant.id_number``) in Chinese and English,
the same way the form's own validation reports, so a terminal shows both alike.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from central.clock import parse_rfc3339
from civic import gb11643

Messages = dict[str, dict[str, str]]

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
ID_TYPES = ("resident", "foreign_permanent", "hmt_residence")
IDENTIFIED_BY = ("id_card", "social_security_card", "agent_verified")
ROLES = ("signature", "document", "photo")
CHANNELS = ("kiosk", "agent")


def _msg(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_shape(sub: dict[str, Any]) -> Messages:
    problems: Messages = {}

    def need(path: str, ok: bool, zh: str, en: str) -> bool:
        if not ok:
            problems[path] = _msg(zh, en)
        return ok

    need("submission_id", is_uuid(sub.get("submission_id")), "提交编号不是有效的UUID",
         "submission_id is not a UUID")
    for key in ("item_code", "catalog_version"):
        need(key, isinstance(sub.get(key), str) and bool(sub.get(key)),
             f"缺少{key}", f"{key} is missing or not text")
    need("channel", sub.get("channel") in CHANNELS, "渠道必须是kiosk或agent",
         "channel must be kiosk or agent")
    need("created_at", isinstance(sub.get("created_at"), str)
         and parse_rfc3339(sub["created_at"]) is not None,
         "提交时间格式不正确（RFC 3339，含时区）", "created_at is not an RFC 3339 time with offset")
    _check_applicant(sub.get("applicant"), need)
    need("form", isinstance(sub.get("form"), dict), "表单内容缺失", "form must be an object")
    attachments = sub.get("attachments", [])
    if need("attachments", isinstance(attachments, list), "附件列表格式不正确",
            "attachments must be a list"):
        for i, att in enumerate(attachments):
            ok = (isinstance(att, dict) and isinstance(att.get("sha256"), str)
                  and SHA256_HEX.match(att["sha256"]) is not None
                  and isinstance(att.get("size"), int) and not isinstance(att.get("size"), bool)
                  and att["size"] >= 0 and isinstance(att.get("media_type"), str)
                  and att.get("role") in ROLES)
            need(f"attachments[{i}]", ok, "附件描述不完整（sha256、大小、类型、用途）",
                 "an attachment needs sha256, size, media_type and role")
    if sub.get("channel") == "agent":
        agent = sub.get("agent")
        need("agent.agent_id", isinstance(agent, dict) and isinstance(agent.get("agent_id"), str)
             and bool(agent.get("agent_id")), "代办提交须注明代办员", "the agent channel needs "
             "agent.agent_id")
    consent = sub.get("consent")
    if need("consent", isinstance(consent, dict), "缺少本人授权与签名", "consent is missing"):
        assert isinstance(consent, dict)
        need("consent.signed_at", isinstance(consent.get("signed_at"), str)
             and parse_rfc3339(consent["signed_at"]) is not None,
             "签名时间格式不正确", "consent.signed_at is not an RFC 3339 time")
        need("consent.signature_sha256", isinstance(consent.get("signature_sha256"), str)
             and SHA256_HEX.match(consent["signature_sha256"]) is not None,
             "缺少签名", "consent.signature_sha256 is missing")
        need("consent.prefill_authorised", isinstance(consent.get("prefill_authorised"), bool),
             "缺少数据共享授权选择", "consent.prefill_authorised must be true or false")
    replaces = sub.get("replaces")
    need("replaces", replaces is None or is_uuid(replaces), "被更正的提交编号不是有效的UUID",
         "replaces must be a submission id or null")
    receipt = sub.get("local_receipt")
    need("local_receipt", receipt is None or (isinstance(receipt, str) and len(receipt) <= 50),
         "本地回执号格式不正确", "local_receipt must be text of at most 50 characters")
    return problems


def _check_applicant(applicant: Any, need: Any) -> None:
    if not need("applicant", isinstance(applicant, dict), "缺少申请人信息",
                "applicant is missing"):
        return
    id_type = applicant.get("id_type")
    need("applicant.id_type", id_type in ID_TYPES, "证件类型不正确", "unknown applicant.id_type")
    need("applicant.identified_by", applicant.get("identified_by") in IDENTIFIED_BY,
         "身份核验方式不正确", "unknown applicant.identified_by")
    number = applicant.get("id_number")
    if need("applicant.id_number", isinstance(number, str) and bool(number),
            "缺少证件号码", "applicant.id_number is missing") and id_type in (
            "resident", "hmt_residence"):
        need("applicant.id_number", gb11643.is_valid(number), "证件号码校验不通过",
             "applicant.id_number fails the GB 11643 check")
    for key in ("name", "gender"):
        need(f"applicant.{key}", isinstance(applicant.get(key), str) and bool(applicant.get(key)),
             "申请人信息不完整", f"applicant.{key} is missing")
    birth = applicant.get("birth_date")
    need("applicant.birth_date", isinstance(birth, str) and re.match(
        r"^\d{4}-\d{2}-\d{2}$", birth) is not None, "出生日期格式应为YYYY-MM-DD",
        "applicant.birth_date must be YYYY-MM-DD")
    address = applicant.get("address")
    need("applicant.address", address is None or isinstance(address, str), "地址格式不正确",
         "applicant.address must be text or null")


def attachment_hashes(sub: dict[str, Any]) -> list[str]:
    return [a["sha256"] for a in sub.get("attachments", []) if isinstance(a, dict)]
