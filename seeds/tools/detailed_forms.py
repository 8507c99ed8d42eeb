"""The detailed forms of the 30 most common items (reference §3.3), by CSV item name.

Each entry: blocks, library fields, own fields and cross-field rules. Used once by
build_catalog.py; the generated TOML is the reviewed source.
"""



from __future__ import annotations

from catalog_parts import f

A, C, B, G, D, E = "applicant", "contact", "bank_account", "agent", "delivery", "declarations"

_WITHDRAW = [
    f("withdrawal_amount", "提取金额（元）", "Amount to withdraw (CNY)", "amount", req=True,
      min=1, help=("不超过账户余额及政策核定额度", "Up to the balance and the permitted amount")),
    f("spouse_joint", "配偶同时提取", "Spouse withdraws at the same time", "yes_no"),
]


def _withdraw(kind: str, zh: str, en: str, extra: list[dict], library: list[str]) -> dict:
    return {"blocks": [A, C, B, E], "library": ["hpf_account", "hpf_balance", *library],
            "fields": [f("withdrawal_type", "提取类型", "Withdrawal ground", "choice", req=True,
                         choices=f"{kind}:{zh}:{en}", readonly=True), *_WITHDRAW, *extra]}


DETAILED: dict[str, dict] = {
    "城乡居民基本养老保险参保登记": {
        "blocks": [A, C, E], "library": ["hukou_type", "hukou_address", "pension_status"],
        "fields": [
            f("contribution_tier", "缴费档次（元/年）", "Contribution tier (CNY a year)", "choice",
              req=True, choices="100:100元:CNY 100|300:300元:CNY 300|500:500元:CNY 500|"
              "1000:1000元:CNY 1,000|2000:2000元:CNY 2,000|3000:3000元:CNY 3,000|"
              "5000:5000元:CNY 5,000"),
            f("subsidised_group", "代缴身份", "Government-paid group", "choice",
              choices="none:无:None|dibao:低保对象:Dibao|tekun:特困人员:Extreme poverty|"
              "severe_disability:重度残疾人:Severely disabled",
              help=("低保、特困、重度残疾人由政府代缴最低档", "The government pays the lowest "
                    "tier for dibao, extreme-poverty and severely disabled people")),
            f("in_employee_scheme", "已参加职工养老保险", "Already in the employee pension scheme",
              "yes_no", req=True, help=("已参加职工养老保险的不能重复参保",
                                        "People in the employee scheme cannot enrol twice")),
            f("payment_method", "缴费方式", "How to pay", "choice", req=True,
              choices="bank_debit:银行代扣:Bank debit|online:线上缴费:Pay online"),
        ],
    },
    "城乡居民基本养老保险待遇申领": {
        "blocks": [A, C, B, E], "library": ["pension_status", "pension_years"],
        "fields": [
            f("other_pension", "已领取其他养老待遇", "Already receiving another pension",
              "yes_no", req=True),
            f("benefit_start", "申请待遇起始年月", "Benefit to start from", "date", req=True,
              help=("一般为年满60周岁的次月", "Usually the month after turning 60")),
        ],
    },
    "养老保险待遇领取资格认证": {
        "blocks": [A, C], "library": ["pension_status"],
        "fields": [
            f("certification_method", "认证方式", "How to certify", "choice", req=True,
              choices="face:人脸识别:Face recognition|agent_visit:代办员上门:Agent visit"),
            f("liveness_passed", "活体检测通过", "Liveness check passed", "yes_no", req=True),
            f("certified_by", "本人/代认证", "Certified by", "choice", req=True,
              choices="self:本人:The pensioner|agent:代办员协助:With the village agent"),
            f("signature", "签名确认", "Signature", "signature", req=True),
        ],
    },
    "个人参保证明查询打印": {
        "blocks": [A],
        "fields": [
            f("insurance_types", "险种", "Insurance schemes", "choice", req=True, multiple=True,
              choices="pension:养老保险:Pension|medical:医疗保险:Medical|"
              "unemployment:失业保险:Unemployment|injury:工伤保险:Work injury"),
            f("period_start", "起始年月", "From", "date", req=True, date_range="past"),
            f("period_end", "截止年月", "To", "date", req=True, date_range="past"),
            f("print_purpose", "打印用途", "Purpose", "choice", choices="purpose"),
        ],
        "rules": [{"kind": "not_before", "field": "period_end", "other": "period_start"}],
    },
    "社会保障卡申领": {
        "blocks": [A, C, D, E], "library": ["ssc_number", "photo"],
        "fields": [
            f("application_type", "申领类型", "Application type", "choice", req=True,
              choices="first:首次申领:First card|replace:补领:Replacement|renew:换领:Renewal"),
            f("bank_branch", "银行网点", "Bank branch", "choice", req=True, choices="bank"),
        ],
    },
    "城乡居民基本医疗保险参保登记": {
        "blocks": [A, C, G, E], "library": ["hukou_address", "residence_permit", "medins"],
        "fields": [
            f("insured_category", "参保人类别", "Category", "choice", req=True,
              choices="newborn:新生儿:Newborn|student:学生儿童:Student or child|"
              "adult:成年居民:Adult resident|elderly:老年居民:Elderly resident"),
            f("newborn_cert_number", "新生儿出生医学证明编号", "Newborn's birth certificate number",
              "text", pattern="[A-Z]\\d{9}"),
            f("contribution_year", "缴费年度", "Contribution year", "number", req=True,
              integer=True, min=2020, max=2100),
        ],
        "rules": [{"kind": "required_if", "field": "newborn_cert_number",
                   "other": "insured_category", "value": "newborn"}],
    },
    "异地就医备案（临时外出就医/转诊）": {
        "blocks": [A, C, E], "library": ["medins"],
        "fields": [
            f("filing_type", "备案类型", "Filing type", "choice", req=True,
              choices="long_stay:异地长期居住:Long-term stay|resettled:异地安置退休:Retired "
              "elsewhere|temporary:临时外出就医:Temporary|referral:转诊转院:Referral"),
            f("care_place", "就医省市", "Province and city of care", "text", req=True,
              max_length=40),
            f("start_date", "开始日期", "Start date", "date", req=True),
            f("end_date", "结束日期", "End date", "date"),
            f("referral_hospital", "转诊医院", "Referral hospital", "text", max_length=80),
            f("referral_letter", "转诊证明", "Referral letter", "file"),
        ],
        "rules": [{"kind": "after", "field": "end_date", "other": "start_date"},
                  {"kind": "required_if", "field": "referral_hospital", "other": "filing_type",
                   "value": "referral"},
                  {"kind": "required_if", "field": "referral_letter", "other": "filing_type",
                   "value": "referral"}],
    },
    "零星医疗费用手工报销（住院/门诊）": {
        "blocks": [A, C, B, E], "library": ["medins"],
        "fields": [
            f("care_type", "就医类型", "Type of care", "choice", req=True,
              choices="outpatient:门诊:Outpatient|inpatient:住院:Inpatient"),
            f("hospital", "医院", "Hospital", "text", req=True, max_length=80),
            f("admission_date", "就诊（入院）日期", "Date of visit or admission", "date", req=True,
              date_range="past"),
            f("discharge_date", "出院日期", "Discharge date", "date", date_range="past"),
            f("invoice_number", "发票号码", "Invoice number", "text", req=True,
              pattern="[0-9A-Za-z]{8,20}"),
            f("invoice_amount", "发票金额（元）", "Invoice amount (CNY)", "amount", req=True,
              min="0.01"),
            f("invoice_scan", "医疗费用发票", "Medical invoices", "file", req=True),
            f("itemised_bill", "费用清单", "Itemised bill", "file", req=True),
            f("discharge_summary", "出院小结", "Discharge summary", "file"),
        ],
        "rules": [{"kind": "not_before", "field": "discharge_date", "other": "admission_date"},
                  {"kind": "required_if", "field": "discharge_summary", "other": "care_type",
                   "value": "inpatient"}],
    },
    "老年人优待证办理（60周岁以上）": {
        "blocks": [A, C, D, E], "library": ["hukou_address", "residence_permit", "photo"],
        "fields": [
            f("card_form", "领取形式", "Certificate form", "choice", req=True,
              choices="electronic:电子优待证:Electronic|physical:实体卡:Physical card"),
        ],
    },
    "高龄津贴申领": {
        "blocks": [A, C, B, E], "library": ["hukou_address"],
        "fields": [
            f("age_band", "年龄段", "Age band", "choice", req=True,
              choices="80:80-89周岁:80-89|90:90-99周岁:90-99|100:100周岁以上:100 and over"),
            f("already_receiving", "已在他处享受高龄津贴", "Already receiving it elsewhere",
              "yes_no", req=True),
        ],
    },
    "最低生活保障申请（低保）": {
        "blocks": [A, C, B, E],
        "library": ["household_size", "marital", "assistance_status", "property_address",
                    "disability_grade"],
        "fields": [
            f("application_kind", "申请类型", "Application", "choice", req=True,
              choices="new:新申请:New|review:复核:Review"),
            f("members_working", "有劳动能力的家庭成员数", "Household members able to work",
              "number", req=True, integer=True, min=0, max=30),
            f("monthly_income", "家庭月总收入（元）", "Household income a month (CNY)", "amount",
              req=True),
            f("savings", "存款及有价证券（元）", "Savings and securities (CNY)", "amount",
              req=True),
            f("vehicles", "家庭机动车数", "Household vehicles", "number", req=True, integer=True,
              min=0, max=20),
            f("reason", "申请理由", "Reason for applying", "text", req=True, min_length=10,
              max_length=500),
            f("household_authorisations", "全体成年成员签署的核对授权书",
              "Checks authorised by every adult member", "file", req=True),
        ],
    },
    "临时救助申请": {
        "blocks": [A, C, B, E], "library": ["assistance_status", "medins"],
        "fields": [
            f("hardship_type", "困难类型", "Type of hardship", "choice", req=True,
              choices="emergency:急难型:Emergency|expense:支出型:Large expense"),
            f("description", "事由描述", "What happened", "text", req=True, min_length=10,
              max_length=500),
            f("expense_amount", "支出金额（元）", "Expense (CNY)", "amount"),
            f("expense_receipts", "支出票据", "Receipts", "file"),
            f("other_aid", "已获其他救助", "Other aid already received", "yes_no", req=True),
        ],
        "rules": [{"kind": "required_if", "field": "expense_amount", "other": "hardship_type",
                   "value": "expense"},
                  {"kind": "required_if", "field": "expense_receipts", "other": "hardship_type",
                   "value": "expense"}],
    },
    "特困人员救助供养申请": {
        "blocks": [A, C, G, B, E], "library": ["disability_grade", "household_size"],
        "fields": [
            f("tekun_category", "特困类别", "Category", "choice", req=True,
              choices="elderly:老年人:Elderly|disabled:残疾人:Disabled|minor:未成年人:Minor"),
            f("work_ability", "劳动能力", "Ability to work", "choice", req=True,
              choices="none:完全丧失:None|partial:部分丧失:Partial|full:有劳动能力:Able"),
            f("supporters", "法定赡养、抚养、扶养人情况", "Legally obliged supporters", "text",
              req=True, max_length=500),
            f("care_arrangement", "供养方式", "Care arrangement", "choice", req=True,
              choices="dispersed:分散供养:At home|centralised:集中供养:In an institution"),
        ],
    },
    "残疾人证新办（残疾评定）": {
        "blocks": [A, C, G], "library": ["photo"],
        "fields": [
            f("disability_category", "残疾类别", "Disability category", "choice", req=True,
              choices="visual:视力:Visual|hearing:听力:Hearing|speech:言语:Speech|"
              "limb:肢体:Physical|intellectual:智力:Intellectual|mental:精神:Mental|"
              "multiple:多重:Multiple"),
            f("assessment_hospital", "评定医院", "Assessment hospital", "choice", req=True,
              choices="district_1:区第一人民医院:District No. 1 People's Hospital|"
              "district_tcm:区中医院:District TCM Hospital|mental_centre:区精神卫生中心:"
              "District Mental Health Centre"),
            f("preferred_date", "预约评定日期", "Preferred assessment date", "date",
              date_range="future"),
        ],
        "rules": [{"kind": "required_if", "field": "agent_name", "other": "disability_category",
                   "value": "intellectual"},
                  {"kind": "required_if", "field": "agent_name", "other": "disability_category",
                   "value": "mental"}],
    },
    "困难残疾人生活补贴申请": {
        "blocks": [A, C, B, E],
        "library": ["disability_type", "disability_grade", "assistance_status"],
        "fields": [
            f("disability_cert_number", "残疾人证号", "Disability certificate number", "text",
              req=True, pattern="\\d{17}[\\dX]\\d{2}",
              pattern_message={"zh": "为身份证号加类别、等级各1位",
                               "en": "the ID number plus one category and one grade digit"}),
        ],
    },
    "重度残疾人护理补贴申请": {
        "blocks": [A, C, B, E], "library": ["disability_type", "disability_grade"],
        "fields": [
            f("disability_cert_number", "残疾人证号", "Disability certificate number", "text",
              req=True, pattern="\\d{17}[\\dX]\\d{2}"),
            f("care_mode", "护理方式", "Care arrangement", "choice", req=True,
              choices="home:居家护理:Care at home|institution:机构护理:Care in an institution"),
        ],
    },
    "出生登记（新生儿申报户口）": {
        "blocks": [A, C, G, E], "library": ["marital", "spouse_name", "spouse_id_number",
                                            "birth_cert_number", "hukou_address"],
        "fields": [
            f("newborn_name", "新生儿姓名", "Newborn's name", "text", req=True, max_length=30,
              help=("可先进行重名查询", "Check for duplicate names first")),
            f("newborn_gender", "新生儿性别", "Newborn's gender", "choice", req=True,
              choices="gender"),
            f("newborn_birth_date", "出生日期", "Date of birth", "date", req=True,
              date_range="past"),
            f("birth_place", "出生地", "Place of birth", "text", req=True, max_length=60),
            f("newborn_nation", "民族", "Ethnic group", "choice", req=True, choices="nation",
              help=("随父或随母民族", "The father's or the mother's")),
            f("register_with", "随父/随母落户", "Register with", "choice", req=True,
              choices="father:随父:Father|mother:随母:Mother"),
            f("declarant_relation", "申报人与新生儿关系", "Declarant's relation", "choice",
              req=True, choices="parent:父母:Parent|guardian:监护人:Guardian|"
              "relative:其他亲属:Other relative"),
        ],
    },
    "居住证申领": {
        "blocks": [A, C, D, E], "library": ["employer", "property_address", "photo"],
        "fields": [
            f("residence_address", "居住地址", "Address where you live", "address", req=True,
              prefill="shared:address_current", max_length=120),
            f("residence_since", "居住起始日期", "Living there since", "date", req=True,
              date_range="past"),
            f("residence_basis", "居住条件", "Basis", "choice", req=True,
              choices="work:合法稳定就业:Stable job|home:合法稳定住所:Stable home|"
              "study:连续就读:Studying"),
            f("lease", "租赁合同（无房产时）", "Lease (if you own no home there)", "file"),
        ],
    },
    "户籍证明开具（户籍信息、注销户口证明等）": {
        "blocks": [A],
        "fields": [
            f("certificate_type", "证明类型", "Certificate", "choice", req=True,
              choices="record:户籍信息证明:Hukou record|cancellation:注销户口证明:Cancellation|"
              "change:变更更正证明:Change or correction|kinship:亲属关系证明:Kinship"),
            f("print_purpose", "用途", "Purpose", "choice", req=True, choices="purpose"),
            f("subject", "证明对象", "About", "choice", req=True,
              choices="self:本人:Myself|member:家庭户成员:A household member"),
        ],
    },
    "无犯罪记录证明开具": {
        "blocks": [A, C, D, E],
        "fields": [
            f("use", "用途", "Purpose", "choice", req=True,
              choices="employment:就业:Employment|abroad:出国（境）:Going abroad|"
              "study:入学:Study|licence:资格认定:Licensing|other:其他:Other"),
            f("period_start", "查询期间起", "Period from", "date", req=True, date_range="past"),
            f("period_end", "查询期间止", "Period to", "date", req=True),
            f("receiving_body", "接收单位", "Receiving organisation", "text", req=True,
              max_length=100),
        ],
        "rules": [{"kind": "after", "field": "period_end", "other": "period_start"}],
    },
    "结婚登记预约": {
        "blocks": [A, C, E], "library": ["marital"],
        "fields": [
            f("partner_name", "对方姓名", "Partner's name", "text", req=True, max_length=60),
            f("partner_id_number", "对方身份证号", "Partner's ID number", "id_number", req=True),
            f("registry", "登记机关", "Registry", "choice", req=True,
              choices="district:区婚姻登记处:District marriage registry|"
              "township:街道便民服务中心:Sub-district service centre"),
            f("appointment_date", "预约日期", "Appointment date", "date", req=True,
              date_range="future"),
            f("appointment_slot", "预约时段", "Time slot", "choice", req=True,
              choices="am:上午:Morning|pm:下午:Afternoon"),
        ],
    },
    "生育登记服务": {
        "blocks": [A, C, E], "library": ["marital", "spouse_name", "spouse_id_number",
                                         "children"],
        "fields": [
            f("due_date", "预产期", "Due date", "date", req=True),
            f("prenatal_clinic", "孕检机构", "Prenatal clinic", "text", req=True,
              max_length=80),
        ],
    },
    "购买自住住房提取住房公积金": _withdraw(
        "purchase", "购买自住住房", "Home purchase",
        [f("purchase_contract", "购房合同或发票", "Purchase contract or invoice", "file")],
        ["property_address"]),
    "偿还住房贷款本息提取住房公积金": _withdraw(
        "repay", "偿还住房贷款", "Loan repayment",
        [f("loan_contract_number", "贷款合同号", "Loan contract number", "text", req=True,
           max_length=30)], ["property_address"]),
    "租赁住房提取住房公积金": _withdraw(
        "rent", "租赁住房", "Rent",
        [f("lease", "租赁合同（超出定额时）", "Lease (above the flat amount)", "file"),
         f("monthly_rent", "月租金（元）", "Monthly rent (CNY)", "amount", req=True)], []),
    "退休提取住房公积金（销户）": _withdraw(
        "retirement", "退休", "Retirement",
        [f("retirement_date", "退休日期", "Retirement date", "date", req=True,
           date_range="past")], []),
    "与单位终止劳动关系/户口迁出提取住房公积金": _withdraw(
        "leaving", "离职或户口迁出", "Leaving employment or moving away",
        [f("leaving_date", "离职（迁出）日期", "Date of leaving or moving", "date", req=True,
           date_range="past")], []),
    "住房公积金个人住房贷款申请": {
        "blocks": [A, C, G], "library": ["marital", "spouse_name", "spouse_id_number",
                                         "hpf_account", "hpf_balance", "property_address"],
        "fields": [
            f("house_price", "房屋总价（元）", "House price (CNY)", "amount", req=True, min=1),
            f("loan_amount", "申请贷款金额（元）", "Loan amount (CNY)", "amount", req=True,
              min=10000),
            f("loan_years", "贷款期限（年）", "Term (years)", "number", req=True, integer=True,
              min=1, max=30),
            f("repayment_method", "还款方式", "Repayment method", "choice", req=True,
              choices="equal_instalment:等额本息:Equal instalments|equal_principal:等额本金:"
              "Equal principal"),
            f("security", "担保方式", "Security", "choice", req=True,
              choices="mortgage:抵押:Mortgage"),
        ],
    },
    "不动产登记信息查询（本人名下不动产/无房证明）": {
        "blocks": [A],
        "fields": [
            f("query_scope", "查询范围", "Whose property", "choice", req=True,
              choices="self:本人:Myself|with_spouse:本人及配偶:Me and my spouse|"
              "household:家庭成员:My household"),
            f("query_purpose", "查询目的", "Purpose", "choice", req=True, choices="purpose"),
            f("output_type", "输出", "Print", "choice", req=True,
              choices="ownership:权属证明:Property record|no_property:无房证明:No-property proof"),
        ],
    },
    "个人所得税纳税记录开具": {
        "blocks": [A],
        "fields": [
            f("period_start", "起始年月", "From", "date", req=True, date_range="past"),
            f("period_end", "截止年月", "To", "date", req=True, date_range="past"),
            f("tax_kind", "税种", "Tax", "choice", req=True,
              choices="iit:个人所得税:Individual income tax"),
        ],
        "rules": [{"kind": "not_before", "field": "period_end", "other": "period_start"}],
    },
    "个体工商户设立登记（小店、民宿、小餐饮等）": {
        "blocks": [A, C, E], "library": ["property_address"],
        "fields": [
            f("business_name", "个体工商户名称", "Business name", "text", req=True,
              min_length=2, max_length=50, help=("提交前将自动核名", "The name is checked "
                                                  "automatically")),
            f("organisation_form", "组成形式", "Form", "choice", req=True,
              choices="individual:个人经营:Individual|family:家庭经营:Family"),
            f("premises", "经营场所", "Premises", "address", req=True, max_length=120),
            f("premises_proof", "经营场所使用证明（租赁时）", "Right to use the premises (if "
              "leased)", "file"),
            f("business_scope", "经营范围", "Business scope", "choice", req=True, multiple=True,
              choices="retail:日用品零售:Retail|catering:餐饮服务:Catering|lodging:住宿服务（民宿）:"
              "Lodging (homestay)|repair:修理服务:Repairs|hairdressing:美容美发:Hair and beauty|"
              "agriculture:农产品销售:Farm produce"),
            f("employees", "从业人数", "Number of workers", "number", req=True, integer=True,
              min=1, max=500),
            f("capital", "资金数额（元）", "Capital (CNY)", "amount", req=True),
            f("tax_package", "同步办理税务信息确认", "Confirm tax registration at the same time",
              "yes_no"),
        ],
    },
    "小餐饮店、小食杂店登记/备案（浙江“三小一摊”）": {
        "blocks": [A, C, E], "library": ["biz_licence_number"],
        "fields": [
            f("format", "主体业态", "Type of business", "choice", req=True,
              choices="catering:小餐饮:Small eatery|grocery:小食杂店:Small grocery"),
            f("food_items", "经营项目", "Food sold", "choice", req=True, multiple=True,
              choices="hot:热食类:Hot food|cold:冷食类:Cold food|prepackaged:预包装食品:"
              "Pre-packaged food|bulk:散装食品:Bulk food"),
            f("floor_area", "场所面积（平方米）", "Floor area (m²)", "number", req=True,
              min=1, max=200),
            f("layout_plan", "经营场所平面图及设备布局", "Floor plan and equipment layout",
              "file", req=True),
            f("staff_health_certs", "从业人员健康证明", "Staff health certificates", "file",
              req=True),
        ],
    },
    "旅馆业（民宿）特种行业许可证核发": {
        "blocks": [A, C, G], "library": ["property_address", "biz_licence_number"],
        "fields": [
            f("rooms", "客房数", "Rooms", "number", req=True, integer=True, min=1, max=200),
            f("beds", "床位数", "Beds", "number", req=True, integer=True, min=1, max=500),
            f("security_manager", "治安负责人", "Person responsible for security", "text",
              req=True, prefill="card:name", max_length=60),
            f("fire_safety", "消防安全情况", "Fire-safety situation", "file", req=True),
            f("guest_registration", "已安装监控和住宿登记系统",
              "CCTV and guest registration system installed", "yes_no", req=True),
        ],
    },
    "小学一年级新生入学报名": {
        "blocks": [A, C, G, E],
        "library": ["hukou_address", "property_address", "vaccination_complete"],
        "fields": [
            f("child_name", "儿童姓名", "Child's name", "text", req=True, max_length=30),
            f("child_id_number", "儿童身份证号", "Child's ID number", "id_number", req=True),
            f("housing_basis", "住房情况", "Housing", "choice", req=True,
              choices="owned:自有住房:Owned home|rented:租赁住房:Rented home"),
            f("lease", "租赁合同（租房时）", "Lease (if rented)", "file"),
            f("school_choice", "志愿学校", "Preferred school", "choice", req=True,
              choices="liangzhu:良渚第一小学:Liangzhu No. 1 Primary|donghu:东湖小学:Donghu "
              "Primary|xunshan:荀山小学:Xunshan Primary"),
        ],
        "rules": [{"kind": "required_if", "field": "lease", "other": "housing_basis",
                   "value": "rented"}],
    },
    "失业保险金申领": {
        "blocks": [A, C, B, E], "library": ["employment", "employer", "pension_years"],
        "fields": [
            f("leaving_date", "离职日期", "Date of leaving", "date", req=True,
              date_range="past"),
            f("leaving_reason", "离职原因", "Reason for leaving", "choice", req=True,
              choices="dismissed:被用人单位解除:Dismissed by the employer|"
              "contract_end:劳动合同期满终止:Contract ended|"
              "bankruptcy:单位破产或关闭:Employer closed|resigned:本人辞职:Resigned",
              help=("非本人意愿中断就业的才可领取", "Only involuntary loss of work qualifies")),
            f("contribution_months", "失业保险缴费月数", "Months of contributions", "number",
              req=True, integer=True, min=0, max=600, prefill="shared:unemployment_contrib_months"),
            f("seeking_work", "有求职意愿", "Seeking work", "yes_no", req=True,
              must_accept=True),
        ],
    },
}
