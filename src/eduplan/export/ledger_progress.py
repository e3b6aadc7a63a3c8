"""The 台账 with current progress as an xlsx workbook: the parsed ledger's columns (序号 … 完成时限)
followed by the loop's figures as of a day — the light (灯号, as a word and as the cell's fill
colour), 序时进度 and 完成进度 (real percentages, sortable), the targets' actual values, the latest
report narrative of every responsible unit (进展情况), the overdue mark and the reasons (备注).
A second sheet lists each unit's reporting completeness (报送情况).

Same print layout as the plain ledger (`ledger.write_table`: A4 landscape, fitted to width, title and
header on every page).  Input is a `ProgressLedger` (services/loop/ledger_rows.py); this module does
no database work.  openpyxl is imported when a workbook is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eduplan.export.ledger import HEADER_ROW, write_table
from eduplan.export.saving import document_bytes, save_document
from eduplan.labels import chinese_date
from eduplan.services.loop.reports import PROGRESS_LABELS
from eduplan.services.tracking.ledger_rows import LedgerRow, ProgressLedger, TargetProgress
from eduplan.services.tracking.measures import AVERAGE_LABEL, DONE_LABEL, EXPLANATION, TASKS_LABEL

COLUMNS: list[tuple[str, float]] = [
    ("序号", 5),
    ("章", 14),
    ("任务", 18),
    ("主要内容", 40),
    ("责任单位", 14),
    ("量化目标", 18),
    ("完成时限", 12),
    ("灯号", 9),
    ("序时进度", 9),
    ("完成进度", 9),
    ("目标完成情况", 22),
    ("进展情况", 44),
    ("逾期", 6),
    ("备注", 18),
]
LIGHT_COLUMN, EXPECTED_COLUMN, PROGRESS_COLUMN = 8, 9, 10
FILLS = {
    "green": ("C6EFCE", "006100"),
    "amber": ("FFEB9C", "9C5700"),
    "red": ("FFC7CE", "9C0006"),
    "none": ("EDEDED", "404040"),
}
"""Light → (cell fill, font colour): Excel's own 好/适中/差 styles, readable when printed in grey."""
STATE_WORDS = {"submitted": "已报送", "accepted": "已通过"}
SHEET_TITLE, UNITS_TITLE = "工作台账", "报送情况"
UNIT_COLUMNS: list[tuple[str, float]] = [
    ("序号", 6),
    ("责任单位", 24),
    ("应报", 10),
    ("按时报送", 10),
    ("逾期报送", 10),
    ("未报送", 10),
    ("报送完成率", 12),
]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def target_progress_text(t: TargetProgress) -> str:
    """`新增学位3200个：已完成 3000个（93.8%）` or `…：尚未报送实际值`."""
    if t.actual is None:
        return f"{t.text}：尚未报送实际值"
    share = f"（{100 * t.actual / t.value:.1f}%）" if t.value and t.comparator != "<=" else ""
    return f"{t.text}：已完成 {_number(t.actual)}{t.unit}{share}"


def narrative_text(row: LedgerRow) -> str:
    """Each unit's latest report: `基础教育科（第5期，已通过，推进中 70%）：…`, one per line."""
    lines = []
    for r in row.reports:
        if r.cycle is None:
            lines.append(f"{r.unit_name}：尚未报送")
            continue
        state = STATE_WORDS.get(r.state or "", r.state or "")
        progress = PROGRESS_LABELS.get(r.progress or "", r.progress or "")
        head = f"{r.unit_name}（第{r.cycle + 1}期，{state}，{progress} {_number(r.percent or 0)}%）"
        lines.append(f"{head}：{r.narrative.strip()}" if r.narrative.strip() else head)
    return "\n".join(lines)


def progress_rows(ledger: ProgressLedger) -> list[list[Any]]:
    """The data rows, in the order of `COLUMNS` (percentages as fractions of 1)."""
    out: list[list[Any]] = []
    for index, row in enumerate(ledger.rows, start=1):
        out.append(
            [
                index,
                row.chapter,
                f"{row.number}. {row.title}" if row.number.isdigit() else row.title,
                row.text,
                "\n".join(row.units),
                "\n".join(t.text for t in row.targets),
                chinese_date(row.deadline) if row.deadline else "",
                row.light,
                row.expected / 100,
                row.progress / 100,
                "\n".join(target_progress_text(t) for t in row.targets),
                narrative_text(row),
                "逾期" if row.overdue else "",
                "；".join(row.reasons),
            ]
        )
    return out


MEASURES_TITLE = "总体情况"


def measures_line(ledger: ProgressLedger) -> str:
    """`任务 11 项，完成 1 项（9.1%），平均进度 18%` (`loop.measures`)."""
    m = ledger.measures
    return (
        f"{TASKS_LABEL} {m.tasks} 项，{DONE_LABEL} {m.done} 项（{_number(m.completion)}%），"
        f"{AVERAGE_LABEL} {_number(m.average)}%"
    )


def ledger_title(ledger: ProgressLedger) -> str:
    """`示例市教育局2024年教育工作要点 工作台账（截至2024年5月10日）`."""
    return f"{ledger.title} {SHEET_TITLE}（截至{chinese_date(ledger.as_of)}）"


def build_progress_workbook(ledger: ProgressLedger) -> Any:
    """The ledger with progress as an openpyxl Workbook (not saved)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    write_table(sheet, ledger_title(ledger), COLUMNS, progress_rows(ledger))
    for r, row in enumerate(ledger.rows, start=HEADER_ROW + 1):
        fill, ink = FILLS[row.colour]
        light = sheet.cell(r, LIGHT_COLUMN)
        light.fill = PatternFill("solid", fgColor=fill)
        light.font = Font(bold=True, color=ink)
        light.alignment = Alignment(horizontal="center", vertical="top")
        for col in (EXPECTED_COLUMN, PROGRESS_COLUMN):
            sheet.cell(r, col).number_format = "0.0%"
    units = workbook.create_sheet(UNITS_TITLE)
    unit_rows: list[list[Any]] = [
        [k, u.unit_name, u.expected, u.on_time, u.late, u.missing, u.rate / 100]
        for k, u in enumerate(ledger.units, start=1)
    ]
    write_table(
        units, f"{ledger.title} 报送情况（截至{chinese_date(ledger.as_of)}）", UNIT_COLUMNS, unit_rows
    )
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(unit_rows)):
        units.cell(r, len(UNIT_COLUMNS)).number_format = "0.0%"
    figures = workbook.create_sheet(MEASURES_TITLE)  # the plan's three figures, as every page shows them
    figures.column_dimensions["A"].width = 100
    for r, text in enumerate((ledger_title(ledger), measures_line(ledger), f"注：{EXPLANATION}"), start=1):
        figures.cell(r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


def progress_ledger_bytes(ledger: ProgressLedger) -> bytes:
    """The workbook as xlsx bytes (for a download)."""
    return document_bytes(build_progress_workbook(ledger))


def write_progress_ledger(ledger: ProgressLedger, path: str | Path) -> Path:
    """Write the ledger with progress to `path` (atomically) and return the path."""
    return save_document(build_progress_workbook(ledger), path)
