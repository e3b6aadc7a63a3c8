"""Targets side by side: the quantitative targets of many plans grouped by what they measure.

One city writes 普惠性幼儿园覆盖率达到80%, another 普惠性资源覆盖率90%: both are the same indicator
(`KINDS` names the common indicators of the genre, by the words that identify them), so they land
in one `TargetGroup`, each value also given in its base unit (万元 → 元, 万名 → 名; see
`eduplan.compare.units`).  A target no kind recognises is grouped with others of the same
normalised subject and dimension.  A family of targets (学位供给, 教育经费, 教师 …: `Kind.indicator`
False) is split by what is measured — the head of the subject, its last two characters, since a
Chinese compound puts the thing counted last (新增**学位**, 新建**学校**, 重点建设**项目**) — and by
dimension (所 apart from 万元), so 新增学位 never stands beside 新建学校 or a 沙龙 beside 技能导师.
Targets are read from tasks (量化目标) and from the last year of
indicator tables (指标表), where five-year plans keep their commitments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from eduplan.compare.units import dimension, to_base
from eduplan.domain import Plan, Target


@dataclass(frozen=True)
class Kind:
    """A common indicator: an id, its name, and the pattern that recognises it in a subject."""

    id: str
    name: str
    pattern: re.Pattern[str]
    indicator: bool  # one measurable indicator (毛入园率), not a family of targets (教育经费与投入)


def _kind(id: str, name: str, pattern: str, indicator: bool = True) -> Kind:
    return Kind(id, name, re.compile(pattern), indicator)


KINDS: tuple[Kind, ...] = (
    _kind("preschool_enrolment", "学前教育毛入园率", r"毛入园率"),
    _kind("preschool_inclusive", "普惠性幼儿园覆盖率", r"普惠.{0,8}(?:覆盖率|占比|比例)|普惠率"),
    _kind("preschool_public", "公办园在园幼儿占比", r"公办.{0,6}(?:在园幼儿|幼儿园).{0,6}(?:占比|比例)"),
    _kind("compulsory_retention", "九年义务教育巩固率", r"巩固率"),
    _kind("highschool_enrolment", "高中阶段毛入学率", r"高中阶段.{0,4}毛入学率|高中.{0,2}毛入学率"),
    _kind("higher_enrolment", "高等教育毛入学率", r"高等教育.{0,4}毛入学率"),
    _kind("special_enrolment", "残疾儿童少年入学率", r"(?:残疾|特殊教育).{0,12}入学率"),
    _kind("net_enrolment", "义务教育净入学率", r"净入学率"),
    _kind("schooling_years", "平均受教育年限", r"受教育年限"),
    _kind("fitness", "学生体质健康达标率", r"体质健康|体测"),
    _kind("myopia", "近视率", r"近视"),
    _kind("class_size", "大班额", r"大班额"),
    _kind("after_school", "课后服务覆盖率", r"课后服务"),
    _kind(
        "places",
        "学位供给（新增学位、新建学校）",
        r"学位|(?:新建|改扩建|扩建).{0,6}(?:学校|幼儿园|校舍)",
        indicator=False,
    ),
    _kind("students_aid", "学生资助", r"资助|助学", indicator=False),
    _kind("funding", "教育经费与投入", r"经费|投入|投资|资金", indicator=False),
    _kind(
        "teacher_training",
        "教师培训",
        r"(?:教师|校长|骨干).{0,8}培训|培训.{0,6}(?:教师|校长)",
        indicator=False,
    ),
    _kind("dual_teachers", "双师型教师比例", r"双师型"),
    _kind("teachers", "教师数量与结构", r"教师|师资|特岗|公费师范生", indicator=False),
    _kind("mandarin", "普通话普及率", r"普通话"),
    _kind("digital", "信息化与智慧校园", r"智慧校园|数字校园|信息化|网络|宽带|多媒体", indicator=False),
    _kind("practice", "研学与劳动实践", r"研学|劳动|实践基地", indicator=False),
    _kind(
        "vocational_students",
        "职业教育规模",
        r"中职|中等职业|高职|职业院校|职业学校|技能人才",
        indicator=False,
    ),
)

_LEAD = re.compile(r"^(?:全市|全区|全县|全省|全州|我市|本市|各县区|各县（市）区|各地|力争|确保|累计|共)+")
_TAIL = re.compile(r"(?:达到|达|保持在|保持|提高到|提高至|提升到|提升至|不低于|不少于|以上|左右)+$")


def normalise_subject(subject: str) -> str:
    """A subject without spaces, quotes and the framing words around it (全市…达到)."""
    s = unicodedata.normalize("NFKC", subject)
    s = re.sub(r"[\s“”\"'《》]", "", s)
    return _TAIL.sub("", _LEAD.sub("", s))


def kind_of(subject: str) -> Kind | None:
    """The common indicator a subject names, if any (the first of `KINDS` that matches)."""
    s = normalise_subject(subject)
    return next((k for k in KINDS if k.pattern.search(s)), None)


def measured(subject: str) -> str:
    """The thing a subject measures: the last two characters of its normalised form (the head of a
    Chinese compound noun), before any 率/比例/占比 of a share (普惠性幼儿园覆盖率 → 覆盖率)."""
    s = re.sub(r"[（(][^）)]*[）)]$", "", normalise_subject(subject))
    return s[-3:] if s.endswith(_THREE) else s[-2:]


_THREE = (
    "幼儿园",
    "实验室",
    "图书馆",
    "体育馆",
    "运动场",
    "覆盖率",
    "入学率",
    "入园率",
    "达标率",
    "普及率",
    "巩固率",
    "优良率",
)
"""Heads of three characters that the genre writes often (the rest are two: 学位, 学校, 基地, 项目)."""


@dataclass(frozen=True)
class SideTarget:
    """One target of one plan, as written and in its base unit."""

    plan: str
    source: str  # "三.7 加强劳动教育" for a task, the indicator table's title for a table row
    subject: str
    text: str
    comparator: str
    value: float
    unit: str
    base_value: float
    base_unit: str
    year: str | None = None  # the table column a table value comes from
    value_max: float | None = None  # the upper end of a "between" target


@dataclass(frozen=True)
class TargetGroup:
    """Targets of the same kind from several plans."""

    kind: str
    name: str
    targets: tuple[SideTarget, ...]

    @property
    def plans(self) -> tuple[str, ...]:
        """The plans with a target in this group, in the order first met."""
        return tuple(dict.fromkeys(t.plan for t in self.targets))


def _side(plan: str, source: str, t: Target) -> SideTarget:
    value, unit = to_base(t.value, t.unit)
    return SideTarget(
        plan, source, t.subject, t.text, t.comparator, t.value, t.unit, value, unit, value_max=t.value_max
    )


def plan_targets(plan_id: str, plan: Plan) -> list[SideTarget]:
    """The targets of one plan: its tasks' targets, then the last-year values of its indicator tables."""
    found = [
        _side(plan_id, f"{ch.number}.{task.number} {task.title}", t)
        for ch, task in plan.tasks()
        for t in task.targets
    ]
    for table in plan.indicator_tables:
        for row in table.rows:
            years = sorted((y for y, v in row.values.items() if v is not None), key=str)
            if not years:
                continue
            year = years[-1]
            value = float(row.values[year] or 0.0)
            base, unit = to_base(value, row.unit)
            subject = f"{row.group or ''}{row.label}".replace(" ", "")
            found.append(
                SideTarget(
                    plan_id, table.title, subject, row.label, "=", value, row.unit or "", base, unit, year
                )
            )
    return found


def side_by_side(plans: Mapping[str, Plan], *, min_plans: int = 1) -> list[TargetGroup]:
    """Targets of all plans grouped by kind; groups met in more plans first.

    Targets no kind recognises group by normalised subject and dimension (学校 所 with 学校 所).
    `min_plans=2` keeps only what can actually be compared across plans.
    """
    groups: dict[tuple[str, str], list[SideTarget]] = {}
    names: dict[tuple[str, str], str] = {}
    for plan_id, plan in plans.items():
        for t in plan_targets(plan_id, plan):
            kind = kind_of(t.subject)
            if kind is None:
                key = ("subject:" + normalise_subject(t.subject), dimension(t.unit))
            elif kind.indicator:
                key = (kind.id, "")
            else:  # a family of targets: by the thing measured and its dimension
                key = (kind.id, f"{measured(t.subject)}/{dimension(t.unit)}")
            groups.setdefault(key, []).append(t)
            if kind is None:
                names.setdefault(key, normalise_subject(t.subject))
            elif kind.indicator:
                names.setdefault(key, kind.name)
            else:
                names.setdefault(key, f"{kind.name}：{measured(t.subject)}（{dimension(t.unit) or '数量'}）")
    result = [
        TargetGroup(key[0] + (f"/{key[1]}" if key[1] else ""), names[key], tuple(ts))
        for key, ts in groups.items()
        if len({t.plan for t in ts}) >= min_plans
    ]
    return sorted(result, key=lambda g: (-len(g.plans), -len(g.targets), g.name))
