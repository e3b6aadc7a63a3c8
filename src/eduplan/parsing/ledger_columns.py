"""The columns of a 台账 (tracking ledger): what each one holds.  Pure: no I/O.

A ledger is a task table (任务分工表: 序号, 任务, 主要内容, 责任单位, 完成时限 — `task_header`) with
more columns: the targets (量化目标), and progress — one 进展情况 column, or one per period
(1月进展, 2月份, 第一季度, 上半年 …) — sometimes with a percent (完成进度), a status (进展状态) or the
targets' actual values (目标完成情况).  Each column gets a role *code*: a task-table role
(``number``, ``category``, ``task``, ``measures``, ``lead``, ``support``, ``leader``, ``deadline``),
one of the ledger's (``target``, ``percent``, ``status``, ``actuals``, ``note``), ``ignore``, or a
progress column with its period: ``progress`` (one column, the ledger's date), ``progress:m3``
(March), ``progress:q1`` (the first quarter), ``progress:h1`` (the first half year).
`guess_roles` reads the header; a person may change any code in the import preview (`ROLE_LABELS`
lists the choices).  Limits: one progress column per period; a year written in a period header
(2024年3月) is ignored — periods are read in the plan's year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from eduplan.parsing.task_header import column_role

BASE_ROLES: dict[str, str] = {
    "ignore": "不导入",
    "number": "序号",
    "category": "类别（章）",
    "task": "任务",
    "measures": "主要内容",
    "lead": "责任/牵头单位",
    "support": "配合单位",
    "leader": "责任领导",
    "deadline": "完成时限",
    "target": "量化目标",
    "progress": "进展情况（一列）",
    "percent": "完成进度（%）",
    "status": "进展状态",
    "actuals": "目标完成情况（实际值）",
    "note": "备注",
}
CN_DIGITS = "一二三四五六七八九十"
PERIOD_LABELS: dict[str, str] = {
    **{f"progress:m{m}": f"{m}月进展" for m in range(1, 13)},
    **{f"progress:q{q}": f"第{CN_DIGITS[q - 1]}季度进展" for q in range(1, 5)},
    "progress:h1": "上半年进展",
    "progress:h2": "下半年进展",
}
ROLE_LABELS: dict[str, str] = {**BASE_ROLES, **PERIOD_LABELS}
"""Every role code a column may take, with its label in the preview's select (in this order)."""
TASK_ROLES = ("number", "category", "task", "measures", "lead", "support", "leader", "deadline")
"""The roles the task-table reader (`task_table`) reads; the others are the ledger's own."""

# the ledger's own header words, looked for before the task table's (目标完成情况 is not 目标任务)
LEDGER_WORDS: dict[str, tuple[str, ...]] = {
    "actuals": ("目标完成情况", "指标完成情况", "目标完成值", "实际完成值", "实际完成", "完成值", "完成数"),
    "target": ("量化目标", "量化指标", "目标值", "考核指标", "指标值", "年度目标", "目标任务值", "量化任务"),
    "percent": ("完成进度", "完成比例", "完成百分比", "完成率", "进度百分比", "完成进度%"),
    "status": ("进展状态", "完成状态", "推进状态", "状态", "是否完成", "完成状况"),
    "progress": (
        "进展情况",
        "工作进展",
        "推进情况",
        "落实情况",
        "完成情况",
        "进度情况",
        "目前进展",
        "当前进展",
        "最新进展",
        "工作推进情况",
        "工作完成情况",
        "进展",
        "推进落实情况",
        "工作落实情况",
    ),
    "ignore": ("灯号", "序时进度", "逾期", "预警", "红黄绿灯", "亮灯情况"),
    "category": ("章",),
}
_MONTH = re.compile(r"(?:^|[^0-9])(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?")
_QUARTER = re.compile(r"第?\s*([1-4一二三四])\s*季度")
_HALF = re.compile(r"([上下])半年")
_PROGRESS_HINT = re.compile(r"进展|进度|推进|落实|完成|情况|工作")
_JUNK = re.compile(r"[\s*＊:：/／、（）()%％]")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (CN_DIGITS.index(text[1]) + 1 if len(text) > 1 else 0)
    return CN_DIGITS.index(text) + 1


def period_code(header: str) -> str | None:
    """The progress period a header names: ``1月进展`` → ``progress:m1``, ``第一季度`` →
    ``progress:q1``, ``上半年`` → ``progress:h1``; None when it names none (or names a deadline)."""
    text = header.replace(" ", "")
    if not text or "时限" in text or "时间" in text or "底前" in text or len(text) > 16:
        return None
    rest = text
    code = None
    if m := _QUARTER.search(text):
        code, rest = f"progress:q{_cn_number(m.group(1))}", text.replace(m.group(0), "")
    elif m := _HALF.search(text):
        code, rest = f"progress:h{1 if m.group(1) == '上' else 2}", text.replace(m.group(0), "")
    elif m := _MONTH.search(text):
        code, rest = f"progress:m{_cn_number(m.group(1))}", text.replace(m.group(0), "", 1)
    if code is None:
        return None
    rest = re.sub(r"(?:19|20)[0-9]{2}年?", "", rest)
    # "3月" alone, or "3月进展情况": a period column; "3月完成值" is not progress text
    if re.search(r"值|数|目标|率|比例|%", rest):
        return None
    return code if not rest or _PROGRESS_HINT.search(rest) else None


def guess_role(header: str) -> str:
    """The role code of one column from its header text (``ignore`` when it says nothing known)."""
    period = period_code(header)
    if period is not None:
        return period
    text = _JUNK.sub("", header)
    best, best_len = None, 0
    for role, words in LEDGER_WORDS.items():
        for word in words:
            if (text == word or (len(word) >= 2 and word in text)) and len(word) > best_len:
                best, best_len = role, len(word)
    if best is not None:  # the ledger's words first: 目标完成情况 is not 目标任务 (measures)
        return best
    return column_role(header) or "ignore"


def guess_roles(header: list[str]) -> list[str]:
    """The role code of each column of a header row; a second column of a single-column role
    (one 任务, one 进展情况 …) after the first is ``ignore``, except units and measures."""
    codes = [guess_role(h) for h in header]
    seen: set[str] = set()
    repeatable = {"lead", "support", "measures", "leader", "ignore", "note"}
    for i, code in enumerate(codes):
        if code in seen and code not in repeatable:
            codes[i] = "ignore"
        seen.add(code)
    return codes


def check_roles(codes: list[str]) -> list[str]:
    """What is wrong with a mapping (empty when it can be imported): a task column is needed,
    and no period may be named twice."""
    problems = []
    if not any(c in ("task", "measures") for c in codes):
        problems.append("请至少把一列设为“任务”或“主要内容”")
    unknown = [c for c in codes if c not in ROLE_LABELS]
    if unknown:
        problems.append(f"未知的列用途：{'、'.join(unknown)}")
    periods = [c for c in codes if c.startswith("progress")]
    doubled = sorted({c for c in periods if periods.count(c) > 1})
    if doubled:
        problems.append(f"同一期的进展只能有一列：{'、'.join(ROLE_LABELS.get(c, c) for c in doubled)}")
    if "progress" in periods and len(periods) > 1:
        problems.append("“进展情况（一列）”不能与按期的进展列同时使用")
    return problems


@dataclass(frozen=True)
class Period:
    """A reporting period of the ledger: ``single`` (the ledger's date), a month, quarter or half."""

    kind: str
    index: int

    @property
    def label(self) -> str:
        if self.kind == "single":
            return "进展情况"
        return PERIOD_LABELS[self.code].removesuffix("进展")

    @property
    def code(self) -> str:
        return "progress" if self.kind == "single" else f"progress:{self.kind[0]}{self.index}"

    def end(self, year: int, as_of: date) -> date:
        """The last day of the period in `year` (the ledger's date for a single column)."""
        if self.kind == "single":
            return as_of
        last_month = {"month": self.index, "quarter": 3 * self.index, "half": 6 * self.index}[self.kind]
        return date(year, last_month, calendar.monthrange(year, last_month)[1])

    def order(self) -> int:
        """Sorts periods by their last month (a single column last)."""
        months = {"month": self.index, "quarter": 3 * self.index, "half": 6 * self.index}
        return months.get(self.kind, 13)


def period_of(code: str) -> Period | None:
    """The period of a progress role code, None for any other code."""
    if code == "progress":
        return Period("single", 0)
    m = re.fullmatch(r"progress:([mqh])([0-9]{1,2})", code)
    if m is None:
        return None
    kind = {"m": "month", "q": "quarter", "h": "half"}[m.group(1)]
    return Period(kind, int(m.group(2)))
