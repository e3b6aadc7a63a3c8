"""A comparison of plans (对标) as an xlsx workbook, written with openpyxl.

Sheets, each with a title row, a bold header (frozen on screen) and Chinese headings:

- 对标矩阵: one row per plan, two columns per topic (任务, 目标) under the topic's name, totals last;
- 分主题任务: every task of every plan, topic by topic, with its targets (what a matrix cell opens);
- 目标对照: targets of the same kind side by side, as written and in base units (万元 → 元);
- 自查问题: each plan's consistency findings (“未发现问题” for a plan without any);
- 年度变化 (when the report has two years of one city): tasks carried over, dropped and new.

Numbers are written as numbers, so the sheet sums and sorts; strings as text, never as formulas
(`eduplan.export.cells.put`).  openpyxl is imported inside
`build_workbook`, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eduplan.choices import PLAN_KIND_LABELS as KIND_LABELS
from eduplan.db.engine import SessionFactory
from eduplan.export.atomic import atomic_write
from eduplan.export.cells import put
from eduplan.services.compare.loading import Selection
from eduplan.services.compare.report import report as compare_report
from eduplan.services.compare.views import ComparisonReport, EntryView

SIGNS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝", "≈": "≈", "between": "介于"}
TITLE_ROW = 1
HEADER_ROW = 2

DATA_STYLE = "对标数据"
SHEET_MATRIX = "对标矩阵"
SHEET_TASKS = "分主题任务"
SHEET_TARGETS = "目标对照"
SHEET_FINDINGS = "自查问题"
SHEET_CHANGES = "年度变化"

TASK_COLUMNS: list[tuple[str, float]] = [
    ("主题", 16),
    ("计划", 18),
    ("编号", 10),
    ("任务", 28),
    ("主要内容", 60),
    ("量化目标", 30),
    ("全部主题", 22),
]
TARGET_COLUMNS: list[tuple[str, float]] = [
    ("指标", 24),
    ("计划", 18),
    ("来源", 30),
    ("目标原文", 40),
    ("比较", 6),
    ("数值", 10),
    ("单位", 8),
    ("折算值", 14),
    ("基准单位", 8),
    ("年份", 8),
]
FINDING_COLUMNS: list[tuple[str, float]] = [
    ("计划", 18),
    ("检查项", 18),
    ("严重程度", 10),
    ("位置", 30),
    ("说明", 70),
]
CHANGE_COLUMNS: list[tuple[str, float]] = [
    ("变化", 8),
    ("上一年度任务", 40),
    ("本年度任务", 40),
    ("相似度", 8),
    ("共同表述", 40),
]


def write_comparison(report: ComparisonReport, path: str | Path) -> Path:
    """Write `report` to `path` as xlsx (atomically) and return the path."""
    workbook = build_workbook(report)
    return atomic_write(path, lambda tmp: workbook.save(tmp))


def export_comparison(
    sessions: SessionFactory,
    selection: Selection,
    path: str | Path,
    *,
    after: int | None = None,
    before: int | None = None,
    secondary: bool = False,
) -> Path:
    """Write the comparison of the selected plans to `path` as xlsx (atomically); the path."""
    found = compare_report(sessions, selection, after=after, before=before, secondary=secondary)
    return write_comparison(found, path)


def _targets_text(entry: EntryView) -> str:
    return "\n".join(
        t.text or f"{t.subject}{SIGNS.get(t.comparator, '')}{t.value:g}{t.unit}" for t in entry.targets
    )


def _entry_text(entry: EntryView | None) -> str:
    return f"{entry.plan} {entry.label}" if entry else ""


def task_rows(report: ComparisonReport) -> list[list[Any]]:
    """The rows of 分主题任务: topic, plan, number, title, text, targets, all topics."""
    rows: list[list[Any]] = []
    for cell in report.cells:
        for column in cell.columns:
            for e in column.entries:
                where = (
                    f"专栏{e.section}.{e.number or '-'}"
                    if e.kind == "project"
                    else f"{e.section}.{e.number or '-'}"
                )
                rows.append(
                    [
                        cell.topic.name,
                        column.plan.label,
                        where,
                        e.title,
                        e.text,
                        _targets_text(e),
                        "、".join(t.name for t in e.topics),
                    ]
                )
    return rows


def target_rows(report: ComparisonReport) -> list[list[Any]]:
    """The rows of 目标对照, group by group."""
    return [
        [
            g.name,
            t.plan,
            t.source,
            t.text,
            SIGNS.get(t.comparator, t.comparator),
            t.value,
            t.unit,
            t.base_value,
            t.base_unit,
            t.year or "",
        ]
        for g in report.targets.groups
        for t in g.targets
    ]


def finding_rows(report: ComparisonReport) -> list[list[Any]]:
    """The rows of 自查问题; a plan without findings gets one row saying so."""
    rows: list[list[Any]] = []
    for c in report.consistency:
        if not c.findings:
            rows.append([c.plan.label, "—", "—", "—", "未发现问题"])
        rows += [[c.plan.label, f.check_name, f.severity_name, f.where, f.message] for f in c.findings]
    return rows


def change_rows(report: ComparisonReport) -> list[list[Any]]:
    """The rows of 年度变化: carried over (with the similarity), dropped, new."""
    changes = report.changes
    if changes is None:
        return []
    rows: list[list[Any]] = [
        ["延续", _entry_text(c.before), _entry_text(c.after), c.score, "、".join(c.shared[:5])]
        for c in changes.carried
    ]
    rows += [["删去", _entry_text(e), "", None, ""] for e in changes.dropped]
    rows += [["新增", "", _entry_text(e), None, ""] for e in changes.new]
    return rows


def build_workbook(report: ComparisonReport) -> Any:
    """The comparison as an openpyxl Workbook (not saved)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, NamedStyle, Side

    workbook = Workbook()
    thin = Side(style="thin")
    # one named style for every data cell: styling cells one attribute at a time costs ~20× more
    data = NamedStyle(
        DATA_STYLE,
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        alignment=Alignment(wrap_text=True, vertical="top"),
    )
    workbook.add_named_style(data)
    _matrix_sheet(workbook.active, report)
    names = "、".join(p.label for p in report.matrix.plans)
    _table_sheet(
        workbook.create_sheet(SHEET_TASKS), f"分主题任务对照（{names}）", TASK_COLUMNS, task_rows(report)
    )
    _table_sheet(workbook.create_sheet(SHEET_TARGETS), "量化目标对照", TARGET_COLUMNS, target_rows(report))
    _table_sheet(workbook.create_sheet(SHEET_FINDINGS), "规划自查问题", FINDING_COLUMNS, finding_rows(report))
    if report.changes is not None:
        c = report.changes
        title = f"年度变化：{c.before.label} → {c.after.label}"
        _table_sheet(workbook.create_sheet(SHEET_CHANGES), title, CHANGE_COLUMNS, change_rows(report))
    return workbook


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "head": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "fill": PatternFill("solid", fgColor="DDEBF7"),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=14),
    }


def _title(sheet: Any, text: str, width: int, style: dict[str, Any]) -> None:
    from openpyxl.utils import get_column_letter

    put(sheet, TITLE_ROW, 1, text).font = style["title"]
    if width > 1:
        sheet.merge_cells(f"A{TITLE_ROW}:{get_column_letter(width)}{TITLE_ROW}")
    sheet.row_dimensions[TITLE_ROW].height = 26


def _head(cell: Any, style: dict[str, Any]) -> None:
    cell.font, cell.fill, cell.border, cell.alignment = (
        style["bold"],
        style["fill"],
        style["border"],
        style["head"],
    )


def _table_sheet(sheet: Any, title: str, columns: Sequence[tuple[str, float]], rows: list[list[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    style = _styles()
    _title(sheet, title, len(columns), style)
    for col, (header, width) in enumerate(columns, start=1):
        _head(put(sheet, HEADER_ROW, col, header), style)
        sheet.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            put(sheet, r, col, value).style = DATA_STYLE
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
    sheet.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"


def _matrix_sheet(sheet: Any, report: ComparisonReport) -> None:
    """Plans down, topics across: a merged topic heading over its 任务 and 目标 columns."""
    from openpyxl.utils import get_column_letter

    style = _styles()
    m = report.matrix
    sheet.title = SHEET_MATRIX
    fixed = ["计划", "机构", "类型"]
    width = len(fixed) + 2 * len(m.topics) + 2
    _title(
        sheet,
        "对标矩阵（任务数 / 量化目标数，按主要主题）" if not m.secondary else "对标矩阵（含次要主题）",
        width,
        style,
    )
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for col, header in enumerate(fixed, start=1):
        _head(put(sheet, top, col, header), style)
        _head(sheet.cell(sub, col), style)
        sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    headings = [t.name for t in m.topics] + ["合计"]
    for k, name in enumerate(headings):
        col = len(fixed) + 1 + 2 * k
        _head(put(sheet, top, col, name), style)
        _head(sheet.cell(top, col + 1), style)
        sheet.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 1)
        _head(put(sheet, sub, col, "任务"), style)
        _head(put(sheet, sub, col + 1, "目标"), style)
    for r, row in enumerate(m.rows, start=sub + 1):
        values: list[Any] = [row.plan.label, row.plan.org_name, KIND_LABELS.get(row.plan.kind, row.plan.kind)]
        for c in row.cells:
            values += [c.tasks, c.targets]
        values += [row.tasks, row.targets]
        for col, value in enumerate(values, start=1):
            put(sheet, r, col, value).style = DATA_STYLE
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 12
    for col in range(len(fixed) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 7
    sheet.freeze_panes = sheet.cell(sub + 1, len(fixed) + 1).coordinate
    sheet.page_setup.orientation = "landscape"
