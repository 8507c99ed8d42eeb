"""Certified records of the demo residents: what a ``query_print`` item certifies, issued,
signed and remembered.

A record's rows come from the item's A4 output fields (``civic.catalog.model.Output``): a
``shared:<key>`` field prints the resident's departmental value in words (the choice labels
of the form field that reads it), ``record:details`` prints a history or registration
derived from the same data (a contribution history from the contribution years, ...), and
``record:verification_code`` is left to the record's own code (an item that prints no shared
value certifies its details alone, worded by what the item is about). A resident has a
record when the item's eligibility rule (if any) does not say no and something is held;
otherwise 404.

Every issue is a new record (a new id and code), remembered in ``certified_records`` so that
its verify URL answers later. The sandbox keeps no personal data (``central.db``): what is
remembered is the title, times, the *masked* holder and a hash of the code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, Final

from central.clock import rfc3339
from central.db import write
from civic import catalog as catalog_model
from civic.catalog.forms import in_words
from civic.catalog.model import Item
from civic.catalog.verdict import EligibilityOutcome
from civic.catalog.vocab import Mode
from civic.pii import mask_id_number, mask_name

VALID_FOR: Final = dt.timedelta(days=90)
# No 0/O, 1/I/L: read aloud and typed from paper by a clerk
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH: Final = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_hash(record_id: str, code: str) -> str:
    return hashlib.sha256(f"{record_id}\x00{code.upper()}".encode()).hexdigest()


def _year(today: dt.date, back: int) -> int:
    return today.year - back


def _details(item: Item, shared: dict[str, Any], today: dt.date) -> str:
    """A history or registration in words, from the data the item prints."""
    printed = {f.source[7:] for f in item.output.fields if f.source.startswith("shared:")}
    years = shared.get("pension_years")
    if "pension_years" in printed and isinstance(years, int) and years > 0:
        first = _year(today, years)
        return (f"{first}年01月至{today.year - 1}年12月：累计缴费{years}年"
                f"（{years * 12}个月），无中断、无欠费")
    balance = shared.get("hpf_balance")
    if "hpf_balance" in printed and isinstance(balance, int | float):
        return (f"截至{today:%Y年%m月%d日}：账户余额{balance:.2f}元；"
                f"{today.year - 1}年01月至{today.year - 1}年12月按月缴存，无欠缴")
    if "hukou_type" in printed or "hukou_address" in printed:
        return f"户籍登记状态正常；截至{today:%Y年%m月%d日}无迁移、注销记录"
    on = f"截至{today:%Y年%m月%d日}"
    for words, said in _BY_NAME:
        if any(w in item.name.zh for w in words):
            return said.format(on=on, last=today.year - 1)
    return f"{on}：{item.name.zh}记录完整，状态正常"


# Items that print no shared value: a record worded by what the item is about
_BY_NAME: Final = (
    (("纳税", "完税", "欠税"), "{last}年度工资薪金所得已按月申报12期，税款已缴清；{on}无欠税"),
    (("信用报告",), "{on}：信贷账户2个，均按期还款，无逾期、无呆账记录"),
    (("出入境",), "{on}：近三年无出入境记录"),
    (("职业技能",), "{on}：职业技能等级证书1份（电工 四级/中级工），状态有效"),
    (("营业执照", "市场主体"), "{on}：本人名下无市场主体登记"),
    (("健康档案",), "{on}：居民健康档案1份，近一年随访2次"),
    (("医药机构", "药品目录"), "{on}：本地医保定点医药机构及药品目录（当月版）"),
)


def record_rows(item: Item, shared: dict[str, Any], today: dt.date) -> list[dict[str, Any]]:
    """The rows of the item's record for a resident's shared data (empty: none held)."""
    choices = {f.prefill: f.choices for f in item.form.fields if f.prefill}
    rows: list[dict[str, Any]] = []
    for out in item.output.fields:
        kind, _, key = out.source.partition(":")
        if kind == "shared":
            value = in_words(shared.get(key), "zh", choices.get(out.source, ()))
            if value:
                rows.append({"label": out.label.as_dict(), "value": value})
    if not rows and not any(f.source == "record:details" for f in item.output.fields):
        return []
    if any(f.source == "record:details" for f in item.output.fields):
        label = next(f.label for f in item.output.fields if f.source == "record:details")
        rows.append({"label": label.as_dict(), "value": _details(item, shared, today)})
    return rows


@dataclass(frozen=True)
class Issued:
    """A record as issued: the signed document to answer with, and what to remember."""

    document: dict[str, Any]
    code: str


def issue(item: Item, resident: Any, now: dt.datetime, verify_base: str) -> Issued | None:
    """A new, unsigned record of ``item`` for ``resident``, or None when none is held."""
    if item.mode is not Mode.QUERY_PRINT or item.output.title is None:
        return None
    verdict = catalog_model.assess(item, resident, now.date())
    if verdict is not None and verdict.outcome is EligibilityOutcome.NOT_ELIGIBLE:
        return None
    rows = record_rows(item, resident.shared_data(), now.date())
    if not rows:
        return None
    record_id, code = str(uuid.uuid4()), new_code()
    return Issued({
        "record_id": record_id, "item_code": item.code,
        "title": item.output.title.as_dict(),
        "issued_at": rfc3339(now), "valid_until": rfc3339(now + VALID_FOR),
        "holder": {"name": resident.name, "id_number": resident.id_number},
        "rows": rows, "verification_code": code,
        "verify_url": f"{verify_base}/v1/verify/{record_id}?code={code}"}, code)


def remember(conn: sqlite3.Connection, issued: Issued, device_id: str) -> None:
    """Keep what the verify URL answers: no name, no ID number, no rows."""
    doc = issued.document
    holder = f"{mask_name(doc['holder']['name'])} {mask_id_number(doc['holder']['id_number'])}"
    with write(conn):
        conn.execute(
            "INSERT INTO certified_records (record_id, code_hash, item_code, title_zh, "
            "title_en, issued_at, valid_until, holder_masked, device_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc["record_id"], code_hash(doc["record_id"], issued.code), doc["item_code"],
             doc["title"]["zh"], doc["title"]["en"], doc["issued_at"], doc["valid_until"],
             holder, device_id))


def verification(conn: sqlite3.Connection, record_id: str, code: str) -> dict[str, Any] | None:
    """The public answer for a record and its code, or None (unknown, or a wrong code)."""
    row = conn.execute("SELECT * FROM certified_records WHERE record_id = ?",
                       (record_id,)).fetchone()
    if row is None or not secrets.compare_digest(row["code_hash"], code_hash(record_id, code)):
        return None
    return {"valid": True, "title": {"zh": row["title_zh"], "en": row["title_en"]},
            "issued_at": row["issued_at"], "valid_until": row["valid_until"],
            "holder_masked": row["holder_masked"]}
