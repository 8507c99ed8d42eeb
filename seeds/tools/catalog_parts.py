"""Vocabularies for build_catalog.py: departments, life events, shared blocks, field library.

Used once to generate seeds/catalog/ from the reference CSV; after that the TOML files are
the reviewed source and this module is kept only to explain where they came from.
"""

# ruff: noqa: E501  (tables of Chinese and English text read better on one line)

from __future__ import annotations

# CSV department -> (file key, English name, registrar code, 8-char organisation code)
DEPARTMENTS = {
    "公安局（户政）": ("mps_hukou", "Public Security Bureau (household registration)", "11", "00250101"),
    "公安局（交管）": ("mps_traffic", "Public Security Bureau (traffic police)", "11", "00250102"),
    "公安局（出入境）": ("mps_exit_entry", "Public Security Bureau (exit and entry)", "11", "00250103"),
    "公安局（治安）": ("mps_public_order", "Public Security Bureau (public order)", "11", "00250104"),
    "民政局": ("civil_affairs", "Civil Affairs Bureau", "11", "00250201"),
    "民政局（殡仪服务机构）": ("funeral_service", "Funeral Service Centre (Civil Affairs)", "12", "00250202"),
    "人力资源和社会保障局": ("hrss", "Human Resources and Social Security Bureau", "11", "00250301"),
    "医疗保障局": ("healthcare_security", "Healthcare Security Bureau", "11", "00250401"),
    "卫生健康局": ("health", "Health Commission", "11", "00250501"),
    "残疾人联合会": ("disabled_federation", "Disabled Persons' Federation", "13", "00250601"),
    "自然资源和规划局（不动产登记中心）": ("real_estate", "Real Estate Registration Centre", "12", "00250701"),
    "自然资源和规划局": ("natural_resources", "Natural Resources and Planning Bureau", "11", "00250702"),
    "自然资源和规划局（林业）": ("forestry", "Natural Resources and Planning Bureau (forestry)", "11", "00250703"),
    "住房公积金管理中心": ("housing_fund", "Housing Provident Fund Centre", "12", "00250801"),
    "住房和城乡建设局": ("housing_construction", "Housing and Urban-Rural Development Bureau", "11", "00250901"),
    "税务局": ("tax", "Tax Bureau", "11", "00251001"),
    "市场监督管理局": ("market_regulation", "Market Regulation Bureau", "11", "00251101"),
    "教育局": ("education", "Education Bureau", "11", "00251201"),
    "教育局（语委）": ("language_commission", "Education Bureau (language commission)", "11", "00251202"),
    "教育考试院": ("exam_authority", "Education Examinations Authority", "12", "00251203"),
    "退役军人事务局": ("veterans", "Veterans Affairs Bureau", "11", "00251301"),
    "司法局": ("justice", "Justice Bureau", "11", "00251401"),
    "乡镇人民政府（街道办事处）": ("township", "Township Government (sub-district office)", "11", "00251501"),
    "农业农村局": ("agriculture", "Agriculture and Rural Affairs Bureau", "11", "00251601"),
    "消防救援机构": ("fire_rescue", "Fire and Rescue Brigade", "11", "00251701"),
    "文化广电旅游体育局": ("culture_tourism", "Culture, Tourism and Sports Bureau", "11", "00251801"),
    "交通运输局": ("transport", "Transport Bureau", "11", "00251901"),
    "公用事业单位（供电/供水/燃气）": ("utilities", "Utilities (power, water, gas)", "91", "00252001"),
    "总工会": ("trade_union", "Federation of Trade Unions", "13", "00252101"),
    "档案馆": ("archives", "Archives", "12", "00252201"),
    "应急管理局": ("emergency", "Emergency Management Bureau", "11", "00252301"),
    "红十字会": ("red_cross", "Red Cross Society", "13", "00252401"),
    "人民武装部（兵役机关）": ("armed_forces", "People's Armed Forces Department (conscription)", "11", "00252501"),
    "综合行政执法局": ("law_enforcement", "Comprehensive Law Enforcement Bureau", "11", "00252601"),
    "中国人民银行（征信中心）": ("credit_reference", "People's Bank of China (Credit Reference Center)", "12", "00252701"),
    "烟草专卖局": ("tobacco", "Tobacco Monopoly Bureau", "11", "00252801"),
}

LIFE_EVENTS = {
    "birth": ("生育出生", "Birth and adoption", "005"),
    "schooling": ("入学教育", "School and education", "020"),
    "employment": ("就业创业", "Work and jobs", "030"),
    "marriage_family": ("婚姻家庭", "Marriage and family", "060"),
    "housing": ("住房", "Housing", "075"),
    "retirement_elderly": ("退休养老", "Retirement and old age", "150"),
    "disability": ("残疾人服务", "Disability", "085"),
    "death": ("身后事", "After a death", "155"),
    "identity_travel": ("证件出行", "Identity documents and travel", "090"),
    "business": ("开办经营", "Running a business", "040"),
    "medical": ("医疗卫生", "Health and medical care", "145"),
    "social_assistance": ("社会救助", "Social assistance", "085"),
    "social_insurance": ("社会保险", "Social insurance", "085"),
    "veterans": ("退役军人", "Veterans", "065"),
    "rural_agri": ("农业农村", "Farming and rural life", "998"),
    "legal_services": ("法律服务", "Legal services", "120"),
    "daily_life": ("生活服务", "Daily life", "140"),
}

ITEM_TYPES = {
    "行政许可": ("01", "Administrative licence"), "行政处罚": ("02", "Administrative penalty"),
    "行政强制": ("03", "Administrative coercion"), "行政征收": ("04", "Administrative levy"),
    "行政给付": ("05", "Administrative benefit"), "行政检查": ("06", "Administrative inspection"),
    "行政确认": ("07", "Administrative confirmation"), "行政奖励": ("08", "Administrative reward"),
    "行政裁决": ("09", "Administrative adjudication"),
    "其他行政权力": ("10", "Other administrative power"), "公共服务": ("20", "Public service"),
}

NATIONS = """01 汉族 Han|02 蒙古族 Mongol|03 回族 Hui|04 藏族 Tibetan|05 维吾尔族 Uyghur|06 苗族 Miao|
07 彝族 Yi|08 壮族 Zhuang|09 布依族 Buyei|10 朝鲜族 Korean|11 满族 Manchu|12 侗族 Dong|13 瑶族 Yao|
14 白族 Bai|15 土家族 Tujia|16 哈尼族 Hani|17 哈萨克族 Kazakh|18 傣族 Dai|19 黎族 Li|20 傈僳族 Lisu|
21 佤族 Va|22 畲族 She|23 高山族 Gaoshan|24 拉祜族 Lahu|25 水族 Sui|26 东乡族 Dongxiang|27 纳西族 Naxi|
28 景颇族 Jingpo|29 柯尔克孜族 Kyrgyz|30 土族 Tu|31 达斡尔族 Daur|32 仫佬族 Mulao|33 羌族 Qiang|
34 布朗族 Blang|35 撒拉族 Salar|36 毛南族 Maonan|37 仡佬族 Gelao|38 锡伯族 Xibe|39 阿昌族 Achang|
40 普米族 Pumi|41 塔吉克族 Tajik|42 怒族 Nu|43 乌孜别克族 Uzbek|44 俄罗斯族 Russian|45 鄂温克族 Evenki|
46 德昂族 De'ang|47 保安族 Bonan|48 裕固族 Yugur|49 京族 Gin|50 塔塔尔族 Tatar|51 独龙族 Derung|
52 鄂伦春族 Oroqen|53 赫哲族 Hezhen|54 门巴族 Monba|55 珞巴族 Lhoba|56 基诺族 Jino|97 其他 Other|
98 外国血统中国籍人士 Chinese citizen of foreign origin"""


def choices(spec: str) -> list[dict]:
    """'value:中文:English|...' -> choice tables."""
    out = []
    for part in spec.split("|"):
        value, zh, en = part.strip().split(":", 2)
        out.append({"value": value, "label": {"zh": zh, "en": en}})
    return out


def nation_choices() -> list[dict]:
    out = []
    for part in NATIONS.replace("\n", "").split("|"):
        code, zh, en = part.split(" ", 2)
        out.append({"value": code, "label": {"zh": zh, "en": en}})
    return out


# Labels of the values of shared-data enums, for choice fields in the library.
ENUM_LABELS = {
    "hukou_type": "rural:农业户籍:Rural|urban:城镇户籍:Urban|none:无户籍（境外人员）:None (foreign resident)",
    "marital": "unmarried:未婚:Unmarried|married:已婚:Married|divorced:离异:Divorced|widowed:丧偶:Widowed",
    "pension": ("none:未参保:Not enrolled|resident_enrolled:城乡居民养老保险参保中:Resident scheme, "
                "contributing|resident_receiving:领取城乡居民养老金:Receiving resident pension|"
                "employee:职工养老保险参保中:Employee scheme, contributing|employee_receiving:"
                "领取职工养老金:Receiving employee pension"),
    "medins": "none:未参保:Not insured|resident:城乡居民医保:Resident scheme|employee:职工医保:Employee scheme",
    "employment": ("employed:在职:Employed|self_employed:个体/灵活就业:Self-employed|farmer:务农:"
                   "Farming|unemployed:失业:Unemployed|unemployed_involuntary:非自愿失业:"
                   "Involuntarily unemployed|retired:退休:Retired|student:在校学生:Student|none:无:None"),
    "disability_type": ("visual:视力残疾:Visual|hearing:听力残疾:Hearing|speech:言语残疾:Speech|"
                        "limb:肢体残疾:Physical|intellectual:智力残疾:Intellectual|mental:精神残疾:"
                        "Mental|multiple:多重残疾:Multiple"),
    "assistance_status": ("none:无:None|dibao:低保:Dibao (minimum living guarantee)|dibian:低保边缘:"
                          "Near-dibao|tekun:特困供养:Extreme-poverty support|orphan:孤儿:Orphan"),
    "student": ("none:不在读:Not in school|preschool:幼儿园:Kindergarten|primary:小学:Primary|"
                "middle_school:初中:Junior middle|high_school:高中:Senior high|vocational:中职:"
                "Vocational|university:高校:University"),
    "education": ("none:无:None|primary:小学:Primary|middle:初中:Junior middle|high:高中:Senior high|"
                  "vocational:中专/职高:Vocational|college:大专:College|bachelor:本科:Bachelor|"
                  "master:硕士:Master|doctor:博士:Doctorate"),
}

SIGN_HELP = {"zh": "请在签字板上签名", "en": "Sign on the signature pad"}


def f(key: str, zh: str, en: str, type_: str, **kw: object) -> dict:
    field: dict = {"key": key, "label": {"zh": zh, "en": en}, "type": type_}
    if kw.pop("req", False):
        field["required"] = True
    help_ = kw.pop("help", None)
    if help_:
        hz, he = help_  # type: ignore[misc]
        field["help"] = {"zh": hz, "en": he}
    if isinstance(kw.get("choices"), str) and ":" in str(kw["choices"]):
        kw["choices"] = choices(str(kw["choices"]))
    field.update(kw)
    return field


BLOCKS = {
    "applicant": {
        "label": {"zh": "申请人", "en": "Applicant"},
        "fields": [
            f("applicant_name", "姓名", "Name", "text", req=True, prefill="card:name",
              readonly=True, max_length=60),
            f("applicant_gender", "性别", "Gender", "choice", req=True, prefill="card:gender",
              readonly=True, choices="gender"),
            f("applicant_nation", "民族", "Ethnic group", "choice", prefill="card:nation",
              readonly=True, choices="nation"),
            f("applicant_birth_date", "出生日期", "Date of birth", "date", req=True,
              prefill="card:birth_date", readonly=True, date_range="past"),
            f("applicant_id_number", "公民身份号码", "ID number", "id_number", req=True,
              prefill="card:id_number", readonly=True),
            f("applicant_address", "户籍地址", "Registered address", "address",
              prefill="card:address", max_length=120),
        ],
    },
    "contact": {
        "label": {"zh": "联系方式", "en": "Contact"},
        "fields": [
            f("phone", "联系电话", "Phone number", "phone", req=True, prefill="shared:phone",
              help=("办理进度将以短信告知", "Progress is sent by text message")),
            f("address_current", "现居住地址", "Current address", "address",
              prefill="shared:address_current", max_length=120),
        ],
    },
    "bank_account": {
        "label": {"zh": "发放账户", "en": "Payment account"},
        "fields": [
            f("bank_name", "开户银行", "Bank", "choice", req=True, prefill="shared:bank_name",
              choices="bank"),
            f("bank_account", "银行账号", "Account number", "bank_account", req=True,
              prefill="shared:bank_account",
              help=("账户须为申请人本人账户，默认使用社保卡金融账户",
                    "The account must be the applicant's own; the social-security card's "
                    "account is suggested")),
        ],
    },
    "agent": {
        "label": {"zh": "代办人（村代办员、监护人或亲属）",
                  "en": "Acting person (village agent, guardian or relative)"},
        "fields": [
            f("agent_name", "代办人姓名", "Acting person's name", "text", max_length=60),
            f("agent_id_number", "代办人身份证号", "Acting person's ID number", "id_number"),
            f("agent_phone", "代办人电话", "Acting person's phone", "phone"),
            f("agent_relation", "与申请人关系", "Relation to the applicant", "choice",
              choices="relation"),
            f("agent_authorisation", "授权委托书或监护证明", "Power of attorney or guardianship proof",
              "file", help=("电子签署的授权书或监护关系证明",
                            "An e-signed power of attorney or proof of guardianship")),
        ],
        "rules": [
            {"kind": "required_if", "field": "agent_name", "other": "agent_relation",
             "value": "agent"},
        ],
    },
    "delivery": {
        "label": {"zh": "结果领取方式", "en": "How to receive the result"},
        "at_end": True,
        "fields": [
            f("delivery_method", "领取方式", "Delivery", "choice", req=True,
              choices="window:窗口自取:Collect at the window|post:免费邮寄:Free post|"
                      "electronic:电子证照:Electronic licence"),
            f("delivery_address", "邮寄地址", "Postal address", "address", max_length=120,
              prefill="shared:address_current"),
        ],
        "rules": [
            {"kind": "required_if", "field": "delivery_address", "other": "delivery_method",
             "value": "post"},
        ],
    },
    "declarations": {
        "label": {"zh": "承诺与授权", "en": "Declarations"},
        "at_end": True,
        "fields": [
            f("declare_truthful", "本人承诺所填信息真实有效，如有不实愿承担法律责任",
              "I declare that the information given is true and accept legal responsibility "
              "if it is not", "yes_no", req=True, must_accept=True),
            f("authorise_data_query", "同意向有关部门查询、核对本人及家庭相关信息",
              "I authorise the departments to query and check data about me and my household",
              "yes_no", req=True),
            f("signature", "申请人签名", "Applicant's signature", "signature", req=True,
              help=(SIGN_HELP["zh"], SIGN_HELP["en"])),
        ],
    },
}

CHOICE_LISTS = {
    "gender": choices("1:男:Male|2:女:Female|0:未知:Unknown|9:未说明:Not stated"),
    "nation": nation_choices(),
    "relation": choices("self:本人:Self|spouse:配偶:Spouse|child:子女:Child|parent:父母:Parent|"
                        "guardian:监护人:Guardian|relative:其他亲属:Other relative|"
                        "agent:村（社区）代办员:Village agent"),
    "bank": choices("icbc:中国工商银行:ICBC|abc:中国农业银行:Agricultural Bank of China|"
                    "boc:中国银行:Bank of China|ccb:中国建设银行:China Construction Bank|"
                    "bocom:交通银行:Bank of Communications|psbc:中国邮政储蓄银行:Postal Savings Bank|"
                    "zjrcu:浙江农商银行:Zhejiang Rural Commercial Bank|hzbank:杭州银行:Bank of Hangzhou|"
                    "other:其他银行:Other bank"),
    "purpose": choices("employment:就业:Employment|study:入学:Schooling|loan:贷款:Loan|"
                       "housing:购房/租房:Housing|abroad:出国（境）:Going abroad|"
                       "benefit:办理待遇:Benefits|other:其他:Other"),
}


def _enum_field(key: str, zh: str, en: str, source: str) -> dict:
    return f(key, zh, en, "choice", prefill=f"shared:{source}", choices=choices(ENUM_LABELS[source]))


# Shared field library: one field per shared-data key an item may show (prefilled).
LIBRARY = {
    "hukou_type": _enum_field("hukou_type", "户籍性质", "Hukou type", "hukou_type"),
    "hukou_address": f("hukou_address", "户籍所在地", "Hukou place", "address",
                       prefill="shared:hukou_address", max_length=120),
    "household_size": f("household_size", "家庭户人数", "Household size", "number",
                        prefill="shared:household_size", integer=True, min=1, max=30),
    "marital": _enum_field("marital", "婚姻状况", "Marital status", "marital"),
    "spouse_name": f("spouse_name", "配偶姓名", "Spouse's name", "text",
                     prefill="shared:spouse_name", max_length=60),
    "spouse_id_number": f("spouse_id_number", "配偶身份证号", "Spouse's ID number", "id_number",
                          prefill="shared:spouse_id_number"),
    "children": f("children", "子女数", "Number of children", "number", prefill="shared:children",
                  integer=True, min=0, max=20),
    "birth_cert_number": f("birth_cert_number", "出生医学证明编号", "Birth certificate number",
                           "text", prefill="shared:birth_cert_number",
                           pattern="[A-Z]\\d{9}",
                           pattern_message={"zh": "应为1位字母加9位数字",
                                            "en": "one letter and 9 digits"}),
    "deceased_name": f("deceased_name", "逝者姓名", "Name of the deceased", "text", req=True,
                       max_length=60),
    "deceased_id_number": f("deceased_id_number", "逝者身份证号", "ID number of the deceased",
                            "id_number", req=True),
    "death_date": f("death_date", "死亡日期", "Date of death", "date", req=True,
                    date_range="past"),
    "relation_to_deceased": f("relation_to_deceased", "与逝者关系", "Relation to the deceased",
                              "choice", req=True, choices="relation"),
    "ssc_number": f("ssc_number", "社会保障卡号", "Social-security card number", "text",
                    prefill="shared:ssc_number", max_length=20),
    "pension_status": _enum_field("pension_status", "养老保险状态", "Pension status", "pension"),
    "pension_years": f("pension_years", "累计缴费年限", "Contribution years", "number",
                       prefill="shared:pension_years", integer=True, min=0, max=60),
    "medins": _enum_field("medins", "医疗保险", "Medical insurance", "medins"),
    "employment": _enum_field("employment", "就业状态", "Employment status", "employment"),
    "employer": f("employer", "工作单位", "Employer", "text", prefill="shared:employer",
                  max_length=100),
    "hpf_account": f("hpf_account", "公积金账号", "Provident-fund account", "text",
                     prefill="shared:hpf_account", max_length=30),
    "hpf_balance": f("hpf_balance", "公积金余额（元）", "Provident-fund balance (CNY)", "amount",
                     prefill="shared:hpf_balance", readonly=True),
    "property_address": f("property_address", "房屋坐落", "Property address", "address",
                          prefill="shared:property_address", max_length=120),
    "disability_type": _enum_field("disability_type", "残疾类别", "Disability category",
                                   "disability_type"),
    "disability_grade": f("disability_grade", "残疾等级", "Disability grade", "choice",
                          prefill="shared:disability_grade",
                          choices="1:一级:Grade 1|2:二级:Grade 2|3:三级:Grade 3|4:四级:Grade 4"),
    "assistance_status": _enum_field("assistance_status", "救助身份", "Assistance status",
                                     "assistance_status"),
    "veteran": f("veteran", "是否退役军人", "Veteran", "yes_no", prefill="shared:veteran"),
    "student_stage": _enum_field("student_stage", "在读学段", "School stage", "student"),
    "education": _enum_field("education", "最高学历", "Highest education", "education"),
    "biz_licence_number": f("biz_licence_number", "统一社会信用代码（营业执照）",
                            "Business licence (USCC)", "text",
                            prefill="shared:biz_licence_number", pattern="[0-9A-Z]{18}",
                            pattern_message={"zh": "应为18位统一社会信用代码",
                                             "en": "an 18-character unified social credit code"}),
    "tax_year": f("tax_year", "所属年度", "Tax year", "number", integer=True, min=2019,
                  max=2100),
    "driving_licence": f("driving_licence", "持有机动车驾驶证", "Holds a driving licence",
                         "yes_no", prefill="shared:driving_licence"),
    "residence_permit": f("residence_permit", "持有居住证", "Holds a residence permit",
                          "yes_no", prefill="shared:residence_permit"),
    "photo": f("photo", "证件照", "ID photo", "file",
               help=("可使用制证照片库中的照片，或现场拍摄",
                     "The certificate photo on file can be used, or one taken now")),
    "elderly_cert": f("elderly_cert", "持有老年人优待证", "Holds a senior certificate", "yes_no",
                      prefill="shared:elderly_cert"),
    "care_level": f("care_level", "老年人能力等级", "Elderly care level", "choice",
                    prefill="shared:care_level",
                    choices="0:能力完好:Fully able|1:轻度失能:Mildly dependent|"
                            "2:中度失能:Moderately dependent|3:重度失能:Severely dependent|"
                            "4:完全失能:Fully dependent"),
    "skills_cert": f("skills_cert", "技能等级证书", "Skill certificate", "text",
                     prefill="shared:skills_cert", max_length=60),
    "vaccination_complete": f("vaccination_complete", "预防接种记录完整",
                              "Vaccination record complete", "yes_no",
                              prefill="shared:vaccination_complete"),
    "health_record": f("health_record", "已建立电子健康档案", "Has an electronic health record",
                       "yes_no", prefill="shared:health_record"),
}

# CSV prefill domain -> library fields shown on derived forms
DOMAIN_FIELDS = {
    "hukou": ["hukou_address"], "household": ["household_size"], "marital": ["marital"],
    "spouse": ["spouse_name", "spouse_id_number"], "children": ["children"],
    "birth_cert": ["birth_cert_number"],
    "death_info": ["deceased_name", "deceased_id_number", "death_date", "relation_to_deceased"],
    "ssc": ["ssc_number"], "pension": ["pension_status", "pension_years"], "medins": ["medins"],
    "employment": ["employment", "employer"], "hpf": ["hpf_account", "hpf_balance"],
    "property": ["property_address"], "disability": ["disability_type", "disability_grade"],
    "assistance_status": ["assistance_status"], "veteran": ["veteran"],
    "student": ["student_stage"], "education_cert": ["education"],
    "biz_licence": ["biz_licence_number"], "tax": ["tax_year"], "vehicle": ["driving_licence"],
    "residence": ["residence_permit"], "photo": ["photo"], "elderly_cert": ["elderly_cert"],
    "elderly_assessment": ["care_level"], "skills_cert": ["skills_cert"],
    "vaccination": ["vaccination_complete"], "health_record": ["health_record"],
}
