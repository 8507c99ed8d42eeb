"""The fixed vocabularies the catalog data is checked against.

* ``CARD_FIELDS``: what the chip of an ID card (or a social-security card) gives; prefill
  source ``card:<field>``. The names are this project's: ``gender``, ``nation``, ``address``.
* ``SHARED_DOMAINS``: the data-sharing domains of the reference (§3.1: ``hukou``, ``pension``,
  ...). An item lists the domains it reads in ``prefill_keys``; that is the consent scope.
* ``SHARED_KEYS``: one value of shared departmental data, e.g. ``pension_years``; prefill
  source ``shared:<key>``, a fact for eligibility rules, and a key of a resident's
  ``[residents.profile]``. Each belongs to a domain and has a type (and allowed values).
* ``CARD_FACTS``: facts computed from the card for eligibility rules (``age`` and friends).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from civic.text import Text


class Mode(StrEnum):
    APPLY = "apply"
    QUERY_PRINT = "query_print"
    AGENT_ONLY = "agent_only"


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    AMOUNT = "amount"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    BANK_ACCOUNT = "bank_account"
    ADDRESS = "address"
    FILE = "file"
    SIGNATURE = "signature"


class IdentityAssurance(StrEnum):
    """How sure the platform must be that the person at the terminal is the resident whose
    card was read (platform-api.md, "Person-to-card check")."""

    CARD = "card"              # holding the card is enough (the default)
    FACE = "face"              # a live face matching the resident: identity_check required


class OutputKind(StrEnum):
    RECEIPT = "receipt"        # a receipt slip with the case number; the result comes later
    A4_PROOF = "a4_proof"      # an A4 proof printed at once (query_print items)
    REFERRAL = "referral"      # a slip saying where to go and what to bring (agent_only)


CARD_FIELDS: dict[str, Text] = {
    "name": Text("姓名", "Name"),
    "gender": Text("性别", "Gender"),
    "nation": Text("民族", "Ethnic group"),
    "birth_date": Text("出生日期", "Date of birth"),
    "address": Text("住址", "Address on the card"),
    "id_number": Text("公民身份号码", "ID number"),
}

# §3.1 of the reference: domain -> (label, usual source department)
SHARED_DOMAINS: dict[str, Text] = {
    "phone": Text("实名手机号", "Verified mobile number"),
    "hukou": Text("户籍信息", "Hukou registration"),
    "household": Text("家庭户成员", "Household members"),
    "marital": Text("婚姻状况", "Marital status"),
    "spouse": Text("配偶信息", "Spouse"),
    "children": Text("子女信息", "Children"),
    "birth_cert": Text("出生医学证明", "Birth certificate"),
    "death_info": Text("死亡信息", "Death records"),
    "ssc": Text("社会保障卡", "Social-security card"),
    "pension": Text("养老保险", "Pension insurance"),
    "medins": Text("医疗保险", "Medical insurance"),
    "employment": Text("就业失业", "Employment"),
    "hpf": Text("住房公积金", "Housing provident fund"),
    "property": Text("不动产", "Real estate"),
    "disability": Text("残疾人证", "Disability certificate"),
    "assistance_status": Text("救助身份", "Social-assistance status"),
    "veteran": Text("退役军人", "Veteran status"),
    "student": Text("学籍", "School enrolment"),
    "education_cert": Text("学历学位", "Diplomas and degrees"),
    "biz_licence": Text("营业执照", "Business licence"),
    "tax": Text("纳税记录", "Tax records"),
    "vehicle": Text("驾驶证与车辆", "Driving licence and vehicles"),
    "residence": Text("居住证", "Residence permit"),
    "address_current": Text("现居住地址", "Current address"),
    "bank_account": Text("发放账户", "Payment account"),
    "photo": Text("制证照片", "Certificate photo"),
    "elderly_cert": Text("老年人优待证", "Senior certificate"),
    "elderly_assessment": Text("老年人能力评估", "Elderly ability assessment"),
    "skills_cert": Text("技能等级证书", "Skill certificates"),
    "vaccination": Text("预防接种", "Vaccination record"),
    "health_record": Text("健康档案", "Health record"),
}


@dataclass(frozen=True)
class SharedKey:
    domain: str
    kind: str                       # "str", "int", "number", "bool", "enum", "ref"
    label: Text
    values: tuple[str, ...] = ()    # allowed values of an enum
    personal: bool = False          # a name, ID number, address or account: never logged


def _k(domain: str, kind: str, zh: str, en: str, values: str = "",
       personal: bool = False) -> SharedKey:
    return SharedKey(domain, kind, Text(zh, en), tuple(values.split()), personal)


SHARED_KEYS: dict[str, SharedKey] = {
    "phone": _k("phone", "str", "联系电话", "Mobile number", personal=True),
    "hukou_type": _k("hukou", "enum", "户籍性质", "Hukou type", "rural urban none"),
    "hukou_address": _k("hukou", "str", "户籍地址", "Hukou address", personal=True),
    "household_size": _k("household", "int", "家庭户人数", "Household size"),
    "household_relation": _k("household", "enum", "与户主关系", "Relation to the head",
                             "head spouse child parent grandchild other"),
    "marital": _k("marital", "enum", "婚姻状况", "Marital status",
                  "unmarried married divorced widowed"),
    "spouse": _k("spouse", "ref", "配偶（居民编号）", "Spouse (resident ref)"),
    "spouse_name": _k("spouse", "str", "配偶姓名", "Spouse's name", personal=True),
    "spouse_id_number": _k("spouse", "str", "配偶身份证号", "Spouse's ID number", personal=True),
    "children": _k("children", "int", "子女数", "Number of children"),
    "youngest_child_age_months": _k("children", "int", "最小子女月龄",
                                    "Youngest child's age in months"),
    "birth_cert_number": _k("birth_cert", "str", "出生医学证明编号", "Birth certificate number"),
    "recent_death_in_household": _k("death_info", "bool", "家庭成员近期死亡",
                                    "A household member died recently"),
    "ssc_number": _k("ssc", "str", "社会保障卡号", "Social-security card number",
                     personal=True),
    "ssc_status": _k("ssc", "enum", "社保卡状态", "Social-security card status",
                     "none active lost expired"),
    "pension": _k("pension", "enum", "养老保险状态", "Pension status",
                  "none resident_enrolled resident_receiving employee employee_receiving"),
    "pension_years": _k("pension", "int", "累计缴费年限", "Contribution years"),
    "medins": _k("medins", "enum", "医疗保险", "Medical insurance", "none resident employee"),
    "employment": _k("employment", "enum", "就业状态", "Employment status",
                     "employed self_employed farmer unemployed unemployed_involuntary retired "
                     "student none"),
    "employer": _k("employment", "str", "工作单位", "Employer"),
    "unemployment_contrib_months": _k("employment", "int", "失业保险缴费月数",
                                      "Unemployment-insurance months"),
    "hpf_balance": _k("hpf", "number", "公积金余额（元）", "Provident-fund balance (CNY)"),
    "hpf_account": _k("hpf", "str", "公积金账号", "Provident-fund account", personal=True),
    "property_count": _k("property", "int", "名下不动产数", "Properties owned"),
    "property_address": _k("property", "str", "不动产坐落", "Property address", personal=True),
    "disability_grade": _k("disability", "int", "残疾等级（0 无）", "Disability grade (0 none)"),
    "disability_type": _k("disability", "enum", "残疾类别", "Disability category",
                          "visual hearing speech limb intellectual mental multiple"),
    "assistance_status": _k("assistance_status", "enum", "救助身份", "Assistance status",
                            "none dibao dibian tekun orphan"),
    "veteran": _k("veteran", "bool", "退役军人", "Veteran"),
    "student": _k("student", "enum", "在读学段", "School stage",
                  "none preschool primary middle_school high_school vocational university"),
    "education": _k("education_cert", "enum", "最高学历", "Highest education",
                    "none primary middle high vocational college bachelor master doctor"),
    "biz_licence_number": _k("biz_licence", "str", "营业执照号", "Business licence number"),
    "tax_registered": _k("tax", "bool", "有纳税记录", "Has tax records"),
    "driving_licence": _k("vehicle", "bool", "持有驾驶证", "Holds a driving licence"),
    "vehicle_count": _k("vehicle", "int", "名下机动车数", "Vehicles owned"),
    "residence_permit": _k("residence", "bool", "持有居住证", "Holds a residence permit"),
    "lives_away_months": _k("residence", "int", "离开户籍地居住月数",
                            "Months living away from the hukou place"),
    "address_current": _k("address_current", "str", "现居住地址", "Current address",
                          personal=True),
    "bank_name": _k("bank_account", "str", "开户银行", "Bank"),
    "bank_account": _k("bank_account", "str", "银行账号", "Bank account", personal=True),
    "photo_on_file": _k("photo", "bool", "有制证照片", "Certificate photo on file"),
    "elderly_cert": _k("elderly_cert", "bool", "持有老年人优待证", "Holds a senior certificate"),
    "care_level": _k("elderly_assessment", "int", "老年人能力等级（0 能力完好）",
                     "Elderly care level (0 = fully able)"),
    "skills_cert": _k("skills_cert", "str", "技能等级证书", "Skill certificate"),
    "vaccination_complete": _k("vaccination", "bool", "接种记录完整", "Vaccinations complete"),
    "health_record": _k("health_record", "bool", "已建健康档案", "Has a health record"),
}

CARD_TYPES = ("resident", "foreign_permanent", "foreign_permanent_2023", "hmt_residence")

# Facts computed from the card for eligibility rules: name -> (kind, values, label)
CARD_FACTS: dict[str, SharedKey] = {
    "age": _k("card", "int", "年龄（周岁）", "Age in full years"),
    "age_at_year_end": _k("card", "int", "年底时年龄", "Age on 31 December this year"),
    "age_months": _k("card", "int", "月龄", "Age in months"),
    "gender": _k("card", "enum", "性别", "Gender", "male female"),
    "card_type": _k("card", "enum", "证件类型", "Card type", " ".join(CARD_TYPES)),
    "id_valid_days": _k("card", "int", "证件剩余有效天数", "Days until the card expires"),
}


def fact_kinds() -> dict[str, SharedKey]:
    """Every name an eligibility rule may use."""
    return {**CARD_FACTS, **{k: v for k, v in SHARED_KEYS.items() if v.kind != "ref"}}


def prefill_source_problem(source: str) -> str | None:
    """None when ``source`` is a known prefill source, else what is wrong with it."""
    kind, _, key = source.partition(":")
    if kind == "card":
        return None if key in CARD_FIELDS else (
            f"unknown card field {key!r} (allowed: {', '.join(CARD_FIELDS)})")
    if kind == "shared":
        return None if key in SHARED_KEYS and SHARED_KEYS[key].kind != "ref" else (
            f"unknown shared-data key {key!r} (see civic/catalog/vocab.py SHARED_KEYS)")
    return f"unknown prefill source {source!r}: expected card:<field> or shared:<key>"
