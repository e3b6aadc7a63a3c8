"""Which figures of a five-year plan are its goals (目标) and which are not.

A 十四五 plan quotes numbers of three kinds in its narrative, read the same way by `targets`:

- **goals** for the plan period or each year of it (到2025年…达到95%, 新增学位…, 每年招聘150人) —
  these are the plan's targets;
- **results** of the past: a review section (发展基础, 发展成就, 现状), or a sentence marked as past
  (十三五期间, 累计, 已建成, 截至2020年, 比2015年提高…, 2020年达到…);
- **norms** that recur rather than being reached (每周4课时, 每天1节体育课, 帮助学生掌握1至2项
  运动技能): timetable and per-student quantities.

Years decide first: a year written before the figure in its sentence that lies before the plan
period marks a result, after it (到2035年) a long-range vision; a year inside the period marks a
goal whatever else the sentence says.  Pure functions, no I/O.
"""

from __future__ import annotations

import re

from eduplan.domain import Target

_PAST_SECTION = re.compile(
    r"^(?:(?:19|20)[0-9]{2}\s*年(?:度)?|[“\"]?十[一二三四五六七八九]五[”\"]?(?:时期|期间)?|我[市区县省]|全[市区县省])?"
    r"(?:的)?(?:教育)?(?:事业)?(?:改革)?(?:发展)?(?:的)?(?:"
    r"发展基础|发展成就|发展现状|现状|工作回顾|回顾与|年度?工作总结|主要成就|主要成绩|取得的成[绩就]|成绩与问题|"
    r"发展形势|面临的形势|形势与挑战|机遇与挑战|面临的挑战|发展环境|基础与形势|成就|回顾|形势)"
)
_AHEAD = re.compile(r"目标|任务|要求|举措|措施|思路|重点")
_PAST_MARK = re.compile(
    r"累计|已经|已[建完达实有基全初覆]|截至|截止|过去五年|五年来|以来|先后|高出全国|"
    r"比(?:19|20)[0-9]{2}\s*年(?:提高|增加|增长|下降|减少|降低|多)|共(?:建成|完成|投入|新建|培训|争取)"
)
_FIVE = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?(?:期间|以来|时期|末|中期)?")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_SENTENCE_END = "。；;！？\n"
_TIME_UNITS = ("课时", "学时", "节", "小时")
_MAKES = re.compile(r"开发|提供|建设|录制|新增|打造|遴选|上线|推出|征集")
_PER_STUDENT = re.compile(r"学生.{0,8}(?:掌握|学会|阅读|参加)")
_CN_DIGITS = "一二三四五六七八九"


def _plan_number(period: tuple[int, int] | None) -> int | None:
    """Which five-year plan a period is (2021–2025 → 14, 十四五); None when unknown."""
    if period is None or period[0] < 1966:
        return None
    return (period[0] - 1966) // 5 + 3


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, at) for c in _SENTENCE_END) + 1
    ends = [i for c in _SENTENCE_END if (i := text.find(c, at)) >= 0]
    return start, min(ends, default=len(text))


def is_goal(text: str, at: int, target: Target, period: tuple[int, int] | None) -> bool:
    """Whether the figure at `at` in `text` is a goal of a plan for `period` (see the module)."""
    start, end = _sentence(text, at)
    before = text[start:at]
    years = [int(y) for y in _YEAR.findall(before)]
    if years and period is not None:
        year = years[-1]
        if year < period[0]:
            return False  # 2020年达到…, 比2015年…: a result
        return year <= period[1]  # 到2035年…: beyond the plan period
    number = _plan_number(period)
    for five in _FIVE.finditer(text, start, at):
        own = _CN_DIGITS.index(five.group(1)) + 11
        if number is None or own < number:
            return False  # “十三五”期间…: the past plan's results
    if _PAST_MARK.search(before):
        return False
    clause = text[start:end]
    if target.unit in _TIME_UNITS and not _MAKES.search(clause):
        return False  # 每周4课时, 专题教育不少于16学时: a timetable norm
    return not _PER_STUDENT.search(before)  # 帮助学生掌握1至2项运动技能: each student's, a norm


def is_review(chapter_title: str, title: str) -> bool:
    """Whether an item looks back rather than ahead: its own title is a review (发展基础, 工作回顾,
    面临的形势), or its chapter's is and says nothing of goals (发展基础与面临形势)."""
    if _PAST_SECTION.search(title):
        return True
    if _AHEAD.search(title):
        return False
    return bool(_PAST_SECTION.search(chapter_title)) and not _AHEAD.search(chapter_title)


def split_goals(
    title: str,
    text: str,
    found: list[tuple[Target, int]],
    period: tuple[int, int] | None,
    chapter_title: str = "",
) -> tuple[list[Target], list[Target]]:
    """The goals and the other figures of one item of a five-year plan."""
    if is_review(chapter_title, title):
        return [], [t for t, _ in found]
    goals: list[Target] = []
    others: list[Target] = []
    for target, at in found:
        (goals if is_goal(text, at, target, period) else others).append(target)
    return goals, others
