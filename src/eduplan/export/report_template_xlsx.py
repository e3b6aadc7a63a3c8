"""The 填报模板 as an xlsx workbook (layout in `report_template_layout`).

What a clerk gets: the unit's tasks of one cycle, each prefilled (this cycle's report, else the last
one, marked 沿用), input cells in pale yellow and the rest locked (sheet protection without a password:
it guards against slips, not against intent — the upload checks everything again), 状态 as a drop-down,
percent and actual values with Excel's data validation by the target's kind (percent 0–100, counts
not negative, whole numbers for 所/个/名), dates as 2024年5月25日, every text as text (`cells.put`),
and the hidden stamp sheet.  Reports already submitted or accepted are shown locked (never asked twice).

Input is a `ReportTemplate` (services/report_template.py); no database work here.  openpyxl is
imported when a workbook is built.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from eduplan.export.cells import put
from eduplan.export.names import safe_name
from eduplan.export.saving import document_bytes, save_document
from eduplan.labels import chinese_date
from eduplan.readers import report_template_layout as lay
from eduplan.services.report_template import ReportTemplate, TemplateRow, TemplateTarget
from eduplan.services.tracking.value_rules import (
    PROGRESS_LABELS,
    is_count,
    is_cumulative,
    is_money,
    is_percent,
    is_whole,
)

INPUT_FILL, LOCKED_FILL, TASK_FILL = "FFF2CC", "EDEDED", "DDEBF7"
SIGNS = {">=": "≥", "<=": "≤", "≈": "≈", "=": ""}
STATE_NOTES = {
    "submitted": "已报送，等待审核，不可修改",
    "accepted": "已审核通过，不可修改",
    "returned": "已退回，请按审核意见修改后报送",
    "draft": "草稿，尚未报送",
}


def template_filename(t: ReportTemplate) -> str:
    """示例市…工作要点-基础教育科-第5期填报模板.xlsx"""
    return safe_name(f"{t.plan_title}-{t.unit_name}-第{t.cycle + 1}期填报模板") + ".xlsx"


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _target_value(t: TemplateTarget) -> str:
    f = t.facts
    value = number_text(f.value)
    if f.value_max is not None and f.value_max != f.value:
        value = f"{value}–{number_text(f.value_max)}"
    return f"{SIGNS.get(f.comparator, '')}{value}{f.unit}"


def _validation(t: TemplateTarget) -> tuple[str, str | None, str | None, str]:
    """Excel's check of a target's actual: (type, minimum, maximum, message)."""
    f = t.facts
    name = f.subject or f.unit or "目标"
    if is_percent(f):
        top = max(100.0, f.value, f.value_max or 0)
        return "decimal", "0", number_text(top), f"「{name}」是百分比，请填 0 到 {number_text(top)} 之间的数"
    if is_whole(f):
        return "whole", "0", None, f"「{name}」以“{f.unit}”计，请填不小于 0 的整数"
    if is_count(f) or is_money(f) or is_cumulative(f):
        return "decimal", "0", None, f"「{name}」不能为负数"
    return "decimal", None, None, f"「{name}」请填数字"


class _Validations:
    """Data validations grouped by rule, so a 200-row sheet carries a handful of them (each made
    once with all its cells: adding cells one by one to a validation is quadratic in openpyxl)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.cells: dict[tuple[str, str | None, str | None, str], list[str]] = {}

    def add(self, rule: tuple[str, str | None, str | None, str], ref: str) -> None:
        self.cells.setdefault(rule, []).append(ref)

    def write(self) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        for (kind, low, high, message), refs in self.cells.items():
            if kind == "list":
                dv = DataValidation(type="list", formula1=low, allow_blank=True)
            elif low is not None and high is not None:
                dv = DataValidation(
                    type=kind, operator="between", formula1=low, formula2=high, allow_blank=True
                )
            elif low is not None:
                dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=low, allow_blank=True)
            else:
                dv = DataValidation(
                    type=kind, operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True
                )
            dv.error, dv.errorTitle, dv.showErrorMessage = message, "填写有误", True
            dv.sqref = " ".join(refs)
            self.sheet.add_data_validation(dv)


STATUS_RULE = ("list", '"' + ",".join(PROGRESS_LABELS.values()) + '"', None, "请从下拉列表中选择状态")
PERCENT_RULE = ("decimal", "0", "100", "完成百分比请填 0 到 100 之间的数")


@cache
def _bold() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True)


def _add_styles(wb: Any) -> None:
    """One named style per look (fill × locked × wrapped): a cell then takes a style by name,
    ~20× faster than giving each cell its own fill, alignment and protection objects."""
    from openpyxl.styles import Alignment, NamedStyle, PatternFill, Protection

    for fill in (INPUT_FILL, LOCKED_FILL, TASK_FILL, None):
        for editable in (True, False):
            for wrap in (True, False):
                style = NamedStyle(_style_name(fill, editable, wrap))
                if fill:
                    style.fill = PatternFill("solid", fgColor=fill)
                style.protection = Protection(locked=not editable)
                style.alignment = Alignment(wrap_text=wrap, vertical="top")
                wb.add_named_style(style)


def _style_name(fill: str | None, editable: bool, wrap: bool) -> str:
    return f"填报-{fill or 'plain'}-{'input' if editable else 'locked'}-{'wrap' if wrap else 'line'}"


def _style(cell: Any, fill: str | None, editable: bool, wrap: bool = False) -> None:
    cell.style = _style_name(fill, editable, wrap)


def _task_row(sheet: Any, rules: _Validations, n: int, row: TemplateRow) -> None:
    put(sheet, n, lay.NUMBER, row.number)
    put(sheet, n, lay.TITLE, row.title)
    deadline = f"完成时限：{chinese_date(row.deadline)}" if row.deadline else ""
    put(sheet, n, lay.TARGET, deadline)
    for col in (lay.NUMBER, lay.TITLE, lay.TARGET, lay.LAST, lay.ACTUAL):
        _style(sheet.cell(n, col), TASK_FILL, False, wrap=col in (lay.TITLE, lay.TARGET))
    sheet.cell(n, lay.TITLE).font = _bold()
    put(sheet, n, lay.STATUS, PROGRESS_LABELS.get(row.progress, ""))
    if row.percent is not None:
        put(sheet, n, lay.PERCENT, row.percent)
    put(sheet, n, lay.NARRATIVE, row.narrative)
    fill = INPUT_FILL if row.editable else LOCKED_FILL
    for col in (lay.STATUS, lay.PERCENT, lay.NARRATIVE):
        _style(sheet.cell(n, col), fill, row.editable, wrap=col == lay.NARRATIVE)
    note = STATE_NOTES.get(row.state, "")
    if row.state == "returned" and row.review_note:
        note = f"已退回，退回意见：{row.review_note}"
    if row.carried_from is not None:
        note = f"沿用第{row.carried_from + 1}期报告的内容，只需修改变化部分"
    put(sheet, n, lay.NOTE, note)
    _style(sheet.cell(n, lay.NOTE), TASK_FILL, False, wrap=True)
    if row.editable:
        rules.add(STATUS_RULE, sheet.cell(n, lay.STATUS).coordinate)
        rules.add(PERCENT_RULE, sheet.cell(n, lay.PERCENT).coordinate)


def _target_row(sheet: Any, rules: _Validations, n: int, row: TemplateRow, t: TemplateTarget) -> None:
    put(sheet, n, lay.TITLE, "　目标：" + (t.text or t.facts.subject))
    put(sheet, n, lay.TARGET, _target_value(t))
    if t.last_accepted is not None:
        put(sheet, n, lay.LAST, t.last_accepted)
    if t.prefill is not None:
        put(sheet, n, lay.ACTUAL, t.prefill)
    put(sheet, n, lay.NOTE, f"单位：{t.facts.unit}" if t.facts.unit else "")
    for col in range(1, len(lay.COLUMNS) + 1):
        if col != lay.ACTUAL:
            _style(sheet.cell(n, col), None, False, wrap=col == lay.TITLE)
    _style(sheet.cell(n, lay.ACTUAL), INPUT_FILL if row.editable else LOCKED_FILL, row.editable)
    if row.editable:
        rules.add(_validation(t), sheet.cell(n, lay.ACTUAL).coordinate)


def _meta(t: ReportTemplate) -> dict[str, Any]:
    return {
        "format": lay.FORMAT,
        "plan": t.plan_id,
        "org": t.org_id,
        "unit": t.unit_id,
        "cycle": t.cycle,
        "made_at": t.made_at.isoformat(timespec="seconds"),
    }


def build_template(t: ReportTemplate) -> Any:
    """The openpyxl workbook of a template."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    _add_styles(wb)
    sheet = wb.active
    sheet.title = lay.SHEET
    last = get_column_letter(len(lay.COLUMNS))
    put(sheet, 1, 1, f"{t.plan_title}　{t.unit_name}　第{t.cycle + 1}期进展填报表").font = Font(
        bold=True, size=14
    )
    sheet.merge_cells(f"A1:{last}1")
    facts = (
        f"报送周期：{chinese_date(t.cycle_start)}至{chinese_date(t.cycle_end)}；报送截止：{chinese_date(t.due)}；"
        f"模板生成：{chinese_date(t.made_at.date())}（{t.made_by}）。只填写浅黄色单元格，填好后在“我的任务 → "
        "Excel 填报”上传；沿用上期的内容已预填，只需修改变化部分。请勿增删行列。"
    )
    put(sheet, 2, 1, facts).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 32
    for col, (name, width) in enumerate(lay.COLUMNS, start=1):
        put(sheet, lay.HEADER_ROW, col, name).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = sheet.cell(lay.FIRST_ROW, lay.TARGET)
    rules = _Validations(sheet)
    entries: list[list[Any]] = []
    n = lay.FIRST_ROW
    for row in t.rows:
        _task_row(sheet, rules, n, row)
        entries.append([n, lay.TASK, row.item_id, None, row.report_id, row.version, row.number])
        n += 1
        for target in row.targets:
            _target_row(sheet, rules, n, row, target)
            entries.append([n, lay.TARGET_ROW, row.item_id, target.facts.id, None, None, row.number])
            n += 1
    rules.write()
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widths and heights may change
    _write_meta(wb, _meta(t), entries)
    wb.security = WorkbookProtection(lockStructure=True)  # no sheet added, removed or unhidden
    return wb


def _write_meta(wb: Any, meta: dict[str, Any], entries: list[list[Any]]) -> None:
    hidden = wb.create_sheet(lay.META)
    hidden.sheet_state = "veryHidden"
    for i, key in enumerate(lay.META_KEYS, start=1):
        put(hidden, i, 1, key)
        put(hidden, i, 2, meta[key])
    base = len(lay.META_KEYS) + 1
    put(hidden, base, 1, "digest")
    put(hidden, base, 2, lay.digest(meta, entries))
    for col, name in enumerate(lay.ENTRY_HEADER, start=1):
        put(hidden, base + 1, col, name)
    for i, entry in enumerate(entries, start=base + 2):
        for col, value in enumerate(entry, start=1):
            put(hidden, i, col, value)
    hidden.protection.sheet = True


def template_bytes(t: ReportTemplate) -> bytes:
    """The template as xlsx bytes (for a download)."""
    return document_bytes(build_template(t))


def write_template(t: ReportTemplate, path: str | Path) -> Path:
    """Write the template to `path` atomically."""
    return save_document(build_template(t), path)
