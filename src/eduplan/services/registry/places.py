"""Where a place sits in the 省 → 市 → 县区 tree, as far as eduplan knows it.

The table is deliberately partial: every province-level division, and the prefecture-level cities
of the provinces whose plans eduplan has met so far.  A place not in it becomes a top-level
organisation (its parent can be given explicitly as a path, ``江苏省/常州市/天宁区``).  A county
written with its city (常州市天宁区) is split at the city.
"""

from __future__ import annotations

import re

PROVINCES: tuple[str, ...] = (
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
)

CITIES: dict[str, tuple[str, ...]] = {
    "辽宁省": (
        "沈阳市",
        "大连市",
        "鞍山市",
        "抚顺市",
        "本溪市",
        "丹东市",
        "锦州市",
        "营口市",
        "阜新市",
        "辽阳市",
        "盘锦市",
        "铁岭市",
        "朝阳市",
        "葫芦岛市",
    ),
    "吉林省": (
        "长春市",
        "吉林市",
        "四平市",
        "辽源市",
        "通化市",
        "白山市",
        "松原市",
        "白城市",
        "延边朝鲜族自治州",
    ),
    "黑龙江省": (
        "哈尔滨市",
        "齐齐哈尔市",
        "鸡西市",
        "鹤岗市",
        "双鸭山市",
        "大庆市",
        "伊春市",
        "佳木斯市",
        "七台河市",
        "牡丹江市",
        "黑河市",
        "绥化市",
        "大兴安岭地区",
    ),
    "江苏省": (
        "南京市",
        "无锡市",
        "徐州市",
        "常州市",
        "苏州市",
        "南通市",
        "连云港市",
        "淮安市",
        "盐城市",
        "扬州市",
        "镇江市",
        "泰州市",
        "宿迁市",
    ),
    "浙江省": (
        "杭州市",
        "宁波市",
        "温州市",
        "嘉兴市",
        "湖州市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
        "台州市",
        "丽水市",
    ),
}

_PARENT = {city: province for province, cities in CITIES.items() for city in cities}
_CITY_PREFIX = re.compile(r"^(.{1,8}?(?:市|州|盟|地区))(.+(?:区|县|旗|市))$")
_PROVINCE_SUFFIX = ("省", "自治区")
_CITY_SUFFIX = ("市", "州", "盟", "地区")
_COUNTY_SUFFIX = ("区", "县", "旗")
_SCHOOL_SUFFIX = ("学校", "中学", "小学", "幼儿园", "学院", "大学")


def level_of(name: str, depth: int) -> str:
    """The level of an organisation named `name` at `depth` (0 = top) of its path."""
    if name in PROVINCES or name.endswith(_PROVINCE_SUFFIX):
        return "province"
    if name.endswith(_SCHOOL_SUFFIX):
        return "school"
    if name.endswith(_COUNTY_SUFFIX) or (name.endswith("市") and depth >= 2):
        return "county"
    if name.endswith(_CITY_SUFFIX):
        return "city"
    return "other"


def place_path(place: str) -> list[str]:
    """The path of names from the top of the tree down to `place`, as far as it is known.

    ``江苏省/常州市/天宁区`` is taken as given; 常州市 → [江苏省, 常州市]; 常州市天宁区 →
    [江苏省, 常州市, 天宁区]; an unknown 示例市 → [示例市].
    """
    parts = [p.strip() for p in re.split(r"[/／]", place) if p.strip()]
    if len(parts) > 1:
        return parts
    name = parts[0] if parts else place.strip()
    if name in PROVINCES:
        return [name]
    if name in _PARENT:
        return [_PARENT[name], name]
    m = _CITY_PREFIX.match(name)
    if m and m.group(1) in _PARENT:
        return [_PARENT[m.group(1)], m.group(1), m.group(2)]
    return [name]
