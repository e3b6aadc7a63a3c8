"""The 台账 (tracking ledger) of a plan as an xlsx workbook, written with openpyxl.

One row per task with 序号, 章, 任务, 主要内容, 责任单位, 量化目标, 完成时限 and two empty columns
(进展情况, 备注) for the people who track the work.  The sheet is ready to print: A4 landscape,
fitted to the page width, title and header rows repeated on every page, header frozen on screen.
openpyxl is imported inside `write_ledger` so that importing this module stays cheap.
`write_table` lays out any such sheet; ledger_progress.py uses it for the ledger with progress.
Every string is written as text, never as a formula (`eduplan.export.cells.put`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eduplan.domain import Plan
from eduplan.export.atomic import atomic_write
from eduplan.export.cells import put
from eduplan.labels import chapter_label, chinese_date, item_label, target_text, units_text

# (header, width in characters); widths chosen for an A4 landscape page fitted to width
COLUMNS: list[tuple[str, float]] = [
    ("序号", 6),
    ("章", 18),
    ("任务", 26),
    ("主要内容", 60),
    ("责任单位", 18),
    ("量化目标", 26),
    ("完成时限", 14),
    ("进展情况", 24),
    ("备注", 12),
]
TITLE_ROW, HEADER_ROW = 1, 2
SHEET_TITLE = "工作台账"


def ledger_title(plan: Plan) -> str:
    """The title row of the ledger, e.g. `2024年示例市教育工作要点 工作台账`."""
    return f"{plan.title or '未命名规划'} {SHEET_TITLE}"


def ledger_rows(plan: Plan) -> list[list[str | int]]:
    """The data rows of the ledger, one per task, in the order of `COLUMNS`."""
    rows: list[list[str | int]] = []
    for index, (chapter, task) in enumerate(plan.tasks(), start=1):
        rows.append(
            [
                index,
                chapter_label(chapter.number, chapter.title),
                item_label(task.number, task.title),
                task.text,
                units_text(task, sep="\n"),
                "\n".join(target_text(t) for t in task.targets),
                chinese_date(task.deadline) if task.deadline else "",
                "",
                "",
            ]
        )
    return rows


def write_ledger(plan: Plan, path: str | Path) -> Path:
    """Write the 台账 of `plan` to `path` (atomically) and return the path."""
    workbook = build_workbook(plan)
    return atomic_write(path, lambda tmp: workbook.save(tmp))


def build_workbook(plan: Plan) -> Any:
    """The ledger as an openpyxl Workbook (not saved)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    write_table(sheet, ledger_title(plan), COLUMNS, ledger_rows(plan))
    return workbook


def write_table(sheet: Any, title: str, columns: list[tuple[str, float]], rows: list[list[Any]]) -> None:
    """Fill `sheet` as a printable ledger: merged title row, header, bordered wrapped cells, A4
    landscape fitted to the page width, title and header repeated on every page, header frozen."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(columns))
    put(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    sheet.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 28

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (header, width) in enumerate(columns, start=1):
        cell = put(sheet, HEADER_ROW, col, header)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width

    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            cell = put(sheet, r, col, value)
            cell.border = border
            cell.alignment = wrap

    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
    sheet.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
