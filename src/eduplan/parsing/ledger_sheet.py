"""A 台账 (tracking ledger) sheet → a `Plan` and the progress its rows report.  Pure: no I/O.

The sheet is found among a workbook's tables by its task-table header (the one with the most
known columns: a ledger on the second sheet, beside a notes sheet, is found); a header may span
two rows (责任单位 over 牵头 | 配合, 进展情况 over 1月 | 2月 …).  Each column gets a role code
(`ledger_columns`: guessed from the header or given by a person).  The task columns are handed to
the task-table reader (`task_table.parse_task_tables`) as a table with a canonical header, so tasks,
categories (a category column, or merged category rows), units (牵头/配合), deadlines and
targets are read exactly as a 任务分工表 is; the ledger's own columns are read here, row by row:
progress per period (`ledger_cells.split_units`), percent, status, targets and their actuals.
A row that cannot be read (progress with no task, a percent that is no percent) is listed in
`problems` with its sheet row number and reason, and nothing of it is taken.

eduplan's own export (`export/ledger_progress.py`) reads back: a running 序号 beside task cells
numbered ``3. 标题`` gives way to the tasks' own numbers, a 主要内容 that repeats the title is not
doubled, ``牵头：A`` / ``配合：B`` lines in one 责任单位 cell keep their roles, and 待明确 words lose
their mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from eduplan.domain import Plan, Task
from eduplan.parsing.cover import classify, find_place
from eduplan.parsing.errors import ParseError
from eduplan.parsing.ledger_cells import (
    UnitText,
    actual_lines,
    clean_title,
    percent_cell,
    split_units,
    status_cell,
    target_lines,
)
from eduplan.parsing.ledger_columns import TASK_ROLES, Period, guess_roles, period_code, period_of
from eduplan.parsing.numbering import match_marker
from eduplan.parsing.task_header import EXPECTED, find_header
from eduplan.parsing.task_table import TableLike, parse_task_tables

CANONICAL = {
    "number": "序号",
    "category": "类别",
    "task": "重点任务",
    "measures": "主要内容",
    "lead": "牵头单位",
    "support": "配合单位",
    "leader": "责任领导",
    "deadline": "完成时限",
}
"""The header word the task-table reader is given for each task role."""
_ROLE_LINE = re.compile(r"^(牵头|配合|责任)(?:单位)?[：:]\s*")
_UNSPECIFIED = "（待明确）"


@dataclass
class Column:
    """One column of the ledger: its letter, header words and role code."""

    index: int
    letter: str
    header: str
    code: str
    sample: str = ""


@dataclass
class RowProblem:
    """A row (sheet row number, 1-based) that could not be read, and why."""

    row: int
    reason: str


@dataclass(kw_only=True)
class ProgressEntry:
    """What the ledger says of one task in one period: each unit's report, and the row's percent,
    status and target actuals."""

    task: int
    """Index of the task in `plan.tasks()` order."""
    period: Period
    row: int
    reports: list[UnitText] = field(default_factory=list)
    actuals: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class LedgerReading:
    """The ledger as read: the sheet, its columns, the plan, the progress and the problems."""

    sheet: str
    header_row: int
    columns: list[Column]
    plan: Plan
    as_of: date | None
    entries: list[ProgressEntry]
    problems: list[RowProblem]
    sheets: list[str]

    @property
    def periods(self) -> list[Period]:
        """The periods of the progress columns, in order."""
        found = {p for c in self.columns if (p := period_of(c.code)) is not None}
        return sorted(found, key=Period.order)


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _header_rows(rows: Sequence[Sequence[str]], first: int, last: int) -> int:
    """The last header row: `last`, or the row below it when that row names periods (1月 | 2月)."""
    below = last + 1
    if below < len(rows):
        cells = [c for c in rows[below] if c.strip()]
        periods = [c for c in cells if period_code(c) is not None]
        if len(periods) >= 2 and len(periods) >= len(cells) - 1:
            return below
    return last


def _header_texts(rows: Sequence[Sequence[str]], first: int, last: int, width: int) -> list[str]:
    texts = []
    for i in range(width):
        words = [
            rows[r][i].strip() for r in range(first, last + 1) if i < len(rows[r]) and rows[r][i].strip()
        ]
        texts.append("".join(dict.fromkeys(words)))
    return texts


def choose_sheet(tables: Sequence[TableLike], sheet: str | None = None) -> int:
    """The index of the ledger among `tables`: the named sheet, else the one whose task-table
    header knows the most columns.  Raises `ParseError` when none has one."""
    best: tuple[int, int] | None = None
    for k, table in enumerate(tables):
        if sheet is not None and table.name != sheet:
            continue
        header = find_header(table.rows, lists=True)
        if header is None:
            continue
        width = max((len(r) for r in table.rows), default=0)
        last = _header_rows(table.rows, header.first, header.last)
        codes = guess_roles(_header_texts(table.rows, header.first, last, width))
        score = sum(1 for c in codes if c != "ignore")
        if best is None or score > best[1]:
            best = (k, score)
    if best is None:
        if sheet is not None:
            raise ParseError(f"工作表“{sheet}”中没有台账的表头")
        raise ParseError(EXPECTED.replace("任务分工表", "台账") + "，进展列如“进展情况”或“1月进展”")
    return best[0]


def _units_cell(cell: str) -> tuple[str, str]:
    """(lead, support) of a 责任单位 cell; ``牵头：A`` / ``配合：B`` lines split by role."""
    lead, support = [], []
    for line in cell.replace(_UNSPECIFIED, "").split("\n"):
        m = _ROLE_LINE.match(line.strip())
        if m is not None and m.group(1) == "配合":
            support.append(line.strip()[m.end() :])
        else:
            lead.append(line.strip()[m.end() :] if m else line.strip())
    return "、".join(x for x in lead if x), "、".join(x for x in support if x)


def _running_index(rows: Sequence[Sequence[str]], number_col: int, task_col: int | None) -> bool:
    """Whether 序号 only counts rows (1, 2, 3 … across chapters) while the task cells carry their
    own numbers (``1. 标题``): then the tasks keep their own numbers."""
    if task_col is None:
        return False
    pairs = []
    for row in rows:
        number = row[number_col].strip() if number_col < len(row) else ""
        task = row[task_col].strip() if task_col < len(row) else ""
        marker = match_marker(task) if task else None
        if number.isdigit() and marker is not None and marker.style == "arabic":
            pairs.append((int(number), marker.number))
    numbers = [n for n, _ in pairs]
    differ = any(str(n) != m.rstrip(".．、") for n, m in pairs)
    return bool(pairs) and differ and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _task_table(
    table: TableLike, first: int, last: int, codes: list[str]
) -> tuple[list[list[str]], list[int], dict[int, int]]:
    """The table the task-table reader is given: title rows, one canonical header, data rows with
    only the task columns (and a 配合单位 column split off 牵头/配合 lines); their sheet rows; and
    the rows left out because they repeat an earlier task word for word (row → that task's row):
    eduplan's export lists a task handed down to districts once more per district."""
    rows = table.rows
    numbers = list(getattr(table, "row_numbers", []) or range(1, len(rows) + 1))
    width = len(codes)
    lead_cols = [i for i, c in enumerate(codes) if c == "lead"]
    task_col = next((i for i, c in enumerate(codes) if c == "task"), None)
    number_col = next((i for i, c in enumerate(codes) if c == "number"), None)
    data = rows[last + 1 :]
    drop_number = number_col is not None and _running_index(data, number_col, task_col)
    # plain 责任单位 stay plain (a 牵头 header makes them leads); 牵头：/配合： lines in a cell keep
    # their roles through the split-off 配合单位 column (责任单位：A；配合单位：B reads A as lead)
    lead_headers = "".join(rows[r][i] for r in range(first, last + 1) for i in lead_cols if i < len(rows[r]))
    lead_word = "牵头单位" if any(w in lead_headers for w in ("牵头", "主责", "主办")) else "责任单位"
    header = [
        (lead_word if c == "lead" else CANONICAL[c])
        if c in TASK_ROLES and not (drop_number and i == number_col)
        else ""
        for i, c in enumerate(codes)
    ] + ["配合单位"]
    out: list[list[str]] = [list(r) for r in rows[:first]] + [header]
    kept = [*numbers[:first], numbers[first]]
    text_cols = [i for i, c in enumerate(codes) if c in ("task", "measures")]
    seen: dict[tuple[str, ...], int] = {}
    repeats: dict[int, int] = {}
    for row, number in zip(data, numbers[last + 1 :], strict=False):
        key = tuple(row[i].strip() if i < len(row) else "" for i in text_cols)
        if len(key) == 2 and all(key):  # a task and its text, both repeated: the same task again
            if key in seen:
                repeats[number] = seen[key]
                continue
            seen[key] = number
        kept.append(number)
        cells = [row[i] if i < len(row) and codes[i] in TASK_ROLES else "" for i in range(width)]
        if drop_number and number_col is not None:
            cells[number_col] = ""
        extra = []
        for i in lead_cols:
            cells[i], support = _units_cell(cells[i])
            extra.append(support)
        for i, c in enumerate(codes):
            if c == "support":
                cells[i] = cells[i].replace(_UNSPECIFIED, "")
        out.append([*cells, "、".join(x for x in extra if x)])
    return out, kept, repeats


@dataclass
class _Table:
    name: str
    rows: list[list[str]]
    line_numbers: list[int]


def _fix_text(task: Task) -> None:
    """A 主要内容 that starts with the task's title is the whole text (eduplan's export)."""
    head, _, rest = task.text.partition("\n")
    if rest.startswith(task.title) or (head and rest.startswith(head)):
        task.text = rest


def read_ledger(
    tables: Sequence[TableLike],
    codes: list[str] | None = None,
    sheet: str | None = None,
    fallback_title: str = "",
) -> LedgerReading:
    """Read the ledger among `tables` with the given role codes (None: guessed from the header)."""
    k = choose_sheet(tables, sheet)
    table = tables[k]
    rows = table.rows
    header = find_header(rows, lists=True)
    assert header is not None
    last = _header_rows(rows, header.first, header.last)
    width = max(len(r) for r in rows)
    texts = _header_texts(rows, header.first, last, width)
    codes = list(codes) if codes is not None else guess_roles(texts)
    codes = (codes + ["ignore"] * width)[:width]
    numbers = list(getattr(table, "row_numbers", []) or range(1, len(rows) + 1))
    task_rows, task_numbers, repeats = _task_table(table, header.first, last, codes)
    plan = parse_task_tables([_Table(table.name, task_rows, task_numbers)], lists=True)
    title, as_of = clean_title(plan.title or fallback_title)
    if title != plan.title:
        plan.title = title
        plan.kind, plan.year, plan.period = classify(title, [])  # type: ignore[assignment]
        plan.place = find_place(title, [], [title])
    tasks = [t for _, t in plan.tasks()]
    for t in tasks:
        _fix_text(t)
    sample = {
        i: next((r[i] for r in rows[last + 1 :] if i < len(r) and r[i].strip()), "") for i in range(width)
    }
    columns = [Column(i, _letter(i), texts[i], codes[i], sample[i][:40]) for i in range(width)]
    reading = LedgerReading(
        table.name, numbers[header.first], columns, plan, as_of, [], [], [t.name for t in tables]
    )
    for row, first_row in repeats.items():
        reading.problems.append(
            RowProblem(row, f"与第{first_row}行是同一任务（如下发到区县的条目），未重复导入")
        )
    data = [(r, n) for r, n in zip(rows[last + 1 :], numbers[last + 1 :], strict=False) if n not in repeats]
    _read_rows(reading, [r for r, _ in data], [n for _, n in data], codes, tasks)
    reading.problems.sort(key=lambda p: p.row)
    return reading


def _cells(row: Sequence[str], codes: list[str], role: str) -> list[tuple[int, str]]:
    return [(i, row[i].strip()) for i, c in enumerate(codes) if c == role and i < len(row) and row[i].strip()]


def _read_rows(
    reading: LedgerReading,
    rows: Sequence[Sequence[str]],
    numbers: list[int],
    codes: list[str],
    tasks: list[Task],
) -> None:
    """The ledger's own columns, row by row, for the task each row belongs to."""
    starts = {t.line: k for k, t in enumerate(tasks) if t.line is not None}
    progress_cols = [(i, p) for i, c in enumerate(codes) if (p := period_of(c)) is not None]
    by_key: dict[tuple[int, Period], ProgressEntry] = {}
    targets: dict[int, list[str]] = {}
    current: int | None = None
    for row, number in zip(rows, numbers, strict=False):
        if number in starts:
            current = starts[number]
        said = [(i, p, row[i].strip()) for i, p in progress_cols if i < len(row) and row[i].strip()]
        percents, statuses = _cells(row, codes, "percent"), _cells(row, codes, "status")
        actuals, target_cells = _cells(row, codes, "actuals"), _cells(row, codes, "target")
        if not (said or percents or statuses or actuals or target_cells):
            continue
        if current is None:
            reading.problems.append(RowProblem(number, "有进展或目标，但任务列为空，找不到所属任务"))
            continue
        try:
            percent = percent_cell(percents[0][1]) if percents else None
            status = status_cell(statuses[0][1]) if statuses else None
        except ValueError as exc:
            reading.problems.append(RowProblem(number, str(exc)))
            continue
        task = tasks[current]
        if target_cells:
            targets.setdefault(current, []).extend(c for _, c in target_cells)
        latest = said[-1][1] if said else (progress_cols[-1][1] if progress_cols else Period("single", 0))
        for _, period, text in said:
            entry = by_key.setdefault(
                (current, period), ProgressEntry(task=current, period=period, row=number)
            )
            entry.reports += split_units(text, task.units)
        if not said and not (percent or status is not None or actuals):
            continue  # a percent of 0 and nothing else: nothing was reported
        entry = by_key.setdefault((current, latest), ProgressEntry(task=current, period=latest, row=number))
        if not entry.reports and not said:
            entry.reports.append(UnitText(None, "", "in_progress", None, "accepted"))
        for r in entry.reports:
            if status is not None:
                r.progress = status
            if percent is not None and r.unit is None:
                r.percent = percent
        entry.actuals += [a for _, c in actuals for a in actual_lines(c)]
    for k, cells in targets.items():
        found = target_lines("\n".join(cells))
        if found:
            tasks[k].targets = found
    kept = [e for e in by_key.values() if e.reports]
    reading.entries = sorted(kept, key=lambda e: (e.task, e.period.order()))
