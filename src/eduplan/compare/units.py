"""Units of quantitative targets normalised, so that 1.5亿元 and 15000万元 compare as equal.

`base_unit("万元")` is ("元", 10000): the base unit and the factor to it.  Money goes to 元, people
to 名 (人/名/位, and 万名/万人), areas to 平方米, percentages to %; counted things keep their
measure word (所, 个, 项 …) with any 万/千/亿 prefix taken off.  `dimension` says what a base
unit measures, which decides whether two targets can be put side by side at all.
"""

from __future__ import annotations

import unicodedata

_PREFIXES = (("万亿", 1e12), ("千万", 1e7), ("百万", 1e6), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
_ALIASES = {
    "％": "%",
    "百分点": "个百分点",
    "人": "名",
    "位": "名",
    "元人民币": "元",
    "平米": "平方米",
    "㎡": "平方米",
    "m2": "平方米",
}
_DIMENSIONS = {
    "%": "比例",
    "个百分点": "比例变化",
    "元": "金额",
    "名": "人数",
    "人次": "人次",
    "平方米": "面积",
    "亩": "面积",
    "年": "年限",
    "倍": "倍数",
    "小时": "时长",
    "学时": "时长",
    "课时": "时长",
}


def base_unit(unit: str | None) -> tuple[str, float]:
    """The base unit of a unit as written and the factor from one to the other."""
    u = unicodedata.normalize("NFKC", unit or "").strip()
    u = _ALIASES.get(u, u)
    if u in _DIMENSIONS or not u:
        return u, 1.0
    for prefix, factor in _PREFIXES:
        if u.startswith(prefix) and len(u) > len(prefix):
            rest, _ = base_unit(u[len(prefix) :])
            return rest, factor
    return u, 1.0


def to_base(value: float, unit: str | None) -> tuple[float, str]:
    """A value in its base unit: (1.5, "亿元") → (150000000.0, "元")."""
    base, factor = base_unit(unit)
    return value * factor, base


def dimension(unit: str | None) -> str:
    """What a unit measures (金额, 人数, 比例 …); a measure word (所, 个) is its own dimension."""
    base, _ = base_unit(unit)
    return _DIMENSIONS.get(base, base or "数量")
