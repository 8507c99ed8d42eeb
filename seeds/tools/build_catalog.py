#!/usr/bin/env python3
"""Generate seeds/catalog/ from the reference CSV (service-items.csv).

Run once, by hand: ``.venv/bin/python seeds/tools/build_catalog.py [CSV]``. The TOML files it
writes are then the reviewed source of the catalog; edit them, not this script, and do not
re-run it over reviewed files (it overwrites them). Kept to show how the seed data was made.
"""

# ruff: noqa: E501  (tables of Chinese and English text read better on one line)

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE), str(REPO)]

from catalog_parts import (  # noqa: E402
    BLOCKS,
    CHOICE_LISTS,
    DEPARTMENTS,
    DOMAIN_FIELDS,
    ITEM_TYPES,
    LIBRARY,
    LIFE_EVENTS,
    f,
)
from detailed_forms import DETAILED  # noqa: E402
from rules import RULES  # noqa: E402

from civic.catalog.codes import make_uscc  # noqa: E402
from civic.catalog.vocab import SHARED_KEYS  # noqa: E402

AREA = "330110"     # 杭州市余杭区
LEVEL = "4"         # county
CSV_DEFAULT = Path("/work/shared/reference/service-items.csv")
OUT = REPO / "seeds" / "catalog"
MATERIALS_EN = dict(line.split("\t") for line in
                    (HERE / "materials_en.tsv").read_text(encoding="utf-8").splitlines() if line)

SOURCES = [  # keyword in a shared material's name -> issuing department
    (("死亡医学", "出生医学", "健康证明", "预防接种", "体检", "身体条件"), "health"),
    (("户口", "户籍", "居住证", "亲属关系", "无犯罪", "迁移信息"), "mps_hukou"),
    (("出境定居",), "mps_exit_entry"),
    (("特种行业",), "mps_public_order"),
    (("驾驶证", "机动轮椅车", "交强险"), "mps_traffic"),
    (("残疾",), "disabled_federation"),
    (("结婚", "婚姻", "收养", "低保", "低边", "困难", "救助", "火化", "死亡证明", "老年人",
      "能力评估"), "civil_affairs"),
    (("医保",), "healthcare_security"),
    (("网签", "买卖合同", "商品房"), "housing_construction"),
    (("不动产", "房屋", "住房", "无房", "住所", "宅基地", "建房", "权属", "继承"), "real_estate"),
    (("社会保障卡", "社保", "参保", "缴费", "劳动", "工伤", "就业", "退休", "培训", "技能",
      "职业资格", "银行账户"), "hrss"),
    (("营业执照", "许可证", "场所"), "market_regulation"),
    (("学籍", "毕业", "学历", "录取", "普通话", "考试"), "education"),
    (("完税", "契税", "清税", "收入", "车船税"), "tax"),
    (("贷款", "借款"), "housing_fund"),
    (("承包", "流转", "种植"), "agriculture"),
    (("林权", "林地"), "forestry"),
    (("军人", "退役", "复员", "烈士", "入伍"), "veterans"),
    (("征地",), "natural_resources"),
]
SELF_ID = {"居民身份证", "身份证", "申请人身份证", "申领人身份证", "居民身份证（人脸识别）",
           "本人人脸识别", "本人身份核验（人脸识别）", "身份证（人证比对）", "经营者人脸识别",
           "社会保障卡或身份证", "经营者身份证", "投资人身份证", "申报人身份证", "购机者身份证",
           "投诉人身份证", "畜主身份证", "承包户身份证", "户主身份证", "孕妇身份证", "社会保障卡",
           "监护人或本人身份证", "借款人身份证", "抵押人身份证", "买受人身份证", "原居民身份证"}
FORM_ITSELF = ("申请表", "申请书", "申报表", "登记表", "备案表", "承诺书", "授权书", "书面申请",
               "信息表", "补领换领申请", "转学申请", "补缴申请", "衔接申请", "转移接续申请",
               "变更或延续申请", "查询申请书")
AS_TEXT = {"查询事由": "inquiry_reason", "用途说明": "purpose_note", "求职意向": "job_preferences",
           "本人选择意见": "choice_note", "欠薪情况说明": "arrears_note",
           "投诉事实说明": "complaint_note", "纠纷情况说明": "dispute_note",
           "事故经过说明": "accident_note", "变更情况说明": "change_note",
           "亲属关系说明": "kinship_note", "歇业说明": "suspension_note",
           "无生活来源说明": "no_income_note", "法定义务人情况说明": "supporters_note",
           "经营情况": "business_note"}
ON_SITE = ("现场", "指纹", "查验", "考试合格", "未满16周岁", "体检")
PHOTOS = {"证件照", "近期证件照", "近期照片", "证件照（可现场拍摄）", "证件照（可用制证照片）",
          "照片（可免）"}
KEYWORDS = [("社会保障卡", ["社保卡", "社保"]), ("社会保险", ["社保"]), ("医疗保险", ["医保"]),
            ("医保", ["医疗保险"]), ("最低生活保障", ["低保"]), ("住房公积金", ["公积金"]),
            ("居民身份证", ["身份证"]), ("驾驶证", ["驾照"]), ("不动产权证书", ["房产证"]),
            ("不动产", ["房产"]), ("结婚登记", ["领证"]), ("个人所得税", ["个税"]),
            ("养老保险", ["养老金", "社保"]), ("户口", ["户籍"]), ("出生登记", ["上户口", "报户口"]),
            ("营业执照", ["执照"]), ("残疾人证", ["残疾证"]), ("退役军人", ["老兵", "复员"]),
            ("高龄津贴", ["老人补贴"]), ("个体工商户", ["开店", "个体户"]), ("民宿", ["农家乐"]),
            ("提取住房公积金", ["公积金提取"]), ("社会保障卡", ["市民卡"])]
FEES = {"居民身份证到期换领": ("20", "工本费20元", "Card fee CNY 20"),
        "居民身份证遗失补领": ("40", "工本费40元", "Card fee CNY 40"),
        "居民身份证首次申领": ("20", "工本费20元（未满16周岁可免）", "Card fee CNY 20 (waived under 16)"),
        "临时居民身份证申领": ("10", "工本费10元", "Card fee CNY 10"),
        "普通护照首次申领": ("120", "护照工本费120元", "Passport fee CNY 120"),
        "普通护照换发/补发": ("120", "护照工本费120元", "Passport fee CNY 120"),
        "往来港澳通行证及签注（首次）": ("60", "通行证60元，签注另计", "Permit CNY 60, endorsements extra"),
        "往来港澳通行证再次签注": ("15", "每次签注15元", "CNY 15 per endorsement"),
        "往来台湾通行证及签注": ("60", "通行证60元，签注另计", "Permit CNY 60, endorsements extra"),
        "机动车驾驶证期满换证": ("10", "工本费10元", "Licence fee CNY 10"),
        "机动车驾驶证遗失补证": ("10", "工本费10元", "Licence fee CNY 10"),
        "存量房（二手房）买卖转移登记": ("80", "住宅登记费80元/件", "Registration fee CNY 80"),
        "新建商品房转移登记（一手房）": ("80", "住宅登记费80元/件", "Registration fee CNY 80"),
        "不动产权证书补证/换证": ("10", "证书工本费10元", "Certificate fee CNY 10")}
# Items that need a live face matching the resident (identity_assurance = "face"; why each
# one is in docs/catalog.md): the proof-of-life certification, items that open or resume a
# monthly payment to the applicant, and paying out an account's whole balance.
FACE_CHECKED = {"养老保险待遇领取资格认证", "城乡居民基本养老保险待遇申领", "企业职工基本养老保险正常退休申请",
                "暂停/恢复养老保险待遇申请", "失业保险金申领", "高龄津贴申领", "退休提取住房公积金（销户）"}
TIMES = {"01": (5, 20), "02": (5, 15), "04": (0, 5), "05": (15, 30), "07": (5, 20),
         "10": (5, 20), "20": (3, 10)}


def text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def source_of(name: str, default: str) -> str:
    for words, dept in SOURCES:
        if any(w in name for w in words):
            return dept
    return default


def materials_of(row: dict[str, str], dept: str) -> list[dict[str, Any]]:
    out = []
    for raw in row["typical_materials"].split(";"):
        raw = raw.strip()
        name = raw.replace("[共享]", "")
        if name == "无":
            continue
        exempt = raw.endswith("[共享]")
        entry: dict[str, Any] = {"name": text(name, MATERIALS_EN[name]),
                                 "exempt_via_shared_data": exempt,
                                 "source": source_of(name, dept) if exempt else "applicant"}
        if any(w in name for w in ("如有", "可免", "时）", "超出")):
            entry["necessity"] = "optional"
        out.append(entry)
    return out


def derived_fields(materials: list[dict[str, Any]]) -> tuple[list[dict], set[str], set[str]]:
    """Own fields from the materials, plus blocks and library fields they call for."""
    fields: list[dict] = []
    blocks: set[str] = set()
    library: set[str] = set()
    for i, m in enumerate(materials, start=1):
        zh, en = m["name"]["zh"], m["name"]["en"]
        if m["exempt_via_shared_data"] or zh in SELF_ID or any(w in zh for w in FORM_ITSELF):
            continue
        if any(w in zh for w in ON_SITE):
            continue
        if "银行账户" in zh or "扣款账户" in zh:
            blocks.add("bank_account")
        elif zh in PHOTOS:
            library.add("photo")
        elif zh in AS_TEXT:
            fields.append(f(AS_TEXT[zh], zh, en, "text", req=True, max_length=500))
        else:
            field = f(f"doc_{i:02d}", zh, en, "file",
                      help=("拍照或扫描上传", "Photograph or scan and upload"))
            if m.get("necessity") != "optional":
                field["required"] = True
            fields.append(field)
    return fields, blocks, library


def form_of(row: dict[str, str], mode: str, materials: list[dict[str, Any]],
            domains: list[str]) -> dict[str, Any]:
    name = row["item_name_zh"]
    if name in DETAILED:
        spec = DETAILED[name]
        form: dict[str, Any] = {"fields_reviewed": True, "blocks": spec["blocks"]}
        if spec.get("library"):
            form["library"] = spec["library"]
        form["fields"] = spec["fields"]
        if spec.get("rules"):
            form["rules"] = spec["rules"]
        return form
    own, extra_blocks, extra_library = derived_fields(materials)
    library = [k for d in domains for k in DOMAIN_FIELDS.get(d, []) if k != "photo"]
    library += sorted(extra_library | ({"photo"} if "photo" in domains else set()))
    if mode == "query_print":
        return {"fields_reviewed": False, "blocks": ["applicant"], "fields": [
            f("print_purpose", "打印用途", "Purpose", "choice", choices="purpose"),
            f("copies", "份数", "Copies", "number", req=True, integer=True, min=1, max=5)]}
    blocks = ["applicant", "contact"]
    guardian = any("监护人" in m["name"]["zh"] or "经办人" in m["name"]["zh"] for m in materials)
    if mode == "agent_only":
        own = [f("preferred_date", "希望办理日期", "Preferred date", "date", date_range="future",
                 help=("代办员据此预约窗口", "The agent books the window for this date")),
               f("agent_note", "需要代办员了解的情况", "Notes for the village agent", "text",
                 max_length=300)]
        return {"fields_reviewed": False, "blocks": [*blocks, "agent"],
                "library": library, "fields": own}
    if guardian or any(w in name for w in ("儿童", "新生儿", "未成年")):
        blocks.append("agent")
    if "bank_account" in domains or "bank_account" in extra_blocks:
        blocks.append("bank_account")
    if re.search(r"补领|换领|核发|换发|补发|签发|证申领|卡申领|证明开具|证办理|证书|许可", name):
        blocks.append("delivery")
    blocks.append("declarations")
    if not own and not library:
        own = [f("request_details", "申请事项说明", "Details of the request", "text",
                 req=True, max_length=500)]
    form = {"fields_reviewed": False, "blocks": blocks, "fields": own}
    if library:
        form["library"] = library
    return form


def handling_of(row: dict[str, str], dept_zh: str, dept_en: str,
                materials: list[dict[str, Any]]) -> dict[str, Any]:
    name, all_materials = row["item_name_zh"], row["typical_materials"]
    why = ("需核验原件并现场办理", "Original documents are checked at the window")
    for words, reason in [
        (("指纹", "身份证首次", "身份证到期", "身份证遗失", "护照", "通行证"),
         ("需现场采集照片和指纹", "Photos and fingerprints are taken in person")),
        (("结婚", "离婚", "收养"), ("须双方当事人本人到场", "Both parties must attend in person")),
        (("转移登记", "抵押", "赠与", "夫妻间", "过户", "继承", "更正登记", "异议"),
         ("当事人须到场核验身份并签署", "The parties must be verified and sign in person")),
        (("评定", "鉴定", "评估"), ("需专业评定或鉴定", "A professional assessment is needed")),
        (("医学证明",), ("由医疗机构签发", "Issued by the medical institution")),
        (("许可", "登记", "备案", "评定"), ("需现场核查经营或建设场所",
                                         "The premises or site are inspected")),
    ]:
        if any(w in name or w in all_materials for w in words):
            why = reason
            break
    bring = [m for m in materials if not m["exempt_via_shared_data"]][:4] or [
        {"name": text("居民身份证", "Resident ID card")}]
    township = dept_zh.startswith(("乡镇", "农业"))
    hall_zh = "镇（街道）便民服务中心" if township else f"余杭区民众办事服务中心{dept_zh}窗口"
    hall_en = ("Township (sub-district) service centre" if township else
               f"{dept_en} window, Yuhang District Citizens' Service Centre")
    zh_list = "、".join(m["name"]["zh"] for m in bring)
    en_list = "; ".join(m["name"]["en"] for m in bring)
    return {"hall": text(hall_zh, hall_en),
            "steps": text(f"携带{zh_list}到{hall_zh}办理。村（社区）代办员可代为预约、预审并转交材料，"
                          "跟踪办理进度。",
                          f"Bring: {en_list}, to the {hall_en}. The village agent can book a slot, "
                          "pre-check and forward the documents, and follow the case."),
            "why": text(*why), "agent_can_handle": True}


def output_of(row: dict[str, str], mode: str, domains: list[str]) -> dict[str, Any]:
    if mode == "apply":
        return {"kind": "receipt"}
    if mode == "agent_only":
        return {"kind": "referral"}
    title_zh = re.sub(r"(查询打印|查询下载|下载打印|查询|打印|开具|下载)$", "",
                      re.sub(r"（.*?）$", "", row["item_name_zh"])) or row["item_name_zh"]
    fields: list[dict[str, Any]] = [{"source": "card:name"}, {"source": "card:id_number"}]
    for domain in domains:
        for key, spec in SHARED_KEYS.items():
            if spec.domain == domain and not spec.personal and spec.kind != "ref" and \
                    len(fields) < 6:
                fields.append({"source": f"shared:{key}"})
    fields += [{"source": "record:details", "label": text(f"{title_zh}明细", "Details")},
               {"source": "record:verification_code", "label": text("验证码", "Verification code")}]
    return {"kind": "a4_proof", "title": text(title_zh, row["item_name_en"]), "fields": fields}


def domains_used(form: dict[str, Any], csv_domains: list[str]) -> list[str]:
    used = list(csv_domains)
    fields = list(form.get("fields", [])) + [LIBRARY[k] for k in form.get("library", [])]
    for block in form.get("blocks", []):
        fields += BLOCKS[block]["fields"]
    for field in fields:
        source = field.get("prefill", "")
        if source.startswith("shared:"):
            domain = SHARED_KEYS[source[7:]].domain
            if domain not in used:
                used.append(domain)
    return used


def build_items(rows: list[dict[str, str]]) -> dict[str, list[dict[str, Any]]]:
    by_file: dict[str, list[dict[str, Any]]] = {}
    mains: dict[tuple[str, str], int] = {}
    subs: dict[tuple[str, str], int] = {}
    stems = [(r["department"], re.split(r"[（(]", r["item_name_zh"])[0]) for r in rows]
    stem_count = {s: stems.count(s) for s in stems}
    detailed_rank = {name: i for i, name in enumerate(DETAILED)}
    dept_index = {name: i + 1 for i, name in enumerate(DEPARTMENTS)}
    for row, stem in zip(rows, stems, strict=True):
        dept_zh = row["department"]
        key, dept_en, registrar, org = DEPARTMENTS[dept_zh]
        if stem not in mains:
            mains[stem] = 1 + sum(1 for s in mains if s[0] == dept_zh)
        sub = 0
        if stem_count[stem] > 1:
            subs[stem] = subs.get(stem, 0) + 1
            sub = subs[stem]
        basic = f"{dept_index[dept_zh]:03d}{mains[stem]:06d}{sub:03d}"
        code = make_uscc(AREA, org, registrar) + LEVEL + basic
        mode = row["kiosk_mode"]
        type_code = ITEM_TYPES[row["item_type"]][0]
        csv_domains = [k for k in row["prefill_fields"].split(";")
                       if k and k not in ("name", "sex", "ethnicity", "birth_date", "id_number",
                                          "id_address")]
        materials = materials_of(row, key)
        form = form_of(row, mode, materials, csv_domains)
        name = row["item_name_zh"]
        promised, legal = (0, 0) if mode == "query_print" else TIMES[type_code]
        item: dict[str, Any] = {
            "code": code, "name": text(name, row["item_name_en"]), "item_type": type_code,
            "life_events": [row["life_event"]], "mode": mode,
            "visits_required": 1 if mode == "agent_only" else 0,
            "promised_days": promised, "legal_days": legal, "fee": 0,
        }
        if name in FEES:
            amount, note_zh, note_en = FEES[name]
            item["fee"] = int(amount)
            item["fee_note"] = text(note_zh, note_en)
        item["popularity"] = (98 - 2 * detailed_rank[name] if name in detailed_rank else
                              {"query_print": 55, "apply": 40, "agent_only": 30}[mode])
        keywords = sorted({k for word, aliases in KEYWORDS if word in name for k in aliases
                           if k not in name})
        if keywords:
            item["keywords"] = keywords
        item["prefill_keys"] = domains_used(form, csv_domains)
        if name in FACE_CHECKED:
            item["identity_assurance"] = "face"
        item["materials"] = materials
        if name in RULES:
            ref, rule, zh, en = RULES[name]
            item["eligibility"] = {"ref": ref, "rule": rule, "reason": text(zh, en)}
        item["output"] = output_of(row, mode, csv_domains)
        if mode == "agent_only":
            item["handling"] = handling_of(row, dept_zh, dept_en, materials)
        item["form"] = form
        by_file.setdefault(key, []).append(item)
    return by_file


# --- a small TOML writer that keeps the files readable ----------------------------------

def val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {val(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def table_lines(d: dict[str, Any], long_lists: tuple[str, ...] = ()) -> list[str]:
    lines = []
    for k, v in d.items():
        if k in long_lists and isinstance(v, list) and v:
            lines.append(f"{k} = [")
            lines += [f"  {val(x)}," for x in v]
            lines.append("]")
        else:
            lines.append(f"{k} = {val(v)}")
    return lines


def write_items(key: str, items: list[dict[str, Any]], dept_zh: str, dept_en: str) -> None:
    lines = [f"# {dept_zh} — {dept_en}: {len(items)} items.",
             "# Generated once from the reference CSV by seeds/tools/build_catalog.py; this file",
             "# is now the reviewed source: edit it here. Forms with fields_reviewed = false",
             "# were derived from the materials and prefill keys and await a reviewer.",
             "", f'department = "{key}"']
    for item in items:
        lines += ["", "[[items]]"]
        simple = {k: v for k, v in item.items() if k not in ("form", "output", "handling")}
        lines += table_lines(simple, long_lists=("materials",))
        output = item["output"]
        if output["kind"] == "a4_proof":
            lines += ["", "[items.output]", *table_lines(output, long_lists=("fields",))]
        else:
            lines.append(f"output = {val(output)}")
        if "handling" in item:
            lines += ["", "[items.handling]", *table_lines(item["handling"])]
        form = item["form"]
        lines += ["", "[items.form]", *table_lines({k: v for k, v in form.items() if k not in ("fields", "rules")})]
        for field in form.get("fields", []):
            lines += ["", "[[items.form.fields]]", *table_lines(field, long_lists=("choices",))]
        for rule in form.get("rules", []):
            lines += ["", "[[items.form.rules]]", *table_lines(rule)]
    (OUT / "items" / f"{key}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_vocab() -> None:
    lines = ["# The catalog's vocabularies: implementing departments (with their unified social",
             "# credit codes), life events (with national natural-person theme codes) and item",
             "# types (national codes, reference §1.2). Region: 杭州市余杭区 (330110), level 4.", ""]
    for dept_zh, (key, en, registrar, org) in DEPARTMENTS.items():
        lines += ["[[departments]]", f'key = "{key}"', f"name = {val(text(dept_zh, en))}",
                  f'uscc = "{make_uscc(AREA, org, registrar)}"', ""]
    for key, (zh, en, theme) in LIFE_EVENTS.items():
        lines += ["[[life_events]]", f'key = "{key}"', f"name = {val(text(zh, en))}",
                  f'theme = "{theme}"', ""]
    for zh, (code, en) in ITEM_TYPES.items():
        lines += ["[[item_types]]", f'key = "{code}"', f"name = {val(text(zh, en))}", ""]
    (OUT / "catalog.toml").write_text("\n".join(lines), encoding="utf-8")


def write_blocks() -> None:
    lines = ["# Shared form parts, defined once and reused by every item's form:",
             "#   [choice_lists.*]  option lists that fields name (choices = \"nation\")",
             "#   [fields.*]        the shared field library: one field per shared-data key",
             "#                     (forms list them in `library`)",
             "#   [blocks.*]        applicant, contact, bank account, agent, delivery and",
             "#                     declarations (forms list them in `blocks`); at_end blocks",
             "#                     come after the item's own fields", "", "[choice_lists]"]
    for name, entries in CHOICE_LISTS.items():
        lines += [f"{name} = ["] + [f"  {val(e)}," for e in entries] + ["]"]
    for key, field in LIBRARY.items():
        lines += ["", f"[fields.{key}]", *table_lines({k: v for k, v in field.items() if k != "key"}, long_lists=("choices",))]
    for name, block in BLOCKS.items():
        lines += ["", f"[blocks.{name}]", f"label = {val(block['label'])}"]
        if block.get("at_end"):
            lines.append("at_end = true")
        for field in block["fields"]:
            lines += ["", f"[[blocks.{name}.fields]]", *table_lines(field, long_lists=("choices",))]
        for rule in block.get("rules", []):
            lines += ["", f"[[blocks.{name}.rules]]", *table_lines(rule)]
    (OUT / "blocks.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


BUNDLES = [
    ("birth", "出生一件事", "Having a baby", "birth",
     "孩子出生后的出生证明、落户、医保、社保卡、接种证、生育津贴和育儿补贴一次办。",
     "Birth certificate, hukou, medical insurance, social-security card, vaccination, "
     "maternity allowance and childcare subsidy in one go.",
     ["出生医学证明首次签发", "新生儿重名查询", "出生登记（新生儿申报户口）", "新生儿城乡居民医保参保登记",
      "新生儿社会保障卡申领", "预防接种证办理", "生育医疗费用报销及生育津贴申领",
      "育儿补贴申领（3周岁以下婴幼儿）",
      "个人所得税专项附加扣除信息填报（子女教育、婴幼儿照护、赡养老人等）"]),
    ("school_entry", "入学一件事", "Starting school", "schooling",
     "入园、入学报名，随迁子女入学和学生资助，户籍、房产、接种信息自动核验。",
     "Kindergarten and school enrolment, migrant children's places and student aid; hukou, "
     "housing and vaccination data are checked automatically.",
     ["幼儿园入园报名", "小学一年级新生入学报名", "进城务工人员随迁子女义务教育入学申请",
      "儿童预防接种记录查询打印（入托入学查验）", "义务教育家庭经济困难学生生活补助"]),
    ("marriage", "婚育一件事", "Getting married", "marriage_family",
     "结婚登记预约、婚检孕检、生育登记，以及婚后户口和房产加名。",
     "Marriage appointment, check-ups, birth registration plan, and hukou and property "
     "changes after marriage.",
     ["结婚登记预约", "内地居民结婚登记", "婚前医学检查/孕前优生健康检查预约", "生育登记服务",
      "户口迁移（夫妻投靠）", "夫妻间不动产变更登记（加名/减名）"]),
    ("job_loss", "就业失业一件事", "Losing a job", "employment",
     "失业登记、失业保险金、求职与培训，公积金提取和社保关系转移。",
     "Unemployment registration and benefit, job search and training, provident-fund "
     "withdrawal and transfer of insurance.",
     ["失业登记", "失业保险金申领", "求职登记与职业介绍", "职业技能培训报名及培训补贴申领",
      "与单位终止劳动关系/户口迁出提取住房公积金", "基本医疗保险关系转移接续",
      "企业职工基本养老保险关系转移接续"]),
    ("retirement", "退休一件事", "Retiring", "retirement_elderly",
     "退休申请、医保年限认定、公积金提取、异地安置备案、老年优待。",
     "Retirement claim, medical-insurance years, provident-fund payout, care elsewhere and "
     "senior benefits.",
     ["企业职工基本养老保险正常退休申请", "退休人员职工医保缴费年限认定及一次性趸缴",
      "退休提取住房公积金（销户）", "异地就医备案（异地长期居住/异地安置退休）",
      "老年人优待证办理（60周岁以上）", "老年人/残疾人公交优待卡办理"]),
    ("disability", "残疾人服务一件事", "Disability services", "disability",
     "残疾人证、两项补贴、辅具、康复、无障碍改造、养老保险代缴和就业扶持。",
     "Disability certificate, the two subsidies, assistive devices, rehabilitation, home "
     "adaptation, pension contributions and job support.",
     ["残疾人证新办（残疾评定）", "困难残疾人生活补贴申请", "重度残疾人护理补贴申请",
      "残疾人基本型辅助器具适配申请", "残疾儿童康复救助申请", "困难重度残疾人家庭无障碍改造申请",
      "重度残疾人城乡居民养老保险代缴", "残疾人自主创业/灵活就业扶持申请"]),
    ("after_death", "身后一件事", "After a death", "death",
     "死亡证明、户口和证件注销、火化、殡葬补助、社保医保公积金继承和不动产继承。",
     "Death certificate, cancelling hukou and documents, cremation, funeral grants, "
     "insurance and provident-fund inheritance and property inheritance.",
     ["居民死亡医学证明（推断）书签发", "死亡人员户口注销", "死亡人员居民身份证注销及交回",
      "遗体接运及火化预约", "基本殡葬服务费用减免（惠民殡葬）", "参保人员死亡丧葬补助金、抚恤金申领",
      "城乡居民基本养老保险注销登记及个人账户余额继承", "医保个人账户余额一次性支取（死亡继承/出国定居）",
      "职工死亡或宣告死亡后继承人提取住房公积金", "不动产继承（受遗赠）转移登记", "残疾人证注销",
      "机动车驾驶证注销（驾驶人死亡）"]),
    ("homestay_eatery", "开办民宿/小餐饮一件事", "Opening a homestay or small eatery", "business",
     "个体户登记、食品经营、特种行业、卫生、消防、排水许可、税务确认和民宿评级。",
     "Business registration, food, lodging, hygiene, fire and sewer permits, tax set-up and "
     "homestay grading.",
     ["个体工商户设立登记（小店、民宿、小餐饮等）", "食品经营许可核发（餐饮服务/食品销售）",
      "小餐饮店、小食杂店登记/备案（浙江“三小一摊”）", "旅馆业（民宿）特种行业许可证核发",
      "公共场所卫生许可（住宿、美容美发等，告知承诺）",
      "公众聚集场所投入使用、营业前消防安全检查（告知承诺）",
      "城镇污水排入排水管网许可（餐饮等，告知承诺）", "个体工商户涉税信息确认（新办纳税人套餐）",
      "民宿（农家乐）等级评定申请"]),
    ("house_resale", "二手房过户一件事", "Buying a second-hand home", "housing",
     "转移登记、税费申报、水电气网联动过户、公积金提取和购房落户。",
     "Transfer registration, taxes, utilities transfer, provident-fund withdrawal and hukou.",
     ["存量房（二手房）买卖转移登记", "契税申报缴纳（不动产交易）", "存量房交易个人所得税、增值税申报",
      "二手房水电气网联动过户", "购买自住住房提取住房公积金", "户口迁移（购房落户）"]),
    ("rural_house", "农村建房一件事", "Building a rural house", "rural_agri",
     "宅基地审批、乡村建设规划许可、耕地占用税、公积金建房提取和农房确权。",
     "Homestead approval, rural planning permit, farmland tax, provident-fund withdrawal and "
     "title registration.",
     ["农村村民宅基地申请审批", "乡村建设规划许可证核发（农村建房）", "耕地占用税申报（农村建房）",
      "建造/翻建/大修自住住房提取住房公积金（含农村自建房）", "宅基地使用权及房屋所有权首次登记（农房确权）"]),
]


def write_bundles(code_of: dict[str, str]) -> None:
    lines = ["# \"One thing\" bundles (一件事, reference §2.4): entry points that join related",
             "# items in the order a citizen meets them. items are implementation codes.", ""]
    for key, zh, en, event, dzh, den, names in BUNDLES:
        lines += ["[[bundles]]", f'key = "{key}"', f"name = {val(text(zh, en))}",
                  f'life_event = "{event}"', f"description = {val(text(dzh, den))}", "items = ["]
        lines += [f'  "{code_of[n]}",  # {n}' for n in names]
        lines += ["]", ""]
    (OUT / "bundles.toml").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CSV_DEFAULT
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    (OUT / "items").mkdir(parents=True, exist_ok=True)
    by_file = build_items(rows)
    names = {DEPARTMENTS[d][0]: (d, DEPARTMENTS[d][1]) for d in DEPARTMENTS}
    for key, items in by_file.items():
        write_items(key, items, *names[key])
    write_vocab()
    write_blocks()
    write_bundles({i["name"]["zh"]: i["code"] for items in by_file.values() for i in items})
    print(f"{sum(len(v) for v in by_file.values())} items in {len(by_file)} files")


if __name__ == "__main__":
    main()
