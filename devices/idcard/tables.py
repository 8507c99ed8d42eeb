"""Code tables printed on the cards: gender (GB/T 2261.1) and nation (GB 3304).

Spellings follow the spec (id-cards.md 2.6 and 2.7); several published tables carry typos
(傈傈, 基洛, 乌兹别克, 克尔克孜, 德昴), which the tests guard against.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

GENDERS: Final = MappingProxyType({
    "0": ("未知的性别", "unknown"),
    "1": ("男", "male"),
    "2": ("女", "female"),
    "9": ("未说明的性别", "not stated"),
})

_NATION_NAMES: Final = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)

#: "01" → "汉" ... "56" → "基诺", plus the two codes shown verbatim.
NATIONS: Final = MappingProxyType({
    **{f"{i:02d}": name for i, name in enumerate(_NATION_NAMES, start=1)},
    "97": "其他",
    "98": "外国血统中国籍人士",
})


def gender_label(code: str, language: str = "zh") -> str:
    """男/女/... for a gender code; an unknown code is shown as it is."""
    names = GENDERS.get(code)
    if names is None:
        return code
    return names[0] if language == "zh" else names[1]


def nation_label(code: str | None) -> str | None:
    """汉族 for "01" (族 appended for 01–56), 97/98 verbatim, any other code raw."""
    if code is None:
        return None
    name = NATIONS.get(code)
    if name is None:
        return code
    return name + "族" if code not in {"97", "98"} else name
