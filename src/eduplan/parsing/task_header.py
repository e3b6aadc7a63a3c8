"""The header row of a task table (任务分工表): which column holds what.  Pure: no I/O.

A header cell takes the role (`COLUMN_WORDS`) of the longest header word it holds: 序号 → number,
类别/板块 → category, 重点任务/工作内容 → task, 具体措施 → measures, 牵头单位/责任处室 → lead,
配合单位 → support, 责任领导 → leader, 完成时限/时间节点 → deadline.  A row is a task-table header
when it names a task column and a unit, leader or deadline column; a second row of header words
above or below it (责任单位 over 牵头单位 | 配合单位) is merged into it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "category": (
        "类别",
        "板块",
        "领域",
        "分类",
        "类型",
        "方面",
        "模块",
        "大类",
        "专项",
        "工作类别",
        "任务类别",
        "项目类别",
        "重点领域",
        "工作板块",
        "工作领域",
        "一级任务",
        "任务分类",
    ),
    "task": (
        "重点任务",
        "工作任务",
        "工作内容",
        "任务名称",
        "主要任务",
        "重点工作",
        "工作事项",
        "任务事项",
        "任务内容",
        "工作项目",
        "任务",
        "事项",
        "项目名称",
        "工作名称",
        "二级任务",
        "工作要点",
        "重点工作任务",
        "重点事项",
        "工作重点",
        "主要工作",
    ),
    "measures": (
        "具体措施",
        "工作措施",
        "主要内容",
        "工作举措",
        "主要措施",
        "具体内容",
        "推进措施",
        "具体任务",
        "实施举措",
        "工作要求",
        "目标任务",
        "主要举措",
        "落实措施",
        "具体工作",
        "任务举措",
        "工作目标",
        "预期目标",
        "目标要求",
        "预期成果",
        "预期成效",
        "具体举措",
        "任务要求",
        "措施",
    ),
    "lead": (
        "牵头单位",
        "责任单位",
        "责任部门",
        "责任处室",
        "负责处室",
        "牵头处室",
        "牵头部门",
        "主责单位",
        "责任科室",
        "牵头科室",
        "承办单位",
        "负责单位",
        "负责部门",
        "主责部门",
        "责任主体",
        "牵头责任单位",
        "实施主体",
        "负责科室",
        "主办单位",
        "主责处室",
        "责任股室",
        "牵头股室",
        "责任处",
        "牵头处",
        "责任科",
        "牵头科",
    ),
    "support": (
        "配合单位",
        "协同单位",
        "配合处室",
        "配合部门",
        "协办单位",
        "参与单位",
        "配合科室",
        "协助单位",
        "协同部门",
        "协作单位",
        "配合股室",
        "协同处室",
        "配合处",
        "配合科",
    ),
    "leader": (
        "责任领导",
        "分管领导",
        "牵头领导",
        "责任人",
        "联系领导",
        "局领导",
        "分管局领导",
        "责任校领导",
        "负责人",
    ),
    "deadline": (
        "完成时限",
        "时间节点",
        "完成时间",
        "时限",
        "进度安排",
        "时间安排",
        "完成期限",
        "截止时间",
        "时间要求",
        "时序进度",
        "推进时间",
        "完成时限要求",
        "时间进度",
        "时间",
    ),
    "note": ("备注", "说明"),
}
"""Header words of each column role; a header cell takes the role of the longest word it holds."""

EXPECTED = (
    "没有找到任务分工表的表头：表格应有任务列（重点任务、工作任务、工作内容、任务名称或具体措施）"
    "和责任单位列（牵头单位、责任单位、责任处室、配合单位）或完成时限列（完成时限、时间节点），"
    "如“序号｜类别｜重点任务｜牵头单位｜配合单位｜完成时限”"
)
"""The message for a table without a task-table header: which columns were expected."""
_HEADER_SCAN = 20  # rows searched for the header at the top of a table
_MAX_HEADER_CELL = 16
_JUNK = re.compile(r"[\s*＊:：/／、]|[（(][^（）()]*[)）]$")


@dataclass
class Header:
    """Where the header of a task table is, and which column holds what."""

    first: int
    last: int
    roles: dict[str, list[int]] = field(default_factory=dict)
    lead_label: str = "责任单位"
    """How the lead column names its units: 牵头单位 when its header says 牵头/主责, else 责任单位."""

    def cells(self, row: Sequence[str], role: str) -> list[str]:
        """The non-empty cells of `row` in the columns of `role`."""
        return [row[i].strip() for i in self.roles.get(role, []) if i < len(row) and row[i].strip()]

    def text(self, row: Sequence[str], role: str, sep: str = "\n") -> str:
        return sep.join(dict.fromkeys(self.cells(row, role)))


def column_role(cell: str) -> str | None:
    """The role of a header cell (序号 → number, 牵头单位 → lead), or None."""
    text = _JUNK.sub("", cell)
    if not text or len(text) > _MAX_HEADER_CELL:
        return None
    best, best_len = None, 0
    for role, words in COLUMN_WORDS.items():
        for word in words:
            if (text == word or (len(word) >= 2 and word in text)) and len(word) > best_len:
                best, best_len = role, len(word)
    return best


def _roles(row: Sequence[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for i, cell in enumerate(row):
        role = column_role(cell)
        if role is not None and (i == 0 or row[i - 1] != cell):  # a cell merged across: once
            roles.setdefault(role, []).append(i)
    return roles


def _is_task_header(roles: dict[str, list[int]], lists: bool) -> bool:
    has_task = "task" in roles or "measures" in roles
    others = ("lead", "support", "deadline", "leader") + (("number", "category") if lists else ())
    return has_task and any(r in roles for r in others)


def _all_roles(row: Sequence[str]) -> bool:
    """Whether every filled cell of a row is a header word (the other row of a two-row header)."""
    filled = [c for c in row if c.strip()]
    return len(filled) >= 2 and all(column_role(c) is not None for c in filled)


def find_header(rows: Sequence[Sequence[str]], lists: bool = False) -> Header | None:
    """The task-table header among the first rows of a table, or None when it has none.

    `lists` accepts a bare task list too (序号 | 重点任务, no unit or deadline column): right for a
    workbook, too loose for the tables inside a document (序号 | 项目名称 | 建设内容 of a 专栏)."""
    best: tuple[int, int] | None = None
    for i, row in enumerate(rows[:_HEADER_SCAN]):
        roles = _roles(row)
        if _is_task_header(roles, lists) and (best is None or len(roles) > best[1]):
            best = (i, len(roles))
    if best is None:
        return None
    first = last = best[0]
    roles = _roles(rows[first])
    # a two-row header: 责任单位 spanning 牵头单位 | 配合单位 below it (or above the chosen row)
    for other in (first + 1, first - 1):
        if 0 <= other < len(rows) and _all_roles(rows[other]) and (extra := _roles(rows[other])):
            lower, upper = (extra, roles) if other > first else (roles, extra)
            merged = {role: list(cols) for role, cols in upper.items()}
            taken = {c for cols in lower.values() for c in cols}
            for role in merged:
                merged[role] = [c for c in merged[role] if c not in taken]
            for role, cols in lower.items():
                merged.setdefault(role, []).extend(cols)
            roles = {role: sorted(cols) for role, cols in merged.items() if cols}
            first, last = min(first, other), max(last, other)
            break
    lead_headers = "".join(
        rows[r][i] for r in (first, last) for i in roles.get("lead", []) if i < len(rows[r])
    )
    lead_label = "牵头单位" if any(w in lead_headers for w in ("牵头", "主责", "主办")) else "责任单位"
    return Header(first, last, roles, lead_label)
