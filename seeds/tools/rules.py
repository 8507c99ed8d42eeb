"""Eligibility rules of reference §4, attached to CSV items by name (used by build_catalog.py)."""

# ruff: noqa: E501  (tables of Chinese and English text read better on one line)

from __future__ import annotations

# CSV item name -> (reference rule id, expression, reason zh, reason en)
RULES: dict[str, tuple[str, str, str, str]] = {
    "老年人优待证办理（60周岁以上）": (
        "R1", "age >= 60 and not elderly_cert",
        "年满60周岁，尚未办理老年人优待证", "Aged 60 or over without a senior certificate"),
    "高龄津贴申领": (
        "R2", "age >= 80 and card_type == 'resident'",
        "年满80周岁的户籍老人可领取高龄津贴", "Residents aged 80 or over receive the high-age allowance"),
    "城乡居民基本养老保险待遇申领": (
        "R3", "age >= 60 and pension == 'resident_enrolled' and pension_years >= 15",
        "年满60周岁、居民养老保险缴费满15年，可申领待遇",
        "Aged 60+ with 15 years in the resident pension scheme: the pension can be claimed"),
    "城乡居民基本养老保险参保登记": (
        "R4", "age >= 16 and age < 60 and pension == 'none' and employment != 'student'",
        "年满16周岁、未参加养老保险的非在校居民可参保",
        "Aged 16+, not a student and not in any pension scheme: can enrol"),
    "企业职工基本养老保险正常退休申请": (
        "R5", "pension == 'employee' and ((gender == 'male' and age >= 60) or "
              "(gender == 'female' and age >= 50))",
        "已到或接近法定退休年龄（2025年起逐步延迟）", "At or near the statutory retirement age "
        "(rising gradually from 2025)"),
    "65周岁以上老年人免费健康体检预约": (
        "R6", "age >= 65", "65周岁以上老年人每年可免费体检一次",
        "A free health check every year from 65"),
    "家庭医生签约服务": (
        "R6", "age >= 65 or disability_grade >= 1",
        "老年人和残疾人是家庭医生签约的重点人群",
        "Elderly and disabled people are priority groups for a family doctor"),
    "70周岁以上驾驶人年度身体条件证明提交": (
        "R7", "age >= 70 and driving_licence",
        "70周岁以上驾驶人每年须提交身体条件证明",
        "Drivers aged 70+ must submit a medical report every year"),
    "居民身份证到期换领": (
        "R8", "card_type == 'resident' and id_valid_days <= 90",
        "身份证有效期将在90天内届满（或已过期）", "The ID card expires within 90 days (or has)"),
    "兵役登记（年满18周岁男性公民）": (
        "R9", "gender == 'male' and age_at_year_end == 18 and card_type == 'resident'",
        "本年内年满18周岁的男性公民应进行兵役登记",
        "Men turning 18 this year must register for military service"),
    "出生登记（新生儿申报户口）": (
        "R10", "youngest_child_age_months < 1",
        "新生儿应在出生后一个月内申报户口", "A newborn is registered within one month of birth"),
    "新生儿城乡居民医保参保登记": (
        "R10", "youngest_child_age_months < 3",
        "新生儿出生后90天内参保可自出生起享受医保",
        "Enrolled within 90 days, a newborn is covered from birth"),
    "育儿补贴申领（3周岁以下婴幼儿）": (
        "R10", "youngest_child_age_months < 36",
        "有3周岁以下婴幼儿的家庭可申领育儿补贴",
        "Families with a child under 3 can claim the childcare subsidy"),
    "小学一年级新生入学报名": (
        "R11", "youngest_child_age_months >= 66 and youngest_child_age_months < 84",
        "子女已到小学入学年龄（6周岁）", "A child has reached primary-school age (6)"),
    "死亡人员户口注销": (
        "R12", "recent_death_in_household",
        "家庭成员去世后一个月内应注销户口", "The hukou of a deceased member is cancelled within a month"),
    "参保人员死亡丧葬补助金、抚恤金申领": (
        "R12", "recent_death_in_household",
        "家庭成员去世，遗属可申领丧葬补助金和抚恤金",
        "After a death in the household, survivors can claim the funeral grant and pension"),
    "生育登记服务": (
        "R13", "marital == 'married' and children == 0 and age < 50",
        "新婚家庭可办理生育登记", "Newly married couples can register a birth plan"),
    "重度残疾人护理补贴申请": (
        "R14", "disability_grade in [1, 2]",
        "一、二级残疾人可申领重度残疾人护理补贴",
        "People with a grade 1 or 2 disability can claim the nursing subsidy"),
    "重度残疾人城乡居民养老保险代缴": (
        "R14", "disability_grade in [1, 2] and age >= 16 and age < 60",
        "重度残疾人由政府代缴城乡居民养老保险费",
        "The government pays resident pension contributions for severely disabled people"),
    "困难残疾人生活补贴申请": (
        "R15", "disability_grade >= 1 and assistance_status in ['dibao', 'dibian']",
        "低保、低边家庭中的残疾人可申领生活补贴",
        "Disabled people in dibao or near-dibao households can claim the living subsidy"),
    "最低生活保障申请（低保）": (
        "R17", "assistance_status == 'none' and property_count == 0 and "
               "(age >= 60 or disability_grade >= 1 or employment == 'unemployed')",
        "无房产且年老、残疾或失业，可能符合低保条件（需核对收入）",
        "No property and elderly, disabled or unemployed: may qualify for dibao (income check)"),
    "特困人员救助供养申请": (
        "R18", "(age >= 60 or disability_grade in [1, 2] or age < 16) and "
               "assistance_status in ['none', 'dibao'] and employment != 'employed' and "
               "property_count == 0",
        "老年、重度残疾或未成年且无收入来源，可能符合特困供养条件",
        "Elderly, severely disabled or a minor with no income: may qualify for extreme-poverty support"),
    "低保边缘家庭认定（低边）": (
        "R19", "assistance_status == 'none' and property_count <= 1 and "
               "(disability_grade >= 1 or age >= 70)",
        "收入略高于低保标准的家庭可申请低边认定",
        "Households just above the dibao line can apply for near-dibao status"),
    "农村部分计划生育家庭奖励扶助金申领": (
        "R21", "hukou_type == 'rural' and age >= 60 and children <= 1",
        "农村户籍、年满60周岁的独生子女父母可领取奖励扶助金",
        "Rural parents of one child aged 60+ receive the reward"),
    "养老保险待遇领取资格认证": (
        "R22", "pension in ['resident_receiving', 'employee_receiving']",
        "领取养老金人员每年须进行一次资格认证",
        "Pensioners confirm their eligibility once a year"),
    "退休提取住房公积金（销户）": (
        "R23", "employment == 'retired' and hpf_balance > 0",
        "已退休且公积金账户有余额，可销户提取",
        "Retired with a provident-fund balance: the account can be paid out"),
    "租赁住房提取住房公积金": (
        "R24", "property_count == 0 and hpf_balance > 0",
        "名下无房且有公积金余额，可提取支付房租",
        "No property and a provident-fund balance: can withdraw to pay rent"),
    "失业保险金申领": (
        "R26", "employment == 'unemployed_involuntary' and unemployment_contrib_months >= 12",
        "非自愿失业且失业保险缴费满1年，可领取失业保险金",
        "Involuntarily unemployed with a year of contributions: unemployment benefit"),
    "失业登记": (
        "R26", "employment in ['unemployed', 'unemployed_involuntary'] and age >= 16",
        "失业人员应办理失业登记以享受就业服务",
        "Unemployed people register to receive job services"),
    "居住证申领": (
        "R27", "lives_away_months >= 6 and card_type == 'resident'",
        "离开户籍地居住满半年，可申领居住证",
        "Living away from the hukou place for six months or more: residence permit"),
    "义务教育家庭经济困难学生生活补助": (
        "R28", "student in ['primary', 'middle_school'] and "
               "assistance_status in ['dibao', 'dibian', 'tekun', 'orphan']",
        "困难家庭的义务教育学生可获生活补助",
        "Compulsory-school pupils from needy families receive a living subsidy"),
    "普通高中国家助学金及免学费": (
        "R28", "student == 'high_school' and "
               "(assistance_status in ['dibao', 'dibian', 'tekun', 'orphan'] or "
               "disability_grade >= 1)",
        "困难家庭的高中学生可获助学金并免学费",
        "High-school students from needy families get a grant and free tuition"),
    "退役军人优待证申领": (
        "R30", "veteran and not elderly_cert",
        "退役军人可申领优待证", "Veterans can apply for the preferential-treatment card"),
    "老年人/残疾人公交优待卡办理": (
        "R31", "age >= 60 or disability_grade >= 1",
        "60周岁以上老人和残疾人可办理公交优待卡",
        "People aged 60+ and disabled people get a bus concession card"),
    "困难人员城乡居民医保个人缴费资助": (
        "R17", "assistance_status in ['dibao', 'dibian', 'tekun', 'orphan'] and "
               "medins != 'employee'",
        "低保、低边、特困人员的居民医保个人缴费由政府资助",
        "The government pays resident medical premiums for people on assistance"),
    "城乡居民基本医疗保险参保登记": (
        "R4", "medins == 'none'", "尚未参加基本医疗保险", "Not yet in any medical insurance"),
    "居家养老服务补贴申请": (
        "R32", "age >= 80 or (age >= 60 and care_level >= 2)",
        "高龄或失能老人可申请居家养老服务补贴",
        "Very old or dependent elders can claim the home-care subsidy"),
}
