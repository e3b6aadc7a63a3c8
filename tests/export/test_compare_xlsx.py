"""The comparison workbook (export/compare_xlsx.py): the sheets a member of staff opens, with Chinese
headers and numbers as numbers, written atomically from a report over a real registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from eduplan.db.engine import SessionFactory
from eduplan.export.compare_xlsx import export_comparison, write_comparison
from eduplan.samples.compare_plans import import_compare_plans
from eduplan.services import compare
from eduplan.services.compare import Selection


@pytest.fixture
def plans(sessions: SessionFactory) -> dict[str, int]:
    return import_compare_plans(sessions)


def rows(sheet: object, first: int = 3) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(min_row=first, values_only=True))  # type: ignore[attr-defined]


def test_workbook_has_the_matrix_tasks_targets_and_findings(
    sessions: SessionFactory, plans: dict[str, int], tmp_path: Path
) -> None:
    path = export_comparison(sessions, Selection(), tmp_path / "对标.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["对标矩阵", "分主题任务", "目标对照", "自查问题"]

    matrix = book["对标矩阵"]
    report = compare.report(sessions, Selection())
    names = [t.name for t in report.matrix.topics]
    header = [c.value for c in matrix[2]]
    assert header[:3] == ["计划", "机构", "类型"] and header[3] == names[0] and header[-2] == "合计"
    assert [c.value for c in matrix[3]][3:5] == ["任务", "目标"]
    data = {r[0]: r for r in rows(matrix, 4)}
    county = data["样例县2024"]
    labor = 3 + 2 * names.index("劳动教育与实践")
    assert county[labor : labor + 2] == (2, 3)  # numbers, not text
    assert county[-2] == 5  # five tasks in all
    assert county[2] == "年度工作要点"

    tasks = book["分主题任务"]
    assert [c.value for c in tasks[2]] == ["主题", "计划", "编号", "任务", "主要内容", "量化目标", "全部主题"]
    labor_rows = [r for r in rows(tasks) if r[0] == "劳动教育与实践"]
    assert ("样例县2024", "一.3", "打造茶山研学品牌") in [r[1:4] for r in labor_rows]

    targets = book["目标对照"]
    funding = [r for r in rows(targets) if r[0] == "教育经费与投入：投入（金额）" and r[1] == "样例市2023"]
    assert funding and funding[0][5:9] == (25, "亿元", 2_500_000_000, "元")

    findings = book["自查问题"]
    found = rows(findings)
    assert ("样例市2021–2025", "正文与指标表不一致", "错误") in [r[:3] for r in found]
    assert ("样例市2024", "—", "—", "—", "未发现问题") in found


def test_year_over_year_sheet_when_two_years_are_named(
    sessions: SessionFactory, plans: dict[str, int], tmp_path: Path
) -> None:
    chosen = Selection((plans["city2023"], plans["city2024"]))
    path = export_comparison(sessions, chosen, tmp_path / "年度.xlsx", after=plans["city2024"])
    sheet = load_workbook(path)["年度变化"]
    assert sheet["A1"].value == "年度变化：样例市2023 → 样例市2024"
    kinds = [r[0] for r in rows(sheet)]
    assert kinds.count("延续") == 5 and kinds.count("删去") == 1 and kinds.count("新增") == 1
    dropped = next(r for r in rows(sheet) if r[0] == "删去")
    assert dropped[1] == "样例市2023 一.2 推广校园足球"


def test_writing_is_atomic(sessions: SessionFactory, plans: dict[str, int], tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "对标.xlsx"
    target.write_bytes(b"old")
    report = compare.report(sessions, Selection())

    bad = compare.views.ComparisonReport(
        matrix=report.matrix, cells=report.cells, targets=report.targets, consistency=report.consistency
    )
    bad.cells = None  # type: ignore[assignment]
    with pytest.raises(TypeError):
        write_comparison(bad, target)
    assert target.read_bytes() == b"old"  # the old file stays whole
    assert [p.name for p in folder.iterdir()] == ["对标.xlsx"]  # no temporary file left behind
    write_comparison(report, target)
    assert load_workbook(target).sheetnames[0] == "对标矩阵"
