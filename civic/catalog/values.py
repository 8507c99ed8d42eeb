"""Checks of one form value by field type; each failure is a bilingual message.

Used by ``Form.validate`` on the terminal and in the sandbox, so both reject the same input
with the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from civic import gb11643
from civic.catalog.vocab import FieldType
from civic.text import Text

if TYPE_CHECKING:
    from civic.catalog.forms import Field

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ACCOUNT = re.compile(r"^\d{12,30}$")


def msg(field: Field, zh: str, en: str) -> Text:
    """A message that names the field in both languages."""
    return Text(f"「{field.label.zh}」{zh}", f"{field.label.en}: {en}")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0) or (
        isinstance(value, str) and not value.strip())


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def check_value(field: Field, value: Any, today: dt.date) -> Text | None:
    """None when ``value`` (not blank) is acceptable for ``field``; else the message."""
    kind = field.type
    if kind in (FieldType.NUMBER, FieldType.AMOUNT):
        return _check_number(field, value)
    if kind == FieldType.DATE:
        return _check_date(field, value, today)
    if kind == FieldType.YES_NO:
        if not isinstance(value, bool):
            return msg(field, "请选择“是”或“否”", "answer yes or no")
        if field.must_accept and value is not True:
            return msg(field, "须同意后才能提交", "must be accepted to submit")
        return None
    if kind == FieldType.CHOICE:
        return _check_choice(field, value)
    if kind in (FieldType.FILE, FieldType.SIGNATURE):
        if not isinstance(value, str) or not _SHA256.match(value):
            return msg(field, "附件引用无效（应为SHA-256）", "not a valid attachment (sha256 hex)")
        return None
    if not isinstance(value, str):
        return msg(field, "应为文字", "must be text")
    text = value.strip()
    if kind == FieldType.ID_NUMBER and not gb11643.is_valid(text, today=today):
        return msg(field, "不是有效的公民身份号码（请核对校验位和出生日期）",
                   "not a valid ID number (check digit or birth date is wrong)")
    if kind == FieldType.PHONE and not (_MOBILE.match(text) or _LANDLINE.match(text)):
        return msg(field, "不是有效的电话号码（11位手机号或区号-座机号）",
                   "not a valid phone number (11-digit mobile or area code-number)")
    if kind == FieldType.BANK_ACCOUNT:
        account = text.replace(" ", "")
        # 16-19 digits is a bank card (the social-security card's account is one): Luhn.
        if not _ACCOUNT.match(account) or (16 <= len(account) <= 19 and not luhn_ok(account)):
            return msg(field, "不是有效的银行账号，请核对", "not a valid bank account number")
    return _check_text(field, text)


def _check_text(field: Field, text: str) -> Text | None:
    if field.min_length is not None and len(text) < field.min_length:
        return msg(field, f"至少{field.min_length}个字", f"at least {field.min_length} characters")
    if field.max_length is not None and len(text) > field.max_length:
        return msg(field, f"最多{field.max_length}个字", f"at most {field.max_length} characters")
    if field.pattern is not None and not re.fullmatch(field.pattern, text):
        if field.pattern_message is not None:
            return msg(field, field.pattern_message.zh, field.pattern_message.en)
        return msg(field, "格式不正确", "is not in the expected format")
    return None


def _check_number(field: Field, value: Any) -> Text | None:
    number = as_decimal(value)
    if number is None:
        return msg(field, "应为数字", "must be a number")
    if field.type == FieldType.AMOUNT:
        if number < 0:
            return msg(field, "金额不能为负", "an amount cannot be negative")
        if number != number.quantize(Decimal("0.01")):
            return msg(field, "金额最多两位小数", "an amount has at most two decimals")
    elif field.integer and number != number.to_integral_value():
        return msg(field, "应为整数", "must be a whole number")
    if field.min is not None and number < field.min:
        return msg(field, f"不能小于{field.min}", f"must be at least {field.min}")
    if field.max is not None and number > field.max:
        return msg(field, f"不能大于{field.max}", f"must be at most {field.max}")
    return None


def _check_date(field: Field, value: Any, today: dt.date) -> Text | None:
    day = as_date(value)
    if day is None:
        return msg(field, "应为日期（年-月-日）", "must be a date (YYYY-MM-DD)")
    if field.date_range == "past" and day > today:
        return msg(field, "不能晚于今天", "cannot be in the future")
    if field.date_range == "future" and day < today:
        return msg(field, "不能早于今天", "cannot be in the past")
    return None


def _check_choice(field: Field, value: Any) -> Text | None:
    allowed = {c.value for c in field.choices}
    if field.multiple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return msg(field, "请选择一项或多项", "choose one or more options")
        bad = [v for v in value if v not in allowed]
        if bad or len(set(value)) != len(value):
            return msg(field, "包含无效或重复的选项", "has an unknown or repeated option")
        return None
    if not isinstance(value, str) or value not in allowed:
        return msg(field, "请从选项中选择", "choose one of the options")
    return None
