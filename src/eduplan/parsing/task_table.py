"""Task tables (任务分工表 / 重点工作清单) → `Plan`.  Pure: no I/O.

A bureau often hands its tasks out as a table rather than as numbered paragraphs: one row per task
with columns such as 序号, 类别/板块, 重点任务, 具体措施, 牵头单位, 配合单位, 责任领导, 完成时限.
The header row is recognised by those words (and similar ones, `task_header.COLUMN_WORDS`) wherever
it sits — after a title row and a 附件 mark, or as two rows (责任单位 over 牵头 | 配合).  Categories, given
in a column or as rows that hold one cell, become chapters; each row becomes a task with its
number, title (the lead phrase of the task text), text, lead and supporting units (`units`),
deadline (`deadlines`) and the targets its text names (`targets`).  Rows repeating one task (a
task cell merged over several measures) are joined into that task.  A table without such a header
is not a task table; when no table has one, `ParseError` says which columns were expected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from eduplan.domain import Chapter, Plan, Task
from eduplan.parsing.cover import classify, find_place, find_title, parse_date, split_cover
from eduplan.parsing.deadlines import find_deadline
from eduplan.parsing.errors import ParseError
from eduplan.parsing.numbering import int_to_cn, match_marker
from eduplan.parsing.plan import lead_phrase, tidy_title
from eduplan.parsing.targets import find_targets
from eduplan.parsing.task_header import COLUMN_WORDS, EXPECTED, Header, column_role, find_header
from eduplan.parsing.units import units_line

_DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表|表|table|csv)\s*[0-9]*$", re.IGNORECASE)
_APPENDIX = re.compile(r"^附\s*[件表录]\s*[0-9０-９一二三四五六七八九十]*\s*[：:]?$")
_NOTE = re.compile(r"^(?:注|备注|说明|合计|小计|总计)\s*[：:0-9０-９]?")
_CN_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十]+[）)、.．]?$")
_NUMBER_MARKS = re.compile(r"^[（(\s]+|[)）.．、\s]+$")


class TableLike(Protocol):
    """A table as the readers give it (`eduplan.readers.document.NamedTable`)."""

    name: str
    rows: list[list[str]]
    line_numbers: list[int]


__all__ = ["COLUMN_WORDS", "EXPECTED", "column_role", "find_header", "has_task_table", "parse_task_tables"]


def has_task_table(tables: Sequence[TableLike]) -> bool:
    """Whether any of `tables` has a task-table header."""
    return any(find_header(t.rows) is not None for t in tables)


def _title_rows(rows: Sequence[Sequence[str]]) -> str | None:
    """The plan title written above the header (附件 marks and dates left out)."""
    for row in rows:
        values = list(dict.fromkeys(c.strip() for c in row if c.strip()))
        if (
            len(values) == 1
            and not _APPENDIX.match(values[0])
            and len(values[0]) >= 4
            and not parse_date(values[0])
        ):
            return tidy_title(values[0])
    return None


def _context_title(lines: Sequence[str], table_line: int | None) -> str | None:
    """The title in the text around a table: the line just above it, else the notice's title."""
    if table_line is not None:
        for line in reversed(lines[: table_line - 1]):
            text = line.strip()
            if _APPENDIX.match(text):
                continue
            if text and "\t" not in text and len(text) <= 60 and not text.endswith(("。", "：", ":", "；")):
                return tidy_title(text)
            break
    texts = [ln.strip() for ln in lines if ln.strip() and "\t" not in ln]
    if not texts:
        return None
    cover = split_cover(texts)
    title, _ = find_title(texts, cover.body_start)
    return title or cover.notice_title


def _number(cell: str) -> str:
    return _NUMBER_MARKS.sub("", cell)


@dataclass
class _Reader:
    """The walk over the rows of the task tables: the open chapter and task."""

    plan: Plan
    chapter: Chapter | None = None
    category: str | None = None
    task: Task | None = None
    task_key: tuple[str, str] | None = None

    def open_chapter(self, raw: str, line: int | None) -> None:
        marker = match_marker(raw)
        if marker is not None and marker.style in ("chapter", "part", "paren_cn") and marker.rest.strip():
            number, title = marker.number, marker.rest.strip()
        else:
            number, title = int_to_cn(len(self.plan.chapters) + 1), raw.strip()
        self.chapter = Chapter(number=number, title=tidy_title(title.rstrip("。：:")), line=line)
        self.plan.chapters.append(self.chapter)
        self.category = raw
        self.task, self.task_key = None, None

    def add_row(self, header: Header, row: Sequence[str], line: int | None) -> None:
        task_cell = header.text(row, "task")
        measures = header.text(row, "measures")
        number = _number(header.text(row, "number", " "))
        key = (number, task_cell)
        marker = match_marker(task_cell or measures)
        own_number = marker is not None and marker.style in ("arabic", "paren_ar", "paren_cn", "circled")
        if marker is not None and own_number and (not number or _number(marker.number) == number):
            # 1.加强党建… written in the task cell: the number is the task's own
            number = marker.number
            if task_cell:
                task_cell = marker.rest.strip()
            else:
                measures = marker.rest.strip()
        continued = not task_cell and not number and "task" in header.roles
        if self.task is not None and ((task_cell and key == self.task_key) or (continued and self.task_key)):
            self._extend(self.task, header, row, measures)
            return
        if not (task_cell or measures):
            if any(header.cells(row, r) for r in ("lead", "support")) and self.task is not None:
                self._extend(self.task, header, row, "")
            return
        if self.chapter is None:
            self.open_chapter("", line)
            assert self.chapter is not None
            self.chapter.number = ""
        text = "\n".join(t for t in (task_cell, measures) if t)
        position = len(self.chapter.items) + 1
        task = Task(
            number=number or str(position), title=lead_phrase(task_cell or measures), text=text, line=line
        )
        self.chapter.items.append(task)
        self.task, self.task_key = task, key
        self._units(task, header, row)
        deadline = header.text(row, "deadline", "；")
        if deadline:
            task.deadline_text = deadline

    def _extend(self, task: Task, header: Header, row: Sequence[str], measures: str) -> None:
        if measures and measures not in task.text:
            task.text += "\n" + measures
        self._units(task, header, row)
        deadline = header.text(row, "deadline", "；")
        if deadline and deadline != task.deadline_text:
            task.deadline_text = f"{task.deadline_text}；{deadline}" if task.deadline_text else deadline

    def _units(self, task: Task, header: Header, row: Sequence[str]) -> None:
        parts = []
        lead = header.text(row, "lead", "、")
        if lead:
            parts.append(f"{header.lead_label}：{lead}")
        support = header.text(row, "support", "、")
        if support:
            parts.append(f"配合单位：{support}")
        units = units_line("；".join(parts)) if parts else None
        if units is not None:
            for name in units.units:
                if name not in task.units:
                    task.units.append(name)
            task.lead_units += [u for u in units.lead if u not in task.lead_units]
            task.support_units += [u for u in units.support if u not in task.support_units]
        leader = header.text(row, "leader", "、")
        if leader:
            parts.append(f"责任领导：{leader}")  # a person, kept with the units but never one of them
        if not parts:
            return
        written = "；".join(parts)
        if task.units_text is None:
            task.units_text = written
        elif written not in task.units_text:
            task.units_text += "；" + written


def _category_row(header: Header, row: Sequence[str], values: list[str]) -> str | None:
    """The category a row opens: a row of one cell (一、党的建设, merged across the table), or a
    row numbered 一 / （一） in the 序号 column with no unit or deadline; None for a task row."""
    if len(values) == 1:
        value = values[0]
        marker = match_marker(value)
        if marker is not None and marker.style in ("chapter", "part", "paren_cn"):
            return value
        return value if len(value) <= 30 and not value.endswith(("。", "；", ";")) else None
    number = header.text(row, "number", "")
    if not _CN_NUMBER.match(number) or any(header.cells(row, r) for r in ("lead", "support", "deadline")):
        return None
    rest = [v for v in values if v != number]
    if len(rest) != 1 or len(rest[0]) > 30 or "。" in rest[0] or "\n" in rest[0]:
        return None  # （一）发展基础。… is a task numbered in Chinese, not a category
    return f"{_number(number)}、{rest[0]}"


def _read_table(reader: _Reader, table: TableLike, header: Header) -> None:
    rows = table.rows
    lines = table.line_numbers
    header_cells = [c.strip() for c in rows[header.last]] if header.last >= 0 else []
    categories_seen = False
    start_chapters = len(reader.plan.chapters)
    name = "" if _DEFAULT_SHEET.match(table.name.strip()) else table.name.strip()
    for index in range(header.last + 1, len(rows)):
        row = rows[index]
        line = lines[index] if index < len(lines) else None
        cells = [c.strip() for c in row]
        values = list(dict.fromkeys(c for c in cells if c))
        if (
            not values
            or (header_cells and cells[: len(header_cells)] == header_cells)
            or _NOTE.match(values[0])
        ):
            continue  # a header repeated on a new page, a note or a total under the table
        if all(column_role(c) is not None for c in values) and len(values) >= 2:
            continue  # the second row of a header
        category_row = _category_row(header, row, values)
        if category_row is not None:
            reader.open_chapter(category_row, line)
            categories_seen = True
            continue
        category = header.text(row, "category", " ")
        if category and category != reader.category:
            reader.open_chapter(category, line)
            categories_seen = True
        elif not categories_seen and (
            reader.chapter is None or (name and len(reader.plan.chapters) == start_chapters)
        ):
            # no categories: a named sheet is a chapter; 表2 or Sheet2 goes on in the open one
            reader.open_chapter(name, line)
            if not name and reader.chapter is not None:
                reader.chapter.number = ""
            categories_seen = True
        reader.add_row(header, row, line)


def _finish(plan: Plan) -> None:
    window = plan.period or ((plan.year, plan.year + 1) if plan.year else None)
    plan.chapters = [c for c in plan.chapters if c.items]
    for chapter in plan.chapters:
        for task in chapter.items:
            found = find_targets(task.text)
            if plan.kind == "five_year_plan":
                task.figures = found
            else:
                task.targets = found
            written = find_deadline(task.deadline_text, plan.year, field=True) if task.deadline_text else None
            task.deadline = written or find_deadline(task.text, plan.year, within=window)


def _task_tables(tables: Sequence[TableLike], lists: bool) -> list[tuple[TableLike, Header]]:
    """Each task table with its header.  A table of a document without a header of its own, right
    after a task table and as wide, continues it (a table broken by a page break)."""
    found: list[tuple[TableLike, Header]] = []
    width = 0
    for k, table in enumerate(tables):
        header = find_header(table.rows, lists)
        table_width = max((len(r) for r in table.rows), default=0)
        if header is None and found and k > 0 and found[-1][0] is tables[k - 1]:
            previous = found[-1][1]
            if _DEFAULT_SHEET.match(table.name.strip()) and table_width == width:
                header = Header(-1, -1, previous.roles, previous.lead_label)
        if header is not None:
            found.append((table, header))
            width = table_width if header.first >= 0 else width
    return found


def parse_task_tables(tables: Sequence[TableLike], context: Sequence[str] = (), lists: bool = False) -> Plan:
    """A plan from the task tables among `tables` (sheets of a workbook, tables of a document).

    `context` is the document's text around the tables (a docx's notice and title), used for the
    plan's title when no title row stands above the header; `lists` (for workbooks) accepts a
    bare task list without unit or deadline columns (`task_header.find_header`).  Raises
    `ParseError` when no table has a task-table header, or when the tables hold no task.
    """
    found = _task_tables(tables, lists)
    if not found:
        raise ParseError(EXPECTED)
    first_table, first_header = found[0]
    title = (
        _title_rows(first_table.rows[: first_header.first])
        or _context_title(context, first_table.line_numbers[0] if first_table.line_numbers else None)
        or ""
    )
    if not title and not _DEFAULT_SHEET.match(first_table.name.strip()):
        title = first_table.name.strip()
    texts = [title, *context[:60]]
    kind, year, period = classify(title, list(context[:5]))
    plan = Plan(title=title, place=find_place(title, [], texts), kind=kind, year=year, period=period)  # type: ignore[arg-type]
    for table in tables:
        if all(table is not t for t, _ in found) and len(table.rows) >= 2:
            plan.warnings.append(
                f"“{table.name}”不是任务表（没有找到序号、重点任务、责任单位等表头），已略过"
            )
    reader = _Reader(plan)
    for table, header in found:
        _read_table(reader, table, header)
    _finish(plan)
    if not plan.chapters:
        raise ParseError("任务分工表的表头下没有任务行，请确认表格内容")
    return plan
